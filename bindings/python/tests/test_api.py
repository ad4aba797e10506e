"""Upstream's API surface on the native core: signing, parsing, verifying,
keys and their windows, and the errors."""
from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

import vectorpin
from vectorpin import (KeyEntry, LegacyV1Verifier, Pin, PinHeader, PinParseError, Signer, Verifier, VerifyError,
                       hash_text, hash_vector)

UTC = timezone.utc
SEED = bytes(range(32))
TEST_PUB = "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer.from_private_bytes(SEED, key_id="k-2026")


def vec(n: int = 16, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(n).astype(np.float32)


def test_public_key_of_the_test_seed(signer: Signer) -> None:
    assert vectorpin.verifier._public_key_bytes(TEST_PUB) == signer.public_key_bytes()
    assert signer.fingerprint() == "5647:5aa7:5463:474c" == vectorpin.public_key_fingerprint(TEST_PUB)
    assert signer.key_id == "k-2026"


def test_pin_and_verify_every_outcome(signer: Signer) -> None:
    v = vec()
    pin = signer.pin(source="The quick brown fox.", model="m", vector=v,
                     extra={"vectorpin.record_id": "r1", "vectorpin.collection_id": "c", "vectorpin.tenant_id": "t"})
    verifier = Verifier({"k-2026": signer.public_key_bytes()})
    ok = verifier.verify(pin, source="The quick brown fox.", vector=v, expected_model="m", expected_record_id="r1",
                         expected_collection_id="c", expected_tenant_id="t")
    assert ok.ok and bool(ok) and ok.error is VerifyError.OK and ok.detail == ""
    tampered = v.copy()
    tampered[3] = np.nextafter(tampered[3], np.float32(10))
    cases = {
        VerifyError.VECTOR_TAMPERED: dict(vector=tampered),
        VerifyError.SHAPE_MISMATCH: dict(vector=v[:-1]),
        VerifyError.SOURCE_MISMATCH: dict(source="The quick brown fox!"),
        VerifyError.MODEL_MISMATCH: dict(expected_model="other"),
        VerifyError.RECORD_MISMATCH: dict(expected_record_id="r2"),
        VerifyError.COLLECTION_MISMATCH: dict(expected_collection_id="d"),
        VerifyError.TENANT_MISMATCH: dict(expected_tenant_id="u"),
        VerifyError.PARSE_ERROR: dict(vector=np.full(16, np.nan, dtype=np.float32)),
    }
    for expected, kwargs in cases.items():
        r = verifier.verify(pin, **kwargs)
        assert (r.ok, r.error) == (False, expected), (expected, r)
        assert r.detail
    assert Verifier({"other": signer.public_key_bytes()}).verify(pin).error is VerifyError.UNKNOWN_KEY
    forged = Signer.generate(key_id="k-2026").pin(source="x", model="m", vector=v)
    assert verifier.verify(forged).error is VerifyError.SIGNATURE_INVALID


def test_an_abi_1_library_or_header_is_refused() -> None:
    from vectorpin import _native
    assert _native.ABI_VERSION == 2 and int(_native.lib.vectorpin_abi_version()) == 2
    _native.check_abi(2, 2)
    with pytest.raises(ImportError, match=r"loaded libvectorpin has ABI version 1, but .* needs ABI version 2"):
        _native.check_abi(2, 1)
    with pytest.raises(ImportError, match=r"compiled against a vectorpin.h of ABI version 1"):
        _native.check_abi(1, 1)


def test_the_extension_build_refuses_an_abi_1_header(tmp_path, monkeypatch) -> None:
    import importlib
    import pathlib
    here = pathlib.Path(__file__).resolve().parent.parent
    monkeypatch.syspath_prepend(str(here))
    ffi_build = importlib.import_module("ffi_build")
    header = (here.parent.parent / "include" / "vectorpin.h").read_text(encoding="utf-8")
    assert ffi_build.header_abi(here.parent.parent / "include" / "vectorpin.h") == 2
    (tmp_path / "vectorpin.h").write_text(header.replace("#define VECTORPIN_ABI_VERSION 2\n",
                                                         "#define VECTORPIN_ABI_VERSION 1\n"), encoding="utf-8")
    with pytest.raises(SystemExit, match=r"is of libvectorpin ABI version 1, but this package needs ABI version 2"):
        ffi_build.make_ffi(ffi_build.NativeLibrary("dir", tmp_path))


def test_error_values_are_upstreams() -> None:
    assert [e.value for e in VerifyError] == [
        "ok", "unknown_key", "unsupported_version", "key_expired", "parse_error", "signature_invalid",
        "vector_tampered", "source_mismatch", "model_mismatch", "shape_mismatch", "record_mismatch",
        "collection_mismatch", "tenant_mismatch"]


def test_protocol_order_first_failure_wins(signer: Signer) -> None:
    v = vec()
    pin = signer.pin(source="s", model="m", vector=v)
    verifier = Verifier({"k-2026": signer.public_key_bytes()})
    # a wrong vector, source and model at once: the vector is reported
    r = verifier.verify(pin, source="t", vector=v[::-1].copy(), expected_model="n")
    assert r.error is VerifyError.VECTOR_TAMPERED
    # a 2-D vector is a shape problem, found after the signature and before the source
    r = verifier.verify(pin, source="t", vector=np.stack([v, v]))
    assert r.error is VerifyError.SHAPE_MISMATCH
    r = Verifier({"x": signer.public_key_bytes()}).verify(pin, vector=np.stack([v, v]))
    assert r.error is VerifyError.UNKNOWN_KEY


def test_pin_json_round_trip_and_header(signer: Signer) -> None:
    ts = datetime(2026, 5, 5, 12, 0, 0, tzinfo=UTC)
    pin = signer.pin(source="hello world", model="test-model-v1", vector=vec(), timestamp=ts, extra={"b": "2", "a": "1"})
    text = pin.to_json()
    assert text.startswith('{"extra":{"a":"1","b":"2"},"kid":"k-2026"') and " " not in text
    back = Pin.from_json(text)
    assert back == pin and back.to_json() == text
    h = back.header
    assert isinstance(h, PinHeader)
    assert (h.v, h.kid, h.model, h.ts, h.vec_dtype, h.vec_dim) == (2, "k-2026", "test-model-v1", "2026-05-05T12:00:00Z",
                                                                  "f32", 16)
    assert h.source_hash == hash_text("hello world") and h.vec_hash == hash_vector(vec(), "f32")
    assert h.extra == {"a": "1", "b": "2"} and len(pin.sig) == 64 and pin.kid == "k-2026"
    assert h.canonicalize().startswith(vectorpin.DOMAIN_TAG) and h.canonicalize() == pin.signed_bytes()
    rebuilt = Pin(header=h, sig=pin.sig)
    assert rebuilt == pin
    assert Pin.from_dict(pin.to_dict()) == pin


def test_strict_parsing_is_a_value_error() -> None:
    for bad in ["", "{", "[]", '{"v":2}', "x" * 70000]:
        with pytest.raises(ValueError) as info:
            Pin.from_json(bad)
        assert isinstance(info.value, PinParseError) and info.value.error is VerifyError.PARSE_ERROR


def test_legacy_v1_is_opt_in(testvectors) -> None:
    import json
    data = json.loads((testvectors / "v1.json").read_text())
    pin_json = data["fixtures"][0]["expected"]["pin_json"]
    with pytest.raises(PinParseError) as info:
        Pin.from_json(pin_json)
    assert info.value.error is VerifyError.UNSUPPORTED_VERSION
    pin = LegacyV1Verifier.parse_pin(pin_json)
    keys = {data["key_id"]: TEST_PUB}
    assert LegacyV1Verifier(keys).verify(pin).ok
    assert Verifier(keys).verify(pin).error is VerifyError.UNSUPPORTED_VERSION
    assert Verifier(keys).verify(pin_json).error is VerifyError.UNSUPPORTED_VERSION
    assert Verifier(keys, accept_v1_legacy=True).verify(pin_json).ok


def test_key_entry_windows_with_datetimes(signer: Signer) -> None:
    v = vec()
    pin = signer.pin(source="s", model="m", vector=v, timestamp=datetime(2026, 3, 1, tzinfo=UTC))
    pub = signer.public_key_bytes()

    def verdict(lo, hi):
        return Verifier({"k-2026": KeyEntry(public_key=pub, valid_from=lo, valid_until=hi)}).verify(pin).error

    may, jan = datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)
    assert verdict(jan, may) is VerifyError.OK
    assert verdict(may, None) is VerifyError.KEY_EXPIRED
    assert verdict(None, jan) is VerifyError.KEY_EXPIRED
    at = datetime(2026, 3, 1, tzinfo=UTC)
    assert verdict(at, None) is VerifyError.OK  # valid_from is inclusive
    assert verdict(None, at) is VerifyError.KEY_EXPIRED  # valid_until is exclusive
    # fractions of a second: the pin's whole-second ts is compared exactly
    assert verdict(at + timedelta(microseconds=1), None) is VerifyError.KEY_EXPIRED
    assert verdict(None, at + timedelta(microseconds=1)) is VerifyError.OK
    # another time zone names the same instant
    plus2 = timezone(timedelta(hours=2))
    assert verdict(datetime(2026, 3, 1, 2, 0, 0, tzinfo=plus2), None) is VerifyError.OK
    with pytest.raises(ValueError, match="timezone-aware"):
        verdict(datetime(2026, 1, 1), None)
    with pytest.raises(ValueError):
        verdict(may, jan)  # an empty window is a configuration mistake


