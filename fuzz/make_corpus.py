#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/<target>/ from the fixture files.

Run again after the fixtures change (python3 fuzz/make_corpus.py). Each seed
is named by the SHA-1 of its content, as libFuzzer names its own finds, so a
rerun only adds files. Seeds are inputs for the targets' framing, described
at the top of each fuzz_<target>.cpp.
"""
import base64
import hashlib
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.environ.get("VECTORPIN_TESTVECTORS", os.path.join(HERE, "..", "testvectors"))
SEP = b"\x1e\x1e"
# libFuzzer's default -max_len is the larger of 4096 and the largest seed, and
# it tries lengths up to it: one 64 KiB seed makes every later input slow.
MAX_SEED_BYTES = 8192
SPKI = bytes.fromhex("302a300506032b6570032100")
PKCS8 = bytes.fromhex("302e020100300506032b657004220420")


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def pem(label, der):
    body = base64.b64encode(der).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return ("-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label)).encode()


def load(name):
    path = os.path.join(VECTORS, name)
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return json.load(f)


class Corpus:
    def __init__(self):
        self.targets = {}

    def add(self, target, data):
        if isinstance(data, str):
            data = data.encode()
        if len(data) > MAX_SEED_BYTES:
            return  # the size-limit cases are covered by tests; huge seeds slow every run
        self.targets.setdefault(target, set()).add(bytes(data))

    def write(self):
        for target, items in sorted(self.targets.items()):
            d = os.path.join(HERE, "corpus", target)
            os.makedirs(d, exist_ok=True)
            for data in items:
                with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
                    f.write(data)
            print("%-10s %4d seeds" % (target, len(items)))


def verify_seed(pin, source=None, vector=None, f64=False, legacy=False, expect=()):
    flags = (1 if source is not None else 0) | (2 if vector is not None else 0) | (4 if f64 else 0) \
        | (8 if legacy else 0) | (16 if expect else 0)
    lines = b"\n".join(k.encode() + v.encode() for k, v in expect)
    return bytes([flags]) + SEP + pin + SEP + (source or b"") + SEP + (vector or b"") + SEP + lines


def main():
    c = Corpus()
    pins = []
    v1, v2 = load("v1.json"), load("v2.json")
    n1, n2 = load("negative_v1.json"), load("negative_v2.json")
    ext = load("extended.json")
    if not (v1 and v2 and n2 and ext):
        sys.exit("fixture files missing under %s" % VECTORS)

    for fx in v1["fixtures"]:
        pin = fx["expected"]["pin_json"].encode()
        pins.append(pin)
        inp = fx["input"]
        c.add("verify", verify_seed(pin, inp["source"].encode(), b64url(inp["vector_b64"]),
                                    inp["vec_dtype"] == "f64", legacy=True))
    for fx in v2["fixtures"]:
        pin = fx["pin_json"].encode()
        pins.append(pin)
        inp = fx["input"]
        vec = b64url(inp["vec_b64"])
        f64 = inp["vec_dtype"] == "f64"
        expect = [("M", inp["model"])]
        for k, letter in (("vectorpin.record_id", "R"), ("vectorpin.collection_id", "C"),
                          ("vectorpin.tenant_id", "T")):
            if k in (inp.get("extra") or {}):
                expect.append((letter, inp["extra"][k]))
        c.add("verify", verify_seed(pin, inp["source"].encode(), vec, f64, expect=expect))
        c.add("verify", verify_seed(pin))
        c.add("unicode", inp["source"])
        c.add("sha256", vec)
    if n1:
        pins.append(n1["pin_json"].encode())
        c.add("verify", verify_seed(n1["pin_json"].encode(), None, b64url(n1["tampered_vector_b64"]), legacy=True))
    for fx in n2["fixtures"]:
        pin = fx["pin_json"].encode()
        pins.append(pin)
        vec = fx.get("tampered_vec_b64") or fx.get("nan_vec_b64")
        expect = []
        if "expected_model" in fx:
            expect.append(("M", fx["expected_model"]))
        if "expected_record_id" in fx:
            expect.append(("R", fx["expected_record_id"]))
        src = fx.get("tampered_source")
        c.add("verify", verify_seed(pin, src.encode() if src is not None else None,
                                    b64url(vec) if vec else None, fx.get("vec_dtype") == "f64", expect=expect))
    for case in ext["verify_cases"]:
        pin = case["pin_json"].encode() if "pin_json" in case else b64url(case["pin_json_b64"])
        if len(pin) > MAX_SEED_BYTES:
            continue
        pins.append(pin)
        src = case["source"].encode() if "source" in case else (
            b64url(case["source_b64"]) if "source_b64" in case else None)
        vec = b64url(case["vector_b64"]) if "vector_b64" in case else None
        expect = [(l, case[k]) for k, l in (("expected_model", "M"), ("expected_record_id", "R"),
                                            ("expected_collection_id", "C"), ("expected_tenant_id", "T"))
                  if k in case]
        c.add("verify", verify_seed(pin, src, vec, case.get("vector_dtype") == "f64",
                                    case.get("legacy_v1", False), expect))
        keys = case["keys"]
        reg = {k["kid"]: {"public_key": k["public_key_b64"], "valid_from": k["valid_from"],
                          "valid_until": k["valid_until"]} for k in keys}
        c.add("registry", json.dumps(reg, separators=(",", ":")))
        for k in keys:
            for ts in (k["valid_from"], k["valid_until"]):
                if ts:
                    c.add("registry", ts)
    for pin in pins:
        c.add("pin_parse", pin)
        try:
            obj = json.loads(pin)
            c.add("base64", obj.get("sig", ""))
            c.add("registry", obj.get("ts", ""))
        except (ValueError, AttributeError):
            pass

    pk = b64url(ext["public_key_b64"])
    seed = b64url(ext["private_seed_b64"])
    for case in ext["registry_cases"]:
        c.add("keys", case["public_key_b64"])
        c.add("keys", b64url(case["public_key_b64"]))
        c.add("registry", json.dumps({case["name"]: {"public_key": case["public_key_b64"],
                                                     "valid_from": case["valid_from"],
                                                     "valid_until": case["valid_until"]}}))
    c.add("keys", pk)
    c.add("keys", pem("PUBLIC KEY", SPKI + pk))
    c.add("keys", seed)
    c.add("keys", pem("PRIVATE KEY", PKCS8 + seed))
    c.add("registry", json.dumps({"k": {"public_key": pem("PUBLIC KEY", SPKI + pk).decode(),
                                        "valid_from": "2024-02-29T23:59:59Z", "valid_until": None}}))
    for ts in ("2000-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
               "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:60Z"):
        c.add("registry", ts)

    for case in ext["hash_text_cases"]:
        c.add("unicode", b64url(case["text_b64"]))
    for text in ("caf\u00e9", "cafe\u0301", "\u1e9b\u0323", "\ud55c\uad6d\uc5b4", "A\u030a\u0301"):
        c.add("unicode", text)
    c.add("unicode", b"\xc0\xaf")          # overlong
    c.add("unicode", b"\xed\xa0\x80")      # encoded surrogate
    c.add("unicode", b"\xf4\x90\x80\x80")  # above U+10FFFF

    for case in ext["hash_vector_cases"]:
        c.add("sha256", b64url(case["vector_b64"]))
    for n in (0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1000):
        c.add("sha256", bytes((i * 7 + n) & 0xff for i in range(n)))
    c.add("sha256", struct.pack("<16f", *[float(i) / 3 for i in range(16)]))
    c.add("sha256", struct.pack("<8d", *[float(i) / 3 for i in range(8)]))
    c.add("sha256", struct.pack("<16f", *([1.0] * 15 + [float("nan")])))

    for data in (b"", b"f", b"fo", b"foo", b"foob", b"-_", b"AQ", b"AR", b"AA==", b"+/+/", pk, seed):
        c.add("base64", data)

    # ed25519: the public edge-case suites as raw inputs (mode 0x00, and 0x20
    # to compare the prepared-key path too), and built inputs (mode bit 0)
    # with a few edits and special points, framed as fuzz_ed25519.cpp says.
    spec = load(os.path.join("ed25519", "speccheck_cases.json")) or []
    for case in spec:
        raw = bytes.fromhex(case["pub_key"]) + bytes.fromhex(case["signature"]) + bytes.fromhex(case["message"])
        c.add("ed25519", b"\x00" + raw)
        c.add("ed25519", b"\x20" + raw)
    wp = load(os.path.join("ed25519", "wycheproof_ed25519_test.json"))
    if wp:
        for group in wp["testGroups"]:
            key = bytes.fromhex(group["publicKey"]["pk"])
            for test in group["tests"]:
                sig = bytes.fromhex(test["sig"])
                if len(sig) == 64 and len(test["msg"]) <= 512:
                    c.add("ed25519", b"\x00" + key + sig + bytes.fromhex(test["msg"]))
    for mode in (0x01, 0x21, 0x05, 0x09, 0x0d, 0x11, 0x2d):
        for special in range(0, 12, 3):
            key_seed = bytes([7, special]) + bytes(range(30))
            c.add("ed25519", bytes([mode]) + key_seed + b"\x00" + b"message %d" % special)
    key_seed = bytes(range(32))
    c.add("ed25519", b"\x01" + key_seed + b"\x02" + b"\x00\x05\x01" + b"\x00\x70\x80" + b"edited message")
    c.write()


if __name__ == "__main__":
    main()
