"""Reading vector stores the way `vectorpin audit` reads them (docs/AUDIT.md):
SQLite files and JSON Lines files. Each record comes out with its id as the
audit's text, its vector still undecoded where the decoding depends on the
pin, its source and its pin text."""
from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from vectorpin._json_numbers import decode_json_vector

__all__ = ["Record", "StoreSpec", "open_store", "store_kind", "store_location"]

MAX_LINE_BYTES = 64 * 1024 * 1024
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}\Z")


class StoreError(Exception):
    """The store cannot be opened or read (the CLI's exit 3)."""


class UsageError(ValueError):
    """Bad store name, table or column (the CLI's exit 2)."""


@dataclass
class Record:
    ordinal: int
    id: bytes | None = None
    line: int = 0
    # ("f32" | "f64", ndarray), ("json", text bytes), ("none", None) or ("bad", problem)
    vector: tuple[str, Any] = ("none", None)
    source: bytes | None = None
    pin: bytes | None = None
    pin_problem: str = ""
    unreadable: str = ""


@dataclass(frozen=True)
class StoreSpec:
    """Where and how to read; the options of `vectorpin audit`."""

    store: str
    table: str = ""
    id_column: str = "id"
    vector_column: str = "vector"
    source_column: str = "source"
    pin_column: str = "vectorpin"
    use_source: bool = True
    vector_format: str = "auto"  # blob-f32 | blob-f64 | json | auto


def store_kind(store: str) -> tuple[str, str]:
    for prefix, kind in (("sqlite:", "sqlite"), ("jsonl:", "jsonl"), ("postgresql://", "postgresql"),
                         ("postgres://", "postgresql"), ("postgres:", "postgresql")):
        if store.startswith(prefix):
            return kind, store if prefix.endswith("//") else store[len(prefix):]
    raise UsageError("the store must be sqlite:PATH, jsonl:PATH, postgresql://... or postgres:CONNINFO")


def store_location(spec: StoreSpec) -> str:
    """The store as a sharded summary names it: the canonical path, or for
    PostgreSQL postgresql://host:port/dbname (no user, no password)."""
    kind, path = store_kind(spec.store)
    if kind == "postgresql":
        from vectorpin.stores_postgres import location
        return location(path)
    return path if path == "-" else os.path.realpath(path)


def _check_ident(name: str, option: str) -> None:
    if not _IDENT.match(name):
        raise UsageError(f"--{option} must be an identifier (a letter or _, then letters, digits or _, "
                         "at most 63 bytes)")


def _le_blob(data: bytes, f64: bool) -> tuple[str, Any]:
    size = 8 if f64 else 4
    if len(data) % size:
        return ("bad", f"vector blob of {len(data)} bytes is not a whole number of {size}-byte elements")
    return ("f64" if f64 else "f32", np.frombuffer(data, dtype="<f8" if f64 else "<f4"))


def _sqlite_text(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, float):
        return repr(value).encode()
    return str(value).encode("utf-8")


def _sqlite_id(value: Any, kind: bytes) -> bytes | None:
    if kind == b"null":
        return None
    if kind == b"integer":
        return str(value).encode()
    if kind == b"real":
        return ("%.17g" % value).encode()
    if kind == b"blob":
        return value.hex().encode()
    return _sqlite_text(value)


def _read_sqlite(spec: StoreSpec, path: str) -> Iterator[Record]:
    if not spec.table:
        raise UsageError("--table is required for a SQLite store")
    for name, option in ((spec.table, "table"), (spec.id_column, "id-column"), (spec.vector_column, "vector-column"),
                         (spec.pin_column, "pin-column")) + (((spec.source_column, "source-column"),)
                                                             if spec.use_source else ()):
        _check_ident(name, option)
    if not os.path.exists(path):
        raise StoreError(f"cannot open {path}: no such file")
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}") from None
    db.text_factory = bytes
    try:
        cols = {row[0].decode().lower() for row in db.execute("SELECT name FROM pragma_table_info(?)", (spec.table,))}
        if not cols:
            raise UsageError(f'table "{spec.table}" does not exist in the database')
        needed = [spec.id_column, spec.vector_column, spec.pin_column] + ([spec.source_column] if spec.use_source else [])
        for col in needed:
            if col.lower() not in cols:
                raise UsageError(f'table "{spec.table}" has no column "{col}"')
        q = lambda n: '"' + n + '"'  # noqa: E731 - identifiers were checked above
        source = q(spec.source_column) if spec.use_source else "NULL"
        sql = (f"SELECT {q(spec.id_column)}, typeof({q(spec.id_column)}), {q(spec.vector_column)}, "
               f"typeof({q(spec.vector_column)}), {source}, {q(spec.pin_column)}, typeof({q(spec.pin_column)}) "
               f"FROM {q(spec.table)}")
        fmt = spec.vector_format if spec.vector_format != "auto" else "blob-f32"
        for ordinal, (rid, rid_t, vec, vec_t, src, pin, pin_t) in enumerate(db.execute(sql)):
            r = Record(ordinal, _sqlite_id(rid, rid_t))
            if vec_t == b"null":
                pass
            elif fmt == "json":
                r.vector = ("json", _sqlite_text(vec)) if vec_t in (b"text", b"blob") else \
                    ("bad", f"vector is {vec_t.decode().upper()}, expected JSON text")
            elif vec_t != b"blob":
                r.vector = ("bad", f"vector is {vec_t.decode().upper()}, expected a BLOB")
            else:
                r.vector = _le_blob(vec, fmt == "blob-f64")
            if spec.use_source and src is not None:
                r.source = _sqlite_text(src)
            if pin_t in (b"text", b"blob"):
                r.pin = _sqlite_text(pin)
            elif pin_t != b"null":
                r.pin = b""
                r.pin_problem = f"the pin column holds {pin_t.decode().upper()}, not JSON text"
            yield r
    except sqlite3.Error as exc:
        raise StoreError(f"reading table {spec.table}: {exc}") from None
    finally:
        db.close()


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_no_constants)
_WS = " \t\r\n"