def test_bad_keys_and_duplicates(signer: Signer) -> None:
    with pytest.raises(ValueError):
        Verifier({"k": b"\x00" * 32})  # small order
    with pytest.raises(ValueError):
        Verifier({"k": b"short"})
    with pytest.raises(TypeError):
        Verifier({"k": 12})
    v = Verifier({"k": signer.public_key_bytes()})
    with pytest.raises(ValueError, match="DUPLICATE_KEY_ID"):
        v.add_key("k", signer.public_key_bytes())
    v.add_key("k2", TEST_PUB, valid_from="2026-01-01T00:00:00Z")
    assert v.key_count == 2


def test_prepared_key_limit_bounds_tables_not_answers() -> None:
    # With VECTORPIN_ED25519=libsodium no table is built at all.
    tables = os.environ.get("VECTORPIN_ED25519") != "libsodium"
    assert vectorpin.DEFAULT_PREPARED_KEY_LIMIT == 128
    assert vectorpin.PREPARED_KEY_BYTES > 100_000
    v32 = vec(4)
    signers = [Signer.generate(f"k{i}") for i in range(3)]
    pins = [s.pin(source="text", model="model", vector=v32) for s in signers]
    for limit in (0, 1, 2, vectorpin.DEFAULT_PREPARED_KEY_LIMIT):
        # k2 is registered with k0's key: its pin must fail, table or not.
        verifier = Verifier({"k0": signers[0].public_key_bytes(), "k1": signers[1].public_key_bytes(),
                             "k2": signers[0].public_key_bytes()})
        assert verifier.prepared_key_limit == vectorpin.DEFAULT_PREPARED_KEY_LIMIT
        verifier.prepared_key_limit = limit
        assert verifier.prepared_key_limit == limit
        for _ in range(2):
            assert verifier.verify(pins[0], source="text", vector=v32)
            assert verifier.verify(pins[1], source="text", vector=v32)
            assert verifier.verify(pins[2], source="text", vector=v32).error == VerifyError.SIGNATURE_INVALID
        assert verifier.prepared_key_count == (min(limit, 3) if tables else 0), limit
    verifier = Verifier()
    with pytest.raises(ValueError):
        verifier.prepared_key_limit = -1
    with pytest.raises(TypeError):
        verifier.prepared_key_limit = 1.5  # type: ignore[assignment]
    with pytest.raises(TypeError):
        verifier.prepared_key_limit = True


