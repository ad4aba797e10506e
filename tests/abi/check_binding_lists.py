#!/usr/bin/env python3
"""Checks that every binding's copy of the header's tables (status codes,
dtypes, reserved extra keys), of its protocol constants and of the release
version says exactly what include/vectorpin.h says (Go, Java, C#, Node and
Python). Each list is compared as a whole: a missing, extra
or renumbered entry fails, naming the file.

Usage: check_binding_lists.py REPO_ROOT
Prints one line per check and "N passed, N failed"."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import header_api  # noqa: E402


def pascal(name):
    return "".join(w.capitalize() for w in name.lower().split("_"))


def go_name(name):
    # Go keeps initialisms upper-case.
    return "".join(w if w in ("OK", "ID", "IO") else w.capitalize() for w in name.split("_"))


def camel(name):
    p = pascal(name)
    return p[0].lower() + p[1:]


def define(header, name):
    m = re.search(r"^#define " + name + r" (\d+)$", header, re.M)
    return m.group(1) if m else f"(no {name} in the header)"


class Checker:
    def __init__(self, root):
        self.root = root
        self.passed = 0
        self.failed = 0

    def read(self, rel):
        with open(os.path.join(self.root, rel), encoding="utf-8") as fh:
            return fh.read()

    def same(self, what, rel, found, expected, against="include/vectorpin.h"):
        found, expected = sorted(set(found)), sorted(set(expected))
        if found == expected:
            self.passed += 1
            print(f"ok: {what} in {rel}")
            return
        self.failed += 1
        missing = [e for e in expected if e not in found]
        extra = [f for f in found if f not in expected]
        print(f"FAILED: {what} in {rel} differs from {against}: missing {missing}, not in {against} {extra}")

    def within(self, what, rel, found, allowed):
        """A hand-kept subset of a header table: not empty, and every entry
        still in the header."""
        unknown = sorted(set(f for f in found if f not in allowed))
        if found and not unknown:
            self.passed += 1
            print(f"ok: {what} in {rel}")
            return
        self.failed += 1
        print(f"FAILED: {what} in {rel}: " + (f"not in the header {unknown}" if found else "no entries found"))

    def block(self, rel, start, end):
        """The text of `rel` between the first match of `start` and the next `end`."""
        text = self.read(rel)
        m = re.search(start, text)
        if not m:
            return ""
        rest = text[m.end():]
        e = re.search(end, rest)
        return rest[: e.start()] if e else rest


def main():
    root = sys.argv[1]
    c = Checker(root)
    header = c.read("include/vectorpin.h")
    statuses = header_api.statuses(header)
    dtypes = header_api.dtypes(header)
    extras = header_api.extra_keys(header)
    version = header_api.version(header)

    # Go: constants named after the C ones, and the key and dtype names.
    rel = "bindings/go/errors.go"
    found = re.findall(r"Status(\w+)\s+Status = C\.VECTORPIN_([A-Z_]+)", c.read(rel))
    c.same("status constants", rel, [(n, cn) for n, cn in found],
           [(go_name(n), n) for n, _ in statuses])
    rel = "bindings/go/options.go"
    c.same("reserved extra keys", rel, re.findall(r"Extra\w+\s*=\s*\"([^\"]+)\"", c.read(rel)), [k for _, _, k, _ in extras])
    rel = "bindings/go/hash.go"
    c.same("dtypes", rel, re.findall(r"Dtype(\w+)\s+Dtype = C\.VECTORPIN_DTYPE_(\w+)", c.read(rel)),
           [(n, n) for n, _, _ in dtypes] + [("Default", "DEFAULT")])
    c.same("dtype wire names", rel, re.findall(r"return \"(f\d+)\"", c.read(rel)), [w for _, _, w in dtypes])

    # Java: enums with the numbers, and the key constants.
    rel = "bindings/java/src/main/java/io/vectorpin/Status.java"
    found = [(n, int(v)) for n, v in re.findall(r"^\s*([A-Z_]+)\((-?\d+)\)[,;]", c.read(rel), re.M) if n != "UNKNOWN_STATUS"]
    c.same("status codes", rel, found, statuses)
    rel = "bindings/java/src/main/java/io/vectorpin/Dtype.java"
    found = [(n, int(v), w) for n, v, w in re.findall(r"^\s*([A-Z0-9_]+)\((\d+), \"([^\"]*)\"\)", c.read(rel), re.M)]
    c.same("dtypes", rel, found, dtypes + [("DEFAULT", 0, "")])
    rel = "bindings/java/src/main/java/io/vectorpin/PinOptions.java"
    found = re.findall(r"public static final String (\w+) = \"(vectorpin\.[^\"]+)\"", c.read(rel))
    c.same("reserved extra keys", rel, found, [(n, k) for n, _, k, _ in extras])

    # C#: enums with the numbers, and the key constants.
    rel = "bindings/csharp/src/VectorPin/VectorPinStatus.cs"
    body = c.block(rel, r"public enum VectorPinStatus\s*\{", r"\n\}")
    c.same("status codes", rel, [(n, int(v)) for n, v in re.findall(r"^\s*(\w+) = (\d+),", body, re.M)],
           [(pascal(n), v) for n, v in statuses])
    body = c.block(rel, r"public enum VectorDType\s*\{", r"\n\}")
    c.same("dtypes", rel, [(n, int(v)) for n, v in re.findall(r"^\s*(\w+) = (\d+),", body, re.M)],
           [(n, v) for n, v, _ in dtypes] + [("Default", 0)])
    body = c.block(rel, r"public enum ExpectationKind\s*\{", r"\n\}")
    c.same("expectations", rel, [(n, int(v)) for n, v in re.findall(r"^\s*(\w+) = (\d+),", body, re.M)],
           [(pascal(n), v) for n, v, _, _ in extras] + [("Model", 1)])
    body = c.block(rel, r"public static class ReservedExtraKeys\s*\{", r"\n\}")
    c.same("reserved extra keys", rel, re.findall(r"public const string (\w+) = \"([^\"]+)\"", body),
           [(pascal(n), k) for n, _, k, _ in extras])

    # TypeScript declarations and the JavaScript tables.
    rel = "bindings/node/lib/index.d.ts"
    body = c.block(rel, r"export type StatusName =", r";")
    c.same("status names", rel, re.findall(r"'([A-Z_]+)'", body), [n for n, _ in statuses])
    body = c.block(rel, r"export type VerificationError =", r";")
    c.same("verification outcomes", rel, re.findall(r"'([A-Z_]+)'", body), [n for n, v in statuses if 1 <= v <= 99])
    body = c.block(rel, r"export type Dtype =", r";")
    c.same("dtypes", rel, re.findall(r"'(\w+)'", body), [w for _, _, w in dtypes])
    rel = "bindings/node/lib/index.js"
    body = c.block(rel, r"const DTYPES = \{", r"\}")
    c.same("dtypes", rel, [(k, int(v)) for k, v in re.findall(r"(\w+): (\d+)", body)], [(w, v) for _, v, w in dtypes])
    body = c.block(rel, r"const RESERVED_EXTRA = \[", r"\];")
    c.same("reserved extra keys", rel, re.findall(r"\['(\w+)', '([^']+)'\]", body), [(camel(n), k) for n, _, k, _ in extras])

    # Python: the outcome enum (values are the lower-case names, as
    # upstream's), the status names the error classes route on, the dtype
    # wire names, the ABI it refuses to load without, and the protocol
    # constants it re-exports.
    rel = "bindings/python/src/vectorpin/verifier.py"
    body = c.block(rel, r"class VerifyError\(Enum\):", r"\n\n\n")
    c.same("verification outcomes", rel, re.findall(r"^\s*([A-Z_]+) = \"([a-z_]+)\"$", body, re.M),
           [(n, n.lower()) for n, v in statuses if v <= 99])
    rel = "bindings/python/src/vectorpin/_native.py"
    # Pin parsing raises PARSE_ERROR and UNSUPPORTED_VERSION too: any status.
    for table_name in ("_INPUT_ERRORS", "_FILE_ERRORS"):
        body = c.block(rel, table_name + r" = \{", r"\}")
        c.within(f"status names in {table_name}", rel, re.findall(r"\"([A-Z_]+)\"", body), [n for n, _ in statuses])
    rel = "bindings/python/src/vectorpin/hash.py"
    body = c.block(rel, r"CanonicalDtype = Literal\[", r"\]")
    c.same("dtype wire names", rel, re.findall(r"\"(\w+)\"", body), [w for _, _, w in dtypes])
    body = c.block(rel, r"_DTYPE_CODES = \{", r"\}")
    c.same("dtypes", rel, re.findall(r"\"(\w+)\": lib\.VECTORPIN_DTYPE_(\w+)", body), [(w, n) for n, _, w in dtypes])
    for rel in ("bindings/python/src/vectorpin/_native.py", "bindings/python/ffi_build.py"):
        c.same("ABI version", rel, re.findall(r"^ABI_VERSION = (\d+)$", c.read(rel), re.M),
               [define(header, "VECTORPIN_ABI_VERSION")])
    rel = "bindings/python/src/vectorpin/attestation.py"
    text = c.read(rel)
    c.same("protocol constants", rel, re.findall(r"^(PROTOCOL_VERSION|MAX_PIN_JSON_BYTES) = (\d+)$", text, re.M),
           [(n, define(header, "VECTORPIN_" + n)) for n in ("PROTOCOL_VERSION", "MAX_PIN_JSON_BYTES")])

    # The release version, written once in the header.
    for rel in ("bindings/node/package.json", "integrations/lancedb/package.json"):
        if os.path.exists(os.path.join(root, rel)):
            c.same("version", rel, [json.loads(c.read(rel))["version"]], [version])
    rel = "bindings/node/CMakeLists.txt"
    c.same("version", rel, re.findall(r"project\(vectorpin_node VERSION ([0-9.]+)", c.read(rel)), [version])
    rel = "bindings/csharp/Directory.Build.props"
    c.same("version", rel, re.findall(r"<Version>([^<]+)</Version>", c.read(rel)), [version])

    # The Python package carries upstream's API version (docs/bindings/python.md),
    # not the library's: its two hand-kept copies must agree with each other.
    init_rel, toml_rel = "bindings/python/src/vectorpin/__init__.py", "bindings/python/pyproject.toml"
    c.same("package version", init_rel, re.findall(r"^__version__ = \"([^\"]+)\"$", c.read(init_rel), re.M),
           re.findall(r"^version = \"([^\"]+)\"$", c.read(toml_rel), re.M), against=toml_rel)

    print(f"{c.passed} passed, {c.failed} failed")
    return 0 if c.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
