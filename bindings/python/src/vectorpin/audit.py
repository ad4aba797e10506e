"""Store audits in Python, record for record what `vectorpin audit` does
(docs/AUDIT.md), sharded by the same rule, with summaries merged exactly as
`vectorpin audit-merge` merges them. The engine every distributed runner
(vectorpin.dask) calls in its workers."""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping, Sequence

from vectorpin.attestation import _ALL_VERSIONS, PinParseError, _parse
from vectorpin._native import lib
from vectorpin.shard import Shard, check_shard, shard_of
from vectorpin.stores import Record, StoreSpec, decode_json_vector, open_store, store_kind, store_location
from vectorpin.verifier import BatchItem, Verifier

__all__ = ["AuditConfig", "ShardResult", "audit", "audit_shard", "merge_summaries", "MergeError", "COUNT_FIELDS",
           "summary_json", "records_of", "outcomes"]

COUNT_FIELDS = ("total", "pinned", "verified_ok", "verification_failed", "unpinned")
_CHUNK = 512


class MergeError(ValueError):
    """Summaries that cannot be merged (the CLI's exit 2)."""


@dataclass(frozen=True)
class AuditConfig:
    """Everything a worker needs, picklable: the store, the trusted keys (as
    public data only) and the checks, as `vectorpin audit` takes them."""

    spec: StoreSpec
    # kid -> (public key as raw bytes / base64url / PEM, valid_from, valid_until); or a registry document
    keys: Mapping[str, tuple[Any, str | None, str | None]] = field(default_factory=dict)
    registry_json: str | None = None
    expect_model: str | None = None
    bind_record_id: bool = False
    collection_id: str | None = None
    legacy_v1: bool = False
    threads: int = 0

    def verifier(self) -> Verifier:
        if self.registry_json is not None:
            v = Verifier.from_registry_json(self.registry_json, accept_v1_legacy=self.legacy_v1)
        else:
            v = Verifier({}, accept_v1_legacy=self.legacy_v1)
        for kid, (key, lo, hi) in self.keys.items():
            v.add_key(kid, key, valid_from=lo, valid_until=hi)
        return v


@dataclass
class ShardResult:
    """One shard's summary and, when asked for, each record's (id, code):
    code "" = verified, "UNPINNED", or the failure's code."""

    summary: dict[str, Any]
    records: list[tuple[str | None, int, str]] | None = None


def _after_ok(record: Record, cfg: AuditConfig) -> tuple[BatchItem | None, str, Any]:
    """What to verify for a pinned record, the code it gets if that passes
    (the order of checks of audit_engine.cpp), and its decoded vector."""
    pin = record.pin or b""
    kind, value = record.vector
    if kind == "json":
        try:
            handle = _parse(pin, _ALL_VERSIONS)
        except PinParseError as exc:
            return None, exc.status, None
        kind, value = decode_json_vector(value, lib.vectorpin_pin_dtype(handle) == lib.VECTORPIN_DTYPE_F32)
    if kind in ("none", "bad"):
        return BatchItem(pin), "VECTOR_MISSING" if kind == "none" else "VECTOR_UNREADABLE", None
    if cfg.spec.use_source and record.source is None:
        return BatchItem(pin, None, value), "SOURCE_MISSING", value
    source = record.source if cfg.spec.use_source else None
    expect = dict(expected_model=cfg.expect_model, expected_collection_id=cfg.collection_id)
    if cfg.bind_record_id and record.id is None:
        return BatchItem(pin, source, value, **expect), "RECORD_MISMATCH", value
    record_id = record.id.decode("utf-8", "surrogateescape") if cfg.bind_record_id and record.id is not None else None
    return BatchItem(pin, source, value, expected_record_id=record_id, **expect), "", value


def _id_text(record: Record) -> str | None:
    return None if record.id is None else record.id.decode("utf-8", "replace")


def outcomes(cfg: AuditConfig, index: int = 0, count: int = 1, verifier: Verifier | None = None
             ) -> Iterator[tuple[Record, str, Any]]:
    """Each record of shard index/count in store order with its code ("" =
    verified, "UNPINNED", or the failure) and its vector when it could be
    decoded (an unpinned record's JSON vector is read as f64)."""
    check_shard(index, count)
    verifier = verifier or cfg.verifier()
    pending: list[tuple[Record, BatchItem, str, Any]] = []

    def flush() -> Iterator[tuple[Record, str, Any]]:
        results = verifier.verify_batch([item for _, item, _, _ in pending], threads=cfg.threads)
        for (record, _, after, value), result in zip(pending, results):
            yield record, after if result.ok else result.error.name, value
        pending.clear()

    for record in open_store(cfg.spec):
        if count > 1 and shard_of(record.id, count) != index:
            continue
        value = None
        if record.unreadable:
            code = "RECORD_UNREADABLE"
        elif record.pin is None:
            code = "UNPINNED"
            kind, value = record.vector
            if kind == "json":
                kind, value = decode_json_vector(value, False)
            if kind not in ("f32", "f64"):
                value = None
        elif record.pin_problem:
            code = "PARSE_ERROR"
        else:
            item, after, value = _after_ok(record, cfg)
            if item is not None:
                pending.append((record, item, after, value))
                if len(pending) >= _CHUNK:
                    yield from flush()
                continue
            code = after
        if pending:  # keep store order
            yield from flush()
        yield record, code, value
    if pending:
        yield from flush()


