"""The Python side of the cross-language test (contract in testvectors/README.md):
    interop.py sign OUT_FILE        pin every record of crosslang.json
    interop.py verify IN_FILE...    verify every language's pins"""
from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path

import numpy as np

from vectorpin import Signer, Verifier, VerifyError

LANG = "python"


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def records() -> dict:
    folder = Path(os.environ.get("VECTORPIN_TESTVECTORS", Path(__file__).resolve().parents[3] / "testvectors"))
    try:
        return json.loads((folder / "crosslang.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read {folder / 'crosslang.json'} (set VECTORPIN_TESTVECTORS): {exc}", file=sys.stderr)
        sys.exit(2)


def vector_of(record: dict) -> np.ndarray:
    dtype = {"f32": "<f4", "f64": "<f8"}[record["dtype"]]
    return np.frombuffer(b64d(record["vector_b64"]), dtype=dtype).copy()


def sign(out_file: str) -> int:
    doc = records()
    kid = f"crosslang-{LANG}"
    signer = Signer.from_private_bytes(b64d(doc["seed_b64"]), kid)
    public = base64.urlsafe_b64encode(signer.public_key_bytes()).rstrip(b"=").decode()
    lines = []
    for r in doc["records"]:
        pin = signer.pin(source=r["source"], model=r["model"], vector=vector_of(r), vec_dtype=r["dtype"],
                         extra=r.get("extra"), protocol=2)
        lines.append(json.dumps({"lang": LANG, "kid": kid, "public_key_b64": public, "name": r["name"],
                                 "pin_json": pin.to_json()}, ensure_ascii=False))
    Path(out_file).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"signed {len(lines)} records")
    return 0 if lines else 1


def verify(files: list[str]) -> int:
    by_name = {r["name"]: r for r in records()["records"]}
    passed = failed = 0
    for file in files:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except OSError as exc:
            print(f"FAIL {file}: {exc}", file=sys.stderr)
            failed += 1
            continue
        for line in text.splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            label = f"{item['lang']}/{item['name']}"
            record = by_name.get(item["name"])
            if record is None:
                print(f"FAIL {label}: unknown record", file=sys.stderr)
                failed += 1
                continue
            verifier = Verifier({item["kid"]: b64d(item["public_key_b64"])})
            v = vector_of(record)
            result = verifier.verify(item["pin_json"], source=record["source"], vector=v,
                                     expected_record_id=record.get("extra", {}).get("vectorpin.record_id"))
            tampered = v.copy()
            tampered[0] = tampered[0] + 1
            bad = verifier.verify(item["pin_json"], source=record["source"], vector=tampered)
            if result.ok and bad.error is VerifyError.VECTOR_TAMPERED:
                passed += 1
            else:
                failed += 1
                print(f"FAIL {label}: {result.error.name} {result.detail}; tampered: {bad.error.name}",
                      file=sys.stderr)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "sign":
        sys.exit(sign(sys.argv[2]))
    if len(sys.argv) >= 3 and sys.argv[1] == "verify":
        sys.exit(verify(sys.argv[2:]))
    print("usage: interop.py sign OUT_FILE | verify IN_FILE...", file=sys.stderr)
    sys.exit(2)
