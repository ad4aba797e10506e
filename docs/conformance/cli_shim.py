#!/usr/bin/env python3
"""A conformance shim over the `vectorpin` program (docs/CONFORMANCE.md).

Usage: vectorpin conformance --shim "python3 cli_shim.py /path/to/vectorpin"
Standard library only. Every request runs the program on files in a
scratch directory; the answers carry what the program printed.
"""
import base64, json, os, re, struct, subprocess, sys, tempfile

VECTORPIN = sys.argv[1] if len(sys.argv) > 1 else "vectorpin"
WORK = tempfile.mkdtemp(prefix="vectorpin-shim-")


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def write(name, data, mode=0o600):
    path = os.path.join(WORK, name)
    if os.path.exists(path):
        os.remove(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


def npy(vector):
    """A .npy file of the request's vector: its little-endian bytes as they are."""
    data = unb64(vector["data_b64"])
    count = len(data) // (4 if vector["dtype"] == "f32" else 8)
    descr = "<f4" if vector["dtype"] == "f32" else "<f8"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%d,), }" % (descr, count)
    header += " " * (-(len(header) + 11) % 64) + "\n"
    return write("vector.npy", b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data)


def run(*args):
    done = subprocess.run([VECTORPIN, *args], capture_output=True)
    return done.returncode, done.stdout, done.stderr.decode("utf-8", "replace")


def failure(stderr):
    """Refusals other than verification outcomes: the code the program names."""
    code = re.search(r"\b(INVALID_[A-Z]+|[A-Z]+_ERROR|[A-Z]+_MISMATCH|UNSUPPORTED_VERSION)\b", stderr)
    return {"status": code.group(1) if code else "ERROR", "detail": stderr.strip()[:200]}


def sign(inp):
    args = ["pin", "--private-key", write("key.priv", unb64(inp["seed_b64"])), "--key-id", inp["kid"],
            "--model", inp["model"], "--source", write("source.txt", unb64(inp["source_b64"])),
            "--vector", npy(inp["vector"]), "--protocol", str(inp.get("protocol", 2))]
    for option in ("dtype", "model_hash", "timestamp"):
        if option in inp:
            args += ["--" + option.replace("_", "-"), inp[option]]
    for key, value in inp.get("extra", {}).items():
        args += ["--extra", key + "=" + value]
    code, out, err = run(*args)
    return {"status": "OK", "pin_b64": b64(out.rstrip(b"\n"))} if code == 0 else failure(err)


def verify(inp, pin=None):
    registry = {k["kid"]: {"public_key": k["public_key_b64"], "valid_from": k.get("valid_from"),
                           "valid_until": k.get("valid_until")} for k in inp["keys"]}
    args = ["verify-pin", "--registry", write("registry.json", json.dumps(registry).encode()),
            "--pin", write("pin.json", pin if pin is not None else unb64(inp["pin_b64"]))]
    if "source_b64" in inp:
        args += ["--source", write("source.txt", unb64(inp["source_b64"]))]
    if "vector" in inp:
        args += ["--vector", npy(inp["vector"])]
    for field, option in (("expect_model", "--expect-model"), ("expect_record_id", "--record-id"),
                          ("expect_collection_id", "--collection-id"), ("expect_tenant_id", "--tenant-id")):
        if field in inp:
            args += [option, inp[field]]
    if inp.get("legacy_v1"):
        args.append("--legacy-v1")
    code, out, err = run(*args)
    if code in (0, 1):
        answer = json.loads(out)
        return {"status": answer["error"] or "OK", "detail": answer["detail"]}
    return failure(err)


def add_key(inp):
    # Registering happens before the pin is read; "{}" then fails to parse.
    answer = verify({"keys": [inp]}, pin=b"{}")
    return {"status": "OK"} if answer["status"] == "PARSE_ERROR" else answer


def parse(inp):
    code, out, err = run("inspect", "--pin", write("pin.json", unb64(inp["pin_b64"])))
    if code == 0:
        fields = json.loads(out)
        return {"status": "OK", "signed_bytes_b64": fields["signed_bytes_b64"],
                "pin_b64": b64(fields["pin_json"].encode())}
    return {"status": json.loads(out)["error"]} if code == 1 else failure(err)


def fingerprint(inp):
    code, out, err = run("fingerprint", "--public-key", write("key.pub", unb64(inp["public_key_b64"]), 0o644))
    return {"status": "OK", "fingerprint": json.loads(out)["fingerprint"]} if code == 0 else failure(err)


def hash_via_pin(source, vector, hash_dtype, field):
    """The program hashes only while pinning: pin with a throwaway key, read the hash."""
    if not unb64(vector["data_b64"]):
        return {"status": "unsupported"}  # the program refuses to pin an empty vector
    answer = sign({"seed_b64": b64(bytes(32)), "kid": "hash", "model": "hash", "source_b64": b64(source),
                   "vector": vector, "dtype": hash_dtype, "timestamp": "2026-01-01T00:00:00Z"})
    if answer["status"] != "OK":
        return answer
    return {"status": "OK", "hash": json.loads(unb64(answer["pin_b64"]))[field]}


OPS = {
    "sign": sign, "verify": verify, "add_key": add_key, "parse": parse, "fingerprint": fingerprint,
    "hash_text": lambda i: hash_via_pin(unb64(i["text_b64"]), {"dtype": "f32", "data_b64": "AACAPw"}, "f32", "source_hash"),
    "hash_vector": lambda i: hash_via_pin(b"", i["vector"], i["hash_dtype"], "vec_hash"),
}

for line in sys.stdin:
    request = json.loads(line)
    if request["op"] == "hello":
        answer = {"status": "OK", "protocol": 1, "name": "cli", "implementation": run("--version")[1].decode().strip()}
    elif request["op"] in OPS:
        answer = OPS[request["op"]](request["input"])
    else:
        answer = {"status": "unsupported"}
    answer["id"] = request["id"]
    print(json.dumps(answer), flush=True)