def audit_shard(cfg: AuditConfig, index: int = 0, count: int = 1, *, sharded: bool = True,
                collect_records: bool = False, verifier: Verifier | None = None) -> ShardResult:
    """Audits the records of shard index/count of the store. With
    `sharded=False` (count must be 1) the summary is that of a whole-store run."""
    check_shard(index, count)
    if not sharded and count != 1:
        raise ValueError("an unsharded audit has one shard")
    started = time.monotonic()
    counts = dict.fromkeys(COUNT_FIELDS, 0)
    by_error: dict[str, int] = {}
    records: list[tuple[str | None, int, str]] | None = [] if collect_records else None
    for record, code, _ in outcomes(cfg, index, count, verifier):
        counts["total"] += 1
        if code == "":
            counts["pinned"] += 1
            counts["verified_ok"] += 1
        elif code == "UNPINNED":
            counts["unpinned"] += 1
        else:
            counts["pinned"] += 1
            counts["verification_failed"] += 1
            by_error[code] = by_error.get(code, 0) + 1
        if records is not None:
            records.append((_id_text(record), record.line, code))
    summary = summary_head(cfg)
    summary.update(counts)
    summary["by_error"] = dict(sorted(by_error.items()))
    summary["threads"] = cfg.threads or os.cpu_count() or 1
    summary["elapsed_seconds"] = round(time.monotonic() - started, 3)
    if sharded:
        summary["shard"] = str(Shard(index, count))
        summary["location"] = store_location(cfg.spec)
    return ShardResult(summary, records)


def summary_head(cfg: AuditConfig) -> dict[str, Any]:
    kind, _ = store_kind(cfg.spec.store)
    head: dict[str, Any] = {"store": kind}
    if cfg.spec.table and kind != "jsonl":
        head["table"] = cfg.spec.table
    return head


def audit(cfg: AuditConfig) -> dict[str, Any]:
    """One unsharded audit in this process: the summary `vectorpin audit` prints."""
    return audit_shard(cfg, 0, 1, sharded=False).summary


def _check_counts(s: Mapping[str, Any], name: str) -> None:
    for f in COUNT_FIELDS:
        v = s.get(f)
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise MergeError(f"{name}: not an audit summary ({f!r} is not a count)")
    by_error = s.get("by_error", {})
    if not isinstance(by_error, Mapping) or any(not isinstance(n, int) or n < 0 for n in by_error.values()):
        raise MergeError(f"{name}: \"by_error\" is not a map of counts")
    if (s["pinned"] != s["verified_ok"] + s["verification_failed"] or s["total"] != s["pinned"] + s["unpinned"]
            or sum(by_error.values()) != s["verification_failed"]):
        raise MergeError(f"{name}: its counts do not add up")


def merge_summaries(summaries: Sequence[Mapping[str, Any]], *, allow_partial: bool = False,
                    names: Sequence[str] | None = None) -> dict[str, Any]:
    """Adds up the summaries of one sharded audit into the summary of the
    whole store, refusing what `vectorpin audit-merge` refuses: unsharded or
    already merged summaries, different stores, tables or N, a shard given
    twice, and (unless `allow_partial`) missing shards."""
    if not summaries:
        raise MergeError("give the summaries of a sharded audit")
    names = list(names) if names is not None else [f"summary {i + 1}" for i in range(len(summaries))]
    identity = ("store", "table", "schema", "location")
    parsed: list[tuple[Shard, Mapping[str, Any]]] = []
    seen: dict[int, str] = {}
    for s, name in zip(summaries, names):
        if "shards" in s:
            raise MergeError(f"{name}: is already a merged summary")
        if "shard" not in s:
            raise MergeError(f"{name}: is not the summary of a sharded audit (no \"shard\")")
        if not isinstance(s.get("store"), str):
            raise MergeError(f"{name}: not an audit summary (no \"store\")")
        from vectorpin.shard import parse_shard

        shard = parse_shard(str(s["shard"]))
        _check_counts(s, name)
        first = parsed[0][1] if parsed else s
        if any(s.get(k) != first.get(k) for k in identity):
            raise MergeError(f"{name}: audits a different store or table than {names[0]}")
        if parsed and shard.count != parsed[0][0].count:
            raise MergeError(f"{name}: is shard {shard}, but {names[0]} is shard {parsed[0][0]}: every shard must "
                             "come from the same N")
        if shard.index in seen:
            raise MergeError(f"{name}: shard {shard} is also in {seen[shard.index]}; each shard may be given once")
        seen[shard.index] = name
        parsed.append((shard, s))
    n = parsed[0][0].count
    missing = [i for i in range(n) if i not in seen]
    if missing and not allow_partial:
        listed = ", ".join(map(str, missing[:20])) + (", ..." if len(missing) > 20 else "")
        raise MergeError(f"{len(missing)} of {n} shards missing: {listed}")
    first = parsed[0][1]
    out: dict[str, Any] = {k: first[k] for k in ("store", "table", "schema") if k in first}
    for f in COUNT_FIELDS:
        out[f] = sum(s[f] for _, s in parsed)
    by_error: dict[str, int] = {}
    for _, s in parsed:
        for code, k in s.get("by_error", {}).items():
            by_error[code] = by_error.get(code, 0) + k
    out["by_error"] = {c: k for c, k in sorted(by_error.items()) if k}
    out["threads"] = sum(int(s.get("threads", 0)) for _, s in parsed)
    out["elapsed_seconds"] = max(float(s.get("elapsed_seconds", 0.0)) for _, s in parsed)
    out["shards"] = n
    if missing:
        out["shards_missing"] = missing
    if "location" in first:
        out["location"] = first["location"]
    return out


def summary_json(summary: Mapping[str, Any]) -> str:
    return json.dumps(summary, separators=(",", ":"), ensure_ascii=False)


def records_of(results: Iterable[ShardResult]) -> list[tuple[str | None, int, str]]:
    out: list[tuple[str | None, int, str]] = []
    for r in results:
        out.extend(r.records or [])
    return out