def _members(line: str) -> list[tuple[str, str, int, int, Any]]:
    """The top-level members of a JSON object line with each value's span:
    (key, type, begin, end, value). Raises ValueError when it is not one."""
    i = len(line) - len(line.lstrip(_WS))
    if i >= len(line) or line[i] != "{":
        raise ValueError("expected an object")
    i += 1
    out: list[tuple[str, str, int, int, Any]] = []

    def skip(k: int) -> int:
        while k < len(line) and line[k] in _WS:
            k += 1
        return k

    i = skip(i)
    if i < len(line) and line[i] == "}":
        end = skip(i + 1)
    else:
        while True:
            i = skip(i)
            if i >= len(line) or line[i] != '"':
                raise ValueError("expected a string key")
            key, i = json.decoder.scanstring(line, i + 1)
            i = skip(i)
            if i >= len(line) or line[i] != ":":
                raise ValueError("expected ':'")
            begin = skip(i + 1)
            value, i = _DECODER.raw_decode(line, begin)
            kind = ("null" if value is None else "bool" if isinstance(value, bool) else
                    "number" if isinstance(value, (int, float)) else "string" if isinstance(value, str) else
                    "array" if isinstance(value, list) else "object")
            out.append((key, kind, begin, i, value))
            i = skip(i)
            if i < len(line) and line[i] == ",":
                i += 1
                continue
            if i < len(line) and line[i] == "}":
                end = skip(i + 1)
                break
            raise ValueError("expected ',' or '}'")
    if end != len(line):
        raise ValueError("trailing characters after the object")
    return out


def _jsonl_record(spec: StoreSpec, raw: bytes, ordinal: int, line_no: int) -> Record:
    r = Record(ordinal, line=line_no)
    try:
        line = raw.decode("utf-8")
        members = _members(line)
    except (UnicodeDecodeError, ValueError) as exc:
        r.unreadable = f"line is not a JSON object: {str(exc)[:64]}"
        return r
    slots: dict[str, tuple[str, int, int, Any]] = {}
    duplicate = ""
    wanted = {spec.id_column, spec.vector_column, spec.pin_column} | ({spec.source_column} if spec.use_source else set())
    for key, kind, begin, end, value in members:
        if key not in wanted:
            continue
        if key in slots:
            duplicate = duplicate or key
            continue
        slots[key] = (kind, begin, end, value)
    rid = slots.get(spec.id_column)
    if rid and rid[0] == "string":
        r.id = rid[3].encode("utf-8", "surrogatepass")
    elif rid and rid[0] == "number":
        r.id = line[rid[1]:rid[2]].encode("utf-8")
    if duplicate:
        if duplicate == spec.id_column:
            r.id = None
        r.unreadable = f'field "{duplicate[:64]}" appears twice'
        return r
    if rid and rid[0] not in ("string", "number", "null"):
        r.unreadable = f"id is {rid[0]}, not a string or number"
        return r
    src = slots.get(spec.source_column) if spec.use_source else None
    if src and src[0] == "string":
        r.source = src[3].encode("utf-8", "surrogatepass")
    elif src and src[0] != "null":
        r.unreadable = f"source is {src[0]}, not a string"
        return r
    pin = slots.get(spec.pin_column)
    if pin and pin[0] == "string":
        r.pin = pin[3].encode("utf-8", "surrogatepass")
    elif pin and pin[0] == "object":
        r.pin = line[pin[1]:pin[2]].encode("utf-8")
    elif pin and pin[0] != "null":
        r.pin = b""
        r.pin_problem = f"the pin field is {pin[0]}, not a JSON string or object"
    vec = slots.get(spec.vector_column)
    if vec and vec[0] == "array":
        r.vector = ("json", line[vec[1]:vec[2]].encode("utf-8"))
    elif vec and vec[0] != "null":
        r.vector = ("bad", f"vector is {vec[0]}, not an array")
    return r


def _read_jsonl(spec: StoreSpec, path: str) -> Iterator[Record]:
    try:
        f = open(path, "rb") if path != "-" else os.fdopen(os.dup(0), "rb")
    except OSError as exc:
        raise StoreError(f"cannot open {path}: {exc.strerror}") from None
    with f:
        ordinal = 0
        for line_no, raw in enumerate(iter(lambda: f.readline(MAX_LINE_BYTES + 1), b""), start=1):
            too_long = len(raw) > MAX_LINE_BYTES
            while too_long and not raw.endswith(b"\n"):
                raw = f.readline(MAX_LINE_BYTES + 1)  # drop the rest of the line unread into memory
                if not raw:
                    break
            if not too_long:
                raw = raw.rstrip(b"\n")
                if raw.endswith(b"\r"):
                    raw = raw[:-1]
                if not raw.strip(b" \t\r"):
                    continue
            if too_long:
                r = Record(ordinal, line=line_no, unreadable=f"line is longer than {MAX_LINE_BYTES} bytes")
            else:
                r = _jsonl_record(spec, raw, ordinal, line_no)
            ordinal += 1
            yield r


def open_store(spec: StoreSpec) -> Iterator[Record]:
    kind, path = store_kind(spec.store)
    if kind == "sqlite":
        return _read_sqlite(spec, path)
    if kind == "postgresql":
        from vectorpin.stores_postgres import read_postgres
        return read_postgres(spec, path)
    return _read_jsonl(spec, path)
