#!/usr/bin/env python3
"""doc_example.py CONFORMANCE_MD SHIM_FILE OUT: takes the example shim out of
the page (between the example-shim markers), checks that it equals SHIM_FILE
and writes it to OUT, where the conformance_cli test runs it."""
import re, sys

page = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<!-- example-shim:begin -->\n```python\n(.*?)\n```\n<!-- example-shim:end -->", page, re.S)
if not m:
    print("FAIL no example shim between the markers of " + sys.argv[1])
    print("0 passed, 1 failed")
    sys.exit(1)
code = m.group(1) + "\n"
with open(sys.argv[3], "w", encoding="utf-8") as out:
    out.write(code)
same = code == open(sys.argv[2], encoding="utf-8").read()
if not same:
    print("FAIL the example in %s differs from %s" % (sys.argv[1], sys.argv[2]))
print("%d passed, %d failed" % (1 if same else 0, 0 if same else 1))
sys.exit(0 if same else 1)