def test_signing_refusals(signer: Signer) -> None:
    v = vec()
    with pytest.raises(ValueError):
        signer.pin(source="s", model="", vector=v)
    with pytest.raises(ValueError):
        signer.pin(source="s", model="m\u202e", vector=v)
    with pytest.raises(ValueError):
        signer.pin(source="s", model="m", vector=np.array([1.0, np.inf]))
    with pytest.raises(ValueError):
        signer.pin(source="s", model="m", vector=np.array([1e39]))  # overflows f32
    with pytest.raises(ValueError):
        signer.pin(source="s", model="m", vector=np.zeros((2, 2), dtype=np.float32))
    with pytest.raises(ValueError):
        signer.pin(source="s", model="m", vector=np.array([], dtype=np.float32))
    with pytest.raises(ValueError):
        signer.pin(source="\ud800", model="m", vector=v)
    with pytest.raises(ValueError, match="timezone-aware"):
        signer.pin(source="s", model="m", vector=v, timestamp=datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        Signer.generate(key_id="")
    with pytest.raises(ValueError):
        Signer.from_private_bytes(b"\x01" * 31, "k")


def test_nfc_and_options(signer: Signer) -> None:
    pin = signer.pin(source="caf\u0065\u0301", model="mode\u0301l", vector=vec(), model_hash="sha256:" + "ab" * 32,
                     vec_dtype="f64", protocol=2)
    assert pin.header.model == "mod\u00e9l" and pin.header.vec_dtype == "f64"
    assert pin.header.model_hash == "sha256:" + "ab" * 32
    assert pin.header.source_hash == hash_text("caf\u00e9")
    v1 = signer.pin(source="s", model="m", vector=vec(), protocol=1)
    assert v1.header.v == 1


def test_key_files_and_pem(tmp_path, signer: Signer) -> None:
    s = Signer.generate(key_id="file-key")
    s.save(tmp_path / "raw")
    priv = tmp_path / "raw" / "file-key.priv"
    assert stat.S_IMODE(os.stat(priv).st_mode) == 0o600
    assert priv.read_bytes() != b"" and len(priv.read_bytes()) == 32
    with pytest.raises(OSError):
        s.save(tmp_path / "raw")  # never overwritten
    loaded = Signer.from_file(priv, "file-key")
    assert loaded.public_key_bytes() == s.public_key_bytes()
    assert Signer.from_private_bytes(priv.read_bytes(), "x").public_key_bytes() == s.public_key_bytes()
    os.chmod(priv, 0o644)
    with pytest.raises(OSError, match="INSECURE_PERMISSIONS"):
        Signer.from_file(priv, "file-key")
    s.save(tmp_path / "pem", pem=True)
    pem = (tmp_path / "pem" / "file-key.priv").read_bytes()
    with pytest.raises(ValueError, match="allow_unencrypted"):
        Signer.from_pem(pem, "file-key")
    with pytest.raises(ValueError):
        Signer.from_pem(pem, "file-key", password=b"pw")
    from_pem = Signer.from_pem(pem, key_id="file-key", allow_unencrypted=True)
    assert from_pem.public_key_bytes() == s.public_key_bytes()
    pub_pem = (tmp_path / "pem" / "file-key.pub").read_bytes()
    pin = from_pem.pin(source="s", model="m", vector=vec())
    assert Verifier({"file-key": pub_pem}).verify(pin).ok
    with pytest.raises(NotImplementedError):
        s.private_key_bytes()


def test_pins_pickle_and_signers_do_not(signer: Signer) -> None:
    import pickle
    pin = signer.pin(source="s", model="m", vector=vec())
    assert pickle.loads(pickle.dumps(pin)) == pin
    with pytest.raises(TypeError):
        pickle.dumps(signer)


def test_registry_document(signer: Signer) -> None:
    import json
    doc = json.dumps({"k-2026": {"public_key": TEST_PUB, "valid_from": "2020-01-01T00:00:00Z", "valid_until": None}})
    verifier = Verifier.from_registry_json(doc)
    assert verifier.verify(signer.pin(source="s", model="m", vector=vec())).ok


def test_constructor_and_duck_typed_keys(signer: Signer) -> None:
    class FakeCryptographyKey:  # the methods upstream's `cryptography` keys have
        def __init__(self, raw: bytes) -> None:
            self.raw = raw

        def private_bytes_raw(self) -> bytes:
            return self.raw

        def public_bytes_raw(self) -> bytes:
            return Signer.from_private_bytes(self.raw, "x").public_key_bytes()

    direct = Signer(SEED, "k-2026")
    assert direct.public_key_bytes() == signer.public_key_bytes()
    assert Signer(FakeCryptographyKey(SEED), "k-2026").public_key_bytes() == signer.public_key_bytes()
    pin = direct.pin(source="s", model="m", vector=vec())
    assert Verifier({"k-2026": FakeCryptographyKey(SEED)}).verify(pin).ok
    assert Verifier({"k-2026": KeyEntry(FakeCryptographyKey(SEED))}).verify(pin).ok
