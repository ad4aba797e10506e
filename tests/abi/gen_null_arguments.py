#!/usr/bin/env python3
"""Writes a C++ test that calls every function of include/vectorpin.h with
NULL for each of its (pointer, length) pairs (with lengths 1 and SIZE_MAX)
and for each pointer it requires, and checks that the call returns
VECTORPIN_INVALID_ARGUMENT and fills the error.

Each function is first called with valid arguments, which must not give
VECTORPIN_INVALID_ARGUMENT: so a refusal seen afterwards is the refusal of
the NULL just passed, not of something else.

Every parameter of every function must be classified by the rules below;
one that is not stops the generator (and so the build), so a function added
to the header cannot escape the test.

Usage: gen_null_arguments.py HEADER OUTPUT.cpp"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import header_api  # noqa: E402

HANDLES = {
    "vectorpin_signer": ("signer", "vectorpin_signer_free"),
    "vectorpin_pin": ("pin", "vectorpin_pin_free"),
    "vectorpin_verifier": ("verifier", "vectorpin_verifier_free"),
    "vectorpin_pin_options": ("options", "vectorpin_pin_options_free"),
    "vectorpin_expectations": ("expectations", "vectorpin_expectations_free"),
    "vectorpin_batch": ("batch", "vectorpin_batch_free"),
}
# Handles a function may take as NULL ("use the defaults" / "none").
OPTIONAL_HANDLE_NAMES = {"options", "expectations"}
# Valid values for scalar parameters, by (type, name).
SCALARS = {
    ("vectorpin_dtype", "dtype"): "VECTORPIN_DTYPE_F32",
    ("vectorpin_pin_field", "field"): "VECTORPIN_FIELD_KID",
    ("vectorpin_expectation", "which"): "VECTORPIN_EXPECT_MODEL",
    ("int", "version"): "2",
    ("int", "enabled"): "0",
    ("int", "wait"): "0",
    ("int", "status"): "12345",
    ("uint32_t", "flags"): "0",
    ("uint32_t", "threads"): "1",
    ("uint64_t", "cookie"): "7",
    ("size_t", "index"): "0",
    ("size_t", "limit"): "VECTORPIN_DEFAULT_PREPARED_KEY_LIMIT",
}
# Valid input spans by pointer name: an expression for the pointer and one
# for the length.
TEXT_INPUTS = {
    "kid": '"k"',
    "path": '"/nonexistent/vectorpin-null-arguments"',
    "dir": '"/proc/vectorpin-null-arguments"',
    "ts": '"2024-01-01T00:00:00Z"',
    "valid_from": '"2024-01-01T00:00:00Z"',
    "valid_until": '"2034-01-01T00:00:00Z"',
    "json": "w.pin_json.c_str()",
    "pin_json": "w.pin_json.c_str()",
}
LENGTH_NAMES = ("_len", "_cap")


class Unclassified(Exception):
    pass


def partner(params, i):
    """The index of the size_t that gives the length of params[i], or None."""
    p = params[i]
    for j in range(i + 1, len(params)):
        q = params[j]
        if q.ctype != "size_t":
            continue
        if q.name in (p.name + "_len", p.name + "_cap"):
            return j
        if q.name == "dim" and p.name == "vector":
            return j
        if q.name == "count" and p.name in ("items", "results"):
            return j
    return None


def classify(f):
    """Returns (setup lines, argument expressions, null cases, cleanup).

    A null case is (description, argument expressions)."""
    params = f.params
    args = [None] * len(params)
    setup, cleanup = [], []
    required, spans = [], []
    used = set()
    has_err = bool(params) and params[-1].ctype == "vectorpin_error*" and params[-1].name == "err"
    for i, p in enumerate(params):
        if i in used:
            continue
        t, n = p.ctype, p.name
        base = t.replace("const ", "").rstrip("*")
        if has_err and i == len(params) - 1:
            args[i] = "&err"
        elif t.endswith("**") and base in HANDLES and n.startswith("out_"):
            setup.append(f"{base}* {n} = nullptr;")
            cleanup.append(f"{HANDLES[base][1]}({n});")
            args[i] = f"&{n}"
            required.append(i)
        elif t.endswith("*") and not t.endswith("**") and base in HANDLES:
            args[i] = f"w.{HANDLES[base][0]}"
            if not (i > 0 and n in OPTIONAL_HANDLE_NAMES):
                required.append(i)
        elif t in ("char**", "uint8_t**", "const char**") and n.startswith("out"):
            j = i + 1
            if j >= len(params) or params[j].ctype != "size_t*" or params[j].name != n + "_len":
                raise Unclassified(f"{f.name}: output {n} without its {n}_len")
            ctype = t[:-1]
            setup.append(f"{ctype} {n} = nullptr; size_t {n}_len = 0;")
            if t != "const char**":
                cleanup.append(f"vectorpin_free({n});")
            args[i], args[j] = f"&{n}", f"&{n}_len"
            required += [i, j]
            used.add(j)
        elif t == "uint64_t*" and n == "out_cookie":
            setup.append("uint64_t out_cookie = 0;")
            args[i] = "&out_cookie"  # optional: may be NULL
        elif t == "vectorpin_error*" and n == "out_result":
            setup.append("vectorpin_error out_result{};")
            args[i] = "&out_result"
            required.append(i)
        elif t == "vectorpin_sign_callback" and n == "callback":
            args[i] = "&sign_with_world_key"
            required.append(i)
        elif t == "void*" and n == "user_data":
            args[i] = "&w"  # optional: handed to the callback as it is
        elif t.endswith("*"):
            j = partner(params, i)
            if j is None:
                raise Unclassified(f"{f.name}: pointer parameter '{p}' has no length and no rule")
            q = params[j]
            if base in ("char", "uint8_t") and not t.startswith("const") and n == "out":
                setup.append(f"{base} out_buffer[512] = {{}};")
                args[i], args[j] = "out_buffer", "sizeof out_buffer"
            elif t == "const char*":
                value = TEXT_INPUTS.get(n, '"abc"')
                setup.append(f"const char* {n}_text = {value};")
                args[i], args[j] = f"{n}_text", f"std::strlen({n}_text)"
            elif t == "const uint8_t*":
                src = "w.public_key" if n == "public_key" else "w.seed"
                args[i], args[j] = f"{src}.data()", f"{src}.size()"
            elif t in ("const float*", "const double*"):
                elem = base.replace("const ", "")
                setup.append(f"const {elem} {n}_values[4] = {{0.25, -0.5, 1.0, 2.0}};")
                args[i], args[j] = f"{n}_values", "4"
            elif t == "vectorpin_error*" and n == "results":
                setup.append("vectorpin_error results_array[1] = {};")
                args[i] = "results_array"
                if args[j] is None:
                    args[j] = "1"
            elif t == "const vectorpin_batch_item*" and n == "items":
                setup.append("vectorpin_batch_item items_array[1] = {VECTORPIN_BATCH_ITEM_INIT};")
                setup.append("items_array[0].pin_json = w.pin_json.c_str();")
                setup.append("items_array[0].pin_json_len = w.pin_json.size();")
                args[i] = "items_array"
                if args[j] is None:
                    args[j] = "1"
            else:
                raise Unclassified(f"{f.name}: span '{p}, {q}' of a kind the generator does not know")
            spans.append((i, j))
            used.add(j)
        elif (t, n) in SCALARS:
            args[i] = SCALARS[(t, n)]
        elif t == "size_t" and i in used:
            pass
        else:
            raise Unclassified(f"{f.name}: parameter '{p}' matches no rule")
    if None in args:
        raise Unclassified(f"{f.name}: parameter {params[args.index(None)]} was left without a value")
    cases = []
    for i, j in spans:
        for n in ("1", "SIZE_MAX"):
            a = list(args)
            a[i] = "nullptr"
            a[j] = n
            cases.append((f"{params[i].name} = NULL, {params[j].name} = {n}", a))
    for i in required:
        a = list(args)
        a[i] = "nullptr"
        cases.append((f"{params[i].name} = NULL", a))
    return setup, args, cases, cleanup, has_err


def emit(functions):
    out = []
    w = out.append
    w("// Generated from include/vectorpin.h by tests/abi/gen_null_arguments.py. Do not edit.")
    w('#include "null_arguments_world.hpp"')
    w("")
    names = []
    for f in functions:
        if f.ret != "vectorpin_status":
            # Not fallible: every pointer it takes may be NULL.
            if any(p.is_pointer and p.ctype.replace("const ", "").rstrip("*") not in HANDLES and p.ctype != "void*"
                   for p in f.params) or any(not p.is_pointer and (p.ctype, p.name) not in SCALARS for p in f.params):
                raise Unclassified(f"{f.name}: returns {f.ret} but takes '{f.params}', which needs a status")
            call_args = ", ".join("nullptr" if p.is_pointer else SCALARS[(p.ctype, p.name)] for p in f.params)
            w(f"static void null_safe_{f.name}(Tally& t) {{")
            w(f"  (void){f.name}({call_args});")
            w(f'  t.pass("{f.name}: NULL-safe");')
            w("}")
            names.append(f"null_safe_{f.name}")
            continue
        if not f.warn_unused:
            raise Unclassified(f"{f.name}: returns a status but is not VECTORPIN_WARN_UNUSED_RESULT")
        setup, args, cases, cleanup, has_err = classify(f)
        for k, (desc, a) in enumerate([("valid arguments", args)] + cases):
            fn = f"case_{f.name}_{k}"
            w(f"static void {fn}(Tally& t) {{")
            w("  World w;")
            w("  vectorpin_error err{};")
            w("  err.code = -1;")
            for s in setup:
                w("  " + s)
            w(f"  vectorpin_status st = {f.name}({', '.join(a)});")
            if k == 0:
                w(f'  t.expect(st != VECTORPIN_INVALID_ARGUMENT, "{f.name}: {desc} are accepted", st, err);')
            else:
                w(f'  t.expect(st == VECTORPIN_INVALID_ARGUMENT, "{f.name}({desc}) is refused", st, err);')
                if has_err:
                    w(f'  t.expect(err.code == VECTORPIN_INVALID_ARGUMENT && err.message[0] != 0,'
                      f' "{f.name}({desc}) fills the error", st, err);')
            for c in cleanup:
                w("  " + c)
            w("}")
            names.append(fn)
    w("")
    w("int main() {")
    w("  Tally t;")
    for n in names:
        w(f"  {n}(t);")
    w("  return t.report();")
    w("}")
    return "\n".join(out) + "\n"


def main():
    header, output = sys.argv[1], sys.argv[2]
    with open(header, encoding="utf-8") as fh:
        text = fh.read()
    try:
        code = emit(header_api.functions(text))
    except (Unclassified, header_api.HeaderError) as e:
        sys.stderr.write(f"gen_null_arguments: {e}\n"
                         "Teach tests/abi/gen_null_arguments.py the new form, or follow the header's conventions.\n")
        return 1
    tmp = output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(code)
    os.replace(tmp, output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
