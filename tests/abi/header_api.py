"""Reads include/vectorpin.h: its function declarations and its tables.

Shared by the generator of the NULL-argument test and by the check that the
bindings' lists match the header. Understands exactly the declaration forms
the header uses; anything else raises HeaderError, so a new form is noticed
instead of skipped."""
import re


class HeaderError(Exception):
    pass


class Param:
    def __init__(self, ctype, name):
        self.ctype = ctype
        self.name = name

    @property
    def is_pointer(self):
        return self.ctype.endswith("*")

    def __repr__(self):
        return f"{self.ctype} {self.name}"


class Function:
    def __init__(self, ret, name, params, warn_unused):
        self.ret = ret
        self.name = name
        self.params = params
        self.warn_unused = warn_unused


def _strip_comments(text):
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.S)


def _logical_lines(text):
    # Joins backslash continuations so every #define is one line.
    return text.replace("\\\n", " ").split("\n")


def functions(header_text):
    text = _strip_comments(header_text)
    lines = [l for l in _logical_lines(text) if not l.lstrip().startswith("#")]
    body = " ".join(lines)
    out = []
    for m in re.finditer(r"(VECTORPIN_WARN_UNUSED_RESULT\s+)?VECTORPIN_API\s+([^;{}]*?)\s*\(([^()]*)\)\s*;", body):
        warn, head, args = m.group(1) is not None, m.group(2), m.group(3)
        hm = re.fullmatch(r"(.*?[\s*])(vectorpin_[a-z0-9_]+)", head.strip())
        if not hm:
            raise HeaderError(f"cannot read the declaration '{head}'")
        ret = " ".join(hm.group(1).replace("*", " * ").split()).replace(" *", "*")
        name = hm.group(2)
        params = []
        args = " ".join(args.split())
        if args != "void":
            for a in args.split(","):
                am = re.fullmatch(r"\s*(.*?[\s*])([a-z_][a-z0-9_]*)\s*", a)
                if not am:
                    raise HeaderError(f"{name}: cannot read the parameter '{a.strip()}'")
                ctype = " ".join(am.group(1).replace("*", " * ").split()).replace(" *", "*")
                params.append(Param(ctype, am.group(2)))
        out.append(Function(ret, name, params, warn))
    # Every VECTORPIN_API must have been understood.
    if len(out) != len(re.findall(r"\bVECTORPIN_API\b", body)) - body.count("define VECTORPIN_API"):
        raise HeaderError("a VECTORPIN_API declaration has a form this reader does not know")
    return out


def table(header_text, macro):
    """The rows of an X-macro table: lists of the X(...) arguments as text."""
    for line in _logical_lines(_strip_comments(header_text)):
        m = re.match(r"\s*#\s*define\s+" + macro + r"\(X\)\s*(.*)", line)
        if m:
            rows = re.findall(r"X\(([^()]*)\)", m.group(1))
            return [[c.strip() for c in r.split(",")] for r in rows]
    raise HeaderError(f"no table {macro} in the header")


def statuses(header_text):
    return [(name, int(num)) for name, num in table(header_text, "VECTORPIN_STATUS_TABLE")]


def dtypes(header_text):
    return [(name, int(num), wire.strip('"')) for name, num, wire in table(header_text, "VECTORPIN_DTYPE_TABLE")]


def extra_keys(header_text):
    return [(name, int(num), key.strip('"'), status.replace("VECTORPIN_", ""))
            for name, num, key, status in table(header_text, "VECTORPIN_EXTRA_KEY_TABLE")]


def version(header_text):
    parts = {}
    for k in ("MAJOR", "MINOR", "PATCH"):
        m = re.search(r"#define VECTORPIN_VERSION_" + k + r" (\d+)", header_text)
        if not m:
            raise HeaderError(f"no VECTORPIN_VERSION_{k}")
        parts[k] = m.group(1)
    return f"{parts['MAJOR']}.{parts['MINOR']}.{parts['PATCH']}"
