"""`python -m vectorpin detect` (also installed as `vectorpin-detect`): fits
an IsolationForestDetector on the verified records of a store and flags the
store's unpinned records, and every record of the stores given with --new
(newly ingested ones), that look unlike them.

Output as `vectorpin audit`: one JSON summary line on stdout, one JSON line
per flagged record on --report FILE (default stderr). Exit codes: 0 nothing
flagged, 1 something flagged, 2 usage error, 3 the store cannot be read or
too few verified records to fit on.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Sequence

import numpy as np

from vectorpin._native import VectorPinError
from vectorpin.audit import AuditConfig, outcomes
from vectorpin.stores import StoreError, StoreSpec, UsageError, open_store, decode_json_vector

EXIT_OK, EXIT_FLAGGED, EXIT_USAGE, EXIT_RUNTIME = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        print(f"vectorpin detect: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="vectorpin detect", description=__doc__.split("\n\n")[0])
    p.add_argument("--store", required=True, help="sqlite:PATH or jsonl:PATH, as for vectorpin audit")
    p.add_argument("--table", default="")
    keys = p.add_mutually_exclusive_group(required=True)
    keys.add_argument("--public-key", help="public key file (raw 32 bytes, base64url or PEM); with --key-id")
    keys.add_argument("--registry", help="key registry JSON file")
    p.add_argument("--key-id")
    p.add_argument("--valid-from")
    p.add_argument("--valid-until")
    for col, default in (("id", "id"), ("vector", "vector"), ("source", "source"), ("pin", "vectorpin")):
        p.add_argument(f"--{col}-column", default=default)
    p.add_argument("--no-source", action="store_true")
    p.add_argument("--vector-format", default="auto", choices=["auto", "blob-f32", "blob-f64", "json"])
    p.add_argument("--expect-model")
    p.add_argument("--bind-record-id", action="store_true")
    p.add_argument("--collection-id")
    p.add_argument("--legacy-v1", action="store_true")
    p.add_argument("--new", action="append", default=[], metavar="STORE",
                   help="a store of newly ingested records to score (same table and columns); repeatable")
    p.add_argument("--contamination", type=float, default=0.05)
    p.add_argument("--n-estimators", type=int, default=200)
    p.add_argument("--random-state", type=int, default=42)
    p.add_argument("--threshold", type=float, help="flag scores above this instead of the fitted cut")
    p.add_argument("--min-fit", type=int, default=50, help="fewest verified records to fit on (default 50)")
    p.add_argument("--report", help="where flagged records go (default: stderr)")
    return p


def _spec(a: argparse.Namespace, store: str) -> StoreSpec:
    return StoreSpec(store, a.table, a.id_column, a.vector_column, a.source_column, a.pin_column, not a.no_source,
                     a.vector_format)


def _config(a: argparse.Namespace) -> AuditConfig:
    common = dict(expect_model=a.expect_model, bind_record_id=a.bind_record_id, collection_id=a.collection_id,
                  legacy_v1=a.legacy_v1)
    if a.registry:
        with open(a.registry, encoding="utf-8") as f:
            return AuditConfig(_spec(a, a.store), registry_json=f.read(), **common)
    if not a.key_id:
        raise UsageError("--public-key needs --key-id")
    with open(a.public_key, "rb") as f:
        key = f.read()
    return AuditConfig(_spec(a, a.store), keys={a.key_id: (key, a.valid_from, a.valid_until)}, **common)


def _vector_of(record: Any) -> np.ndarray | None:
    kind, value = record.vector
    if kind == "json":
        kind, value = decode_json_vector(value, False)
    return value if kind in ("f32", "f64") else None


def run(argv: Sequence[str]) -> int:
    from vectorpin.detectors import IsolationForestDetector

    a = parser().parse_args(argv)
    cfg = _config(a)
    clean: list[np.ndarray] = []
    candidates: list[tuple[str, Any, np.ndarray | None]] = []
    for record, code, value in outcomes(cfg):
        if code == "" and value is not None:
            clean.append(np.asarray(value, dtype=np.float64))
        elif code == "UNPINNED":
            candidates.append((a.store, record, value))
    for store in a.new:
        for record in open_store(_spec(a, store)):
            candidates.append((store, record, _vector_of(record)))
    if len(clean) < max(a.min_fit, 2):
        print(f"vectorpin detect: only {len(clean)} verified records to fit on (--min-fit {a.min_fit})",
              file=sys.stderr)
        return EXIT_RUNTIME
    dims = {len(v) for v in clean}
    if len(dims) != 1:
        print("vectorpin detect: the verified records have vectors of different lengths", file=sys.stderr)
        return EXIT_RUNTIME
    dim = dims.pop()
    detector = IsolationForestDetector(a.n_estimators, a.contamination, a.random_state).fit(np.stack(clean))
    scorable = [(s, r, v) for s, r, v in candidates if v is not None and len(v) == dim]
    scores = detector.score(np.stack([v for _, _, v in scorable])) if scorable else np.empty(0)
    cut = a.threshold if a.threshold is not None else detector.offset
    report = open(a.report, "w", encoding="utf-8") if a.report else sys.stderr
    flagged = skipped = 0
    try:
        def emit(store: str, record: Any, **fields: Any) -> None:
            rid = None if record.id is None else record.id.decode("utf-8", "replace")[:1024]
            line = {"store": store.split(":", 1)[0], "id": rid}
            if record.line:
                line["line"] = record.line
            line.update(fields)
            report.write(json.dumps(line, ensure_ascii=False) + "\n")

        for (store, record, _), score in zip(scorable, scores):
            if score > cut:
                flagged += 1
                emit(store, record, score=round(float(score), 6), reason="anomalous")
        for store, record, v in candidates:
            if v is None:
                skipped += 1
            elif len(v) != dim:
                flagged += 1
                emit(store, record, score=None, reason=f"{len(v)}-dimensional vector; the store's are {dim}")
    finally:
        if a.report:
            report.close()
    summary = {"store": a.store.split(":", 1)[0], "fitted_on": len(clean), "dim": dim,
               "scored": len(candidates) - skipped, "flagged": flagged, "skipped_unreadable": skipped,
               "threshold": round(float(cut), 6), "contamination": a.contamination}
    print(json.dumps(summary))
    return EXIT_FLAGGED if flagged else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except (UsageError, ValueError) as exc:
        print(f"vectorpin detect: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (StoreError, OSError, VectorPinError) as exc:
        print(f"vectorpin detect: {exc}", file=sys.stderr)
        return EXIT_RUNTIME


if __name__ == "__main__":
    sys.exit(main())
