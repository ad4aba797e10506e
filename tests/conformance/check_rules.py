#!/usr/bin/env python3
"""Checks testvectors/cases.json against PROTOCOL.md and its JSON Schema.

check_rules.py CASES_JSON SCHEMA_JSON [PROTOCOL_MD]
  - cases.json validates against the schema;
  - every rule has at least one case, unless it states why the shim protocol
    cannot test it; every case names a listed rule; case ids are unique;
  - with PROTOCOL_MD: the rule ids are exactly those derived from its
    sections, in order (derivation: testvectors/generator/protocol_rules.hpp).
Prints "N passed, N failed" and exits non-zero on any failure.
"""
import json, re, sys

import jsonschema


def derive_rule_ids(text):
    ids, section, items = [], None, []

    def close():
        if section is not None:
            ids.extend(items if items else [section])

    bullet = 0
    for line in text.splitlines():
        m = re.match(r"^## (\d+)\. ", line)
        if m:
            close()
            section, items, bullet = m.group(1), [], 0
            continue
        if section is None:
            continue
        row = re.match(r"^\| `([a-z_]+)`", line)
        numbered = re.match(r"^(\d+)\. ", line)
        if row:
            items.append(section + "." + row.group(1))
        elif numbered:
            items.append(section + "." + numbered.group(1))
        elif line.startswith("- "):
            items.append(section + "." + chr(ord("a") + bullet))
            bullet += 1
    close()
    return ids


def main():
    cases_path, schema_path = sys.argv[1], sys.argv[2]
    protocol_path = sys.argv[3] if len(sys.argv) > 3 else None
    with open(cases_path, encoding="utf-8") as f:
        doc = json.load(f)
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    passed, failed = 0, 0

    def check(ok, message):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL " + message)

    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
    check(not errors, "cases.json does not match its schema: " + "; ".join(e.message[:200] for e in errors[:5]))

    rules = [r["id"] for r in doc["rules"]]
    outside = {r["id"] for r in doc["rules"] if "outside_shim_protocol" in r}
    check(len(rules) == len(set(rules)), "a rule id is listed twice")
    count = {r: 0 for r in rules}
    ids = set()
    for case in doc["cases"]:
        check(case["rule"] in count, "case %s names the unknown rule %s" % (case["id"], case["rule"]))
        count[case["rule"]] = count.get(case["rule"], 0) + 1
        check(case["id"] not in ids, "case id %s is used twice" % case["id"])
        ids.add(case["id"])
    for rule in rules:
        if rule in outside:
            check(count[rule] == 0, "rule %s has cases but says it is outside the shim protocol" % rule)
        else:
            check(count[rule] > 0, "rule %s of PROTOCOL.md has no case" % rule)

    if protocol_path:
        with open(protocol_path, encoding="utf-8") as f:
            derived = derive_rule_ids(f.read())
        missing = [r for r in derived if r not in rules]
        extra = [r for r in rules if r not in derived]
        check(not missing, "rules of PROTOCOL.md missing from the rule list: %s" % missing)
        check(not extra, "listed rules PROTOCOL.md does not have: %s" % extra)
        check(missing or extra or derived == rules, "the rule list is not in PROTOCOL.md's order")

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
