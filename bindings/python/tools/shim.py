"""The Python binding's conformance shim (docs/CONFORMANCE.md, shim protocol
version 1): JSON requests on stdin, each answered on stdout through the
package's own API.

    vectorpin conformance --shim "python3 bindings/python/tools/shim.py"
"""
from __future__ import annotations

import base64
import json
import sys
from typing import Any

import numpy as np

import vectorpin
from vectorpin import Pin, PinParseError, Signer, Verifier, VectorPinError, hash_text, hash_vector

ALL_VERSIONS = frozenset({1, 2})


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def vector(v: dict) -> np.ndarray:
    return np.frombuffer(unb64(v["data_b64"]), dtype="<f4" if v["dtype"] == "f32" else "<f8")


def op_hash_text(i: dict) -> dict:
    return {"hash": hash_text(unb64(i["text_b64"]))}


def op_hash_vector(i: dict) -> dict:
    return {"hash": hash_vector(vector(i["vector"]), i["hash_dtype"])}


def op_parse(i: dict) -> dict:
    pin = Pin.from_json(unb64(i["pin_b64"]), accept_versions=ALL_VERSIONS)
    return {"signed_bytes_b64": b64(pin.signed_bytes()), "pin_b64": b64(pin.to_json_bytes())}


def op_sign(i: dict) -> dict:
    v = i["vector"]
    signer = Signer.from_private_bytes(unb64(i["seed_b64"]), i["kid"])
    pin = signer.pin(source=unb64(i["source_b64"]), model=i["model"], vector=vector(v),
                     vec_dtype=i.get("dtype") or v["dtype"], protocol=i.get("protocol", 2),
                     model_hash=i.get("model_hash"), timestamp=i.get("timestamp"), extra=i.get("extra"))
    return {"pin_b64": b64(pin.to_json_bytes())}


def op_verify(i: dict) -> dict:
    verifier = Verifier({}, accept_v1_legacy=bool(i.get("legacy_v1")))
    for k in i["keys"]:
        verifier.add_key(k["kid"], unb64(k["public_key_b64"]), valid_from=k.get("valid_from"),
                         valid_until=k.get("valid_until"))
    result = verifier.verify(
        unb64(i["pin_b64"]),
        source=unb64(i["source_b64"]) if "source_b64" in i else None,
        vector=vector(i["vector"]) if "vector" in i else None,
        expected_model=i.get("expect_model"), expected_record_id=i.get("expect_record_id"),
        expected_collection_id=i.get("expect_collection_id"), expected_tenant_id=i.get("expect_tenant_id"))
    return {"status": result.error.name, "detail": result.detail}


def op_add_key(i: dict) -> dict:
    Verifier({}).add_key(i["kid"], unb64(i["public_key_b64"]), valid_from=i.get("valid_from"),
                         valid_until=i.get("valid_until"))
    return {}


def op_fingerprint(i: dict) -> dict:
    return {"fingerprint": vectorpin.public_key_fingerprint(unb64(i["public_key_b64"]))}


OPS = {"hash_text": op_hash_text, "hash_vector": op_hash_vector, "parse": op_parse, "sign": op_sign,
       "verify": op_verify, "add_key": op_add_key, "fingerprint": op_fingerprint}


def answer(request: dict) -> dict:
    rid, op, inp = request.get("id"), request.get("op"), request.get("input", {})
    if op == "hello":
        return {"id": rid, "status": "OK", "protocol": 1, "name": "python",
                "implementation": f"vectorpin {vectorpin.__version__} (Python) on libvectorpin "
                                  f"{vectorpin.native_version}"}
    fn = OPS.get(op)
    if fn is None:
        return {"id": rid, "status": "unsupported"}
    try:
        out = fn(inp)
    except (PinParseError, VectorPinError) as exc:
        return {"id": rid, "status": exc.status, "detail": exc.detail[:200]}
    except (ValueError, TypeError, KeyError) as exc:
        return {"id": rid, "status": "INVALID_INPUT", "detail": str(exc)[:200]}
    out.setdefault("status", "OK")
    return {"id": rid, **out}


def main() -> int:
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request: Any = json.loads(line)
        except ValueError:
            request = {}
        sys.stdout.write(json.dumps(answer(request if isinstance(request, dict) else {})) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
