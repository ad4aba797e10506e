"""Every fixture file: the project's testvectors/ and upstream's own files."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from conftest import b64d, upstream_dirs, vec_from_b64
from vectorpin import LegacyV1Verifier, Pin, PinParseError, Signer, Verifier, VerifyError, hash_text, hash_vector
from vectorpin._native import VectorPinError

SEED = bytes(range(32))


def _dirs(testvectors: Path) -> list[Path]:
    return [testvectors] + upstream_dirs()


def test_v2_positive(testvectors: Path) -> None:
    n = 0
    for d in _dirs(testvectors):
        data = json.loads((d / "v2.json").read_text())
        signer = Signer.from_private_bytes(b64d(data["private_key_b64"]), data["key_id"])
        verifier = Verifier({data["key_id"]: b64d(data["public_key_b64"])})
        for fx in data["fixtures"]:
            inp = fx["input"]
            v = vec_from_b64(inp["vec_b64"], inp["vec_dtype"])
            pin = signer.pin(source=inp["source"], model=inp["model"], vector=v, vec_dtype=inp["vec_dtype"],
                             timestamp=inp["timestamp"], model_hash=inp.get("model_hash"), extra=inp.get("extra"))
            assert pin.to_json() == fx["pin_json"], fx["name"]
            parsed = Pin.from_json(fx["pin_json"])
            assert parsed.signed_bytes() == b64d(fx["expected_canonical_bytes_b64"])
            assert hash_vector(v, inp["vec_dtype"]) == fx["expected_vec_hash"]
            assert hash_text(inp["source"]) == fx["expected_source_hash"]
            assert verifier.verify(parsed, source=inp["source"], vector=v).ok
            n += 1
    assert n >= 4


def test_v2_negative(testvectors: Path) -> None:
    n = 0
    for d in _dirs(testvectors):
        data = json.loads((d / "negative_v2.json").read_text())
        verifier = Verifier({data["key_id"]: b64d(data["public_key_b64"])})
        for fx in data["fixtures"]:
            kwargs = {}
            for key in ("tampered_vec_b64", "nan_vec_b64"):
                if key in fx:
                    kwargs["vector"] = vec_from_b64(fx[key], fx.get("vec_dtype", "f32"))
            if "tampered_source" in fx:
                kwargs["source"] = fx["tampered_source"]
            for key in ("expected_model", "expected_record_id"):
                if key in fx:
                    kwargs[key] = fx[key]
            expected = VerifyError[fx["expected_failure"]]
            # from the JSON (parse errors are outcomes) and, where it parses, from a Pin
            assert verifier.verify(fx["pin_json"], **kwargs).error is expected, fx["name"]
            try:
                pin = Pin.from_json(fx["pin_json"])
            except PinParseError as exc:
                assert exc.error is expected, fx["name"]
            else:
                assert verifier.verify(pin, **kwargs).error is expected, fx["name"]
            n += 1
    assert n >= 17


def test_v1_legacy(testvectors: Path) -> None:
    for d in _dirs(testvectors):
        data = json.loads((d / "v1.json").read_text())
        keys = {data["key_id"]: b64d(data["public_key_b64"])}
        signer = Signer.from_private_bytes(b64d(data["private_seed_b64"]), data["key_id"])
        for fx in data["fixtures"]:
            inp, exp = fx["input"], fx["expected"]
            v = vec_from_b64(inp["vector_b64"], inp["vec_dtype"])
            pin = LegacyV1Verifier.parse_pin(exp["pin_json"])
            assert pin.signed_bytes() == b64d(exp["canonical_header_b64"])
            assert LegacyV1Verifier(keys).verify(pin, source=inp["source"], vector=v).ok
            assert Verifier(keys).verify(pin).error is VerifyError.UNSUPPORTED_VERSION
            resigned = signer.pin(source=inp["source"], model=inp["model"], vector=v, vec_dtype=inp["vec_dtype"],
                                  timestamp=inp["timestamp"], protocol=1)
            assert resigned.to_json() == exp["pin_json"]
        neg = json.loads((d / "negative_v1.json").read_text())
        r = LegacyV1Verifier(keys).verify(LegacyV1Verifier.parse_pin(neg["pin_json"]),
                                          vector=vec_from_b64(neg["tampered_vector_b64"], "f32"))
        assert r.error.value == neg["expected_error"]


def test_extended_verify_cases(testvectors: Path) -> None:
    data = json.loads((testvectors / "extended.json").read_text())
    for case in data["verify_cases"]:
        verifier = Verifier({}, accept_v1_legacy=case.get("legacy_v1", False))
        for k in case["keys"]:
            verifier.add_key(k["kid"], b64d(k["public_key_b64"]), valid_from=k.get("valid_from"),
                             valid_until=k.get("valid_until"))
        pin = case["pin_json"].encode("utf-8") if "pin_json" in case else b64d(case["pin_json_b64"])
        kwargs = {}
        if "source" in case:
            kwargs["source"] = case["source"]
        if "source_b64" in case:
            kwargs["source"] = b64d(case["source_b64"])
        if "vector_b64" in case:
            kwargs["vector"] = vec_from_b64(case["vector_b64"], case["vector_dtype"])
        for key in ("expected_model", "expected_record_id", "expected_collection_id", "expected_tenant_id"):
            if key in case:
                kwargs[key] = case[key]
        r = verifier.verify(pin, **kwargs)
        assert r.error is VerifyError[case["expected"]], (case["name"], r)


def test_extended_registry_hash_and_sign_cases(testvectors: Path) -> None:
    data = json.loads((testvectors / "extended.json").read_text())
    for case in data["registry_cases"]:
        try:
            Verifier({}).add_key("k", b64d(case["public_key_b64"]), valid_from=case["valid_from"],
                                 valid_until=case["valid_until"])
            got = "OK"
        except VectorPinError as exc:
            got = exc.status
        assert got == case["expected"], case["name"]
    for case in data["hash_text_cases"]:
        try:
            got = hash_text(b64d(case["text_b64"]))
        except ValueError:
            got = None
        assert got == case["expected"], case["name"]
    for case in data["hash_vector_cases"]:
        try:
            got = hash_vector(vec_from_b64(case["vector_b64"], case["input_dtype"]), case["hash_dtype"])
        except ValueError:
            got = None
        assert got == case["expected"], case["name"]
    for case in data["sign_cases"]:
        signer_or_error = None
        try:
            signer_or_error = Signer.from_private_bytes(SEED, case["kid"])
            o = case.get("options", {})
            pin = signer_or_error.pin(source=case["source"], model=case["model"],
                                      vector=vec_from_b64(case["vector_b64"], case["input_dtype"]),
                                      vec_dtype=o.get("dtype", case["input_dtype"]), protocol=o.get("protocol", 2),
                                      model_hash=o.get("model_hash"), timestamp=o.get("timestamp"),
                                      extra=o.get("extra"))
            got = "OK"
        except VectorPinError as exc:
            got = exc.status
        assert got == case["expected"], case["name"]
        if got == "OK":
            assert pin.to_json() == case["pin_json"], case["name"]


def test_crosslang_records(testvectors: Path) -> None:
    data = json.loads((testvectors / "crosslang.json").read_text())
    signer = Signer.from_private_bytes(b64d(data["seed_b64"]), "crosslang-python")
    verifier = Verifier({"crosslang-python": signer.public_key_bytes()})
    for rec in data["records"]:
        v = vec_from_b64(rec["vector_b64"], rec["dtype"])
        pin = signer.pin(source=rec["source"], model=rec["model"], vector=v, vec_dtype=rec["dtype"], extra=rec["extra"])
        assert verifier.verify(pin, source=rec["source"], vector=v,
                               expected_record_id=rec["extra"]["vectorpin.record_id"]).ok
        bad = v.copy()
        bad[0] += 1
        assert verifier.verify(pin, vector=bad).error is VerifyError.VECTOR_TAMPERED
