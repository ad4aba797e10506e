"""PostgreSQL stores through psycopg2 (Debian python3-psycopg2), read as
`vectorpin audit` reads them (docs/AUDIT.md): ids as `id::text`, vectors as
real[] / double precision[] / bytea / JSON text, one REPEATABLE READ READ ONLY
snapshot through a server-side cursor, TLS required for a server that is not
on this machine. pgvector columns are left to the CLI."""
from __future__ import annotations

import ipaddress
import os
from typing import Any, Iterator

from vectorpin.stores import Record, StoreError, StoreSpec, UsageError, _check_ident, _le_blob

__all__ = ["read_postgres", "location"]

_SECURE = {"require", "verify-ca", "verify-full"}


def _psycopg2() -> Any:
    try:
        import psycopg2
        import psycopg2.extensions
    except ImportError as exc:  # pragma: no cover - depends on the machine
        raise StoreError("PostgreSQL stores need psycopg2 (Debian: python3-psycopg2)") from exc
    return psycopg2


def _params(dsn: str) -> dict[str, str]:
    try:
        return _psycopg2().extensions.parse_dsn(dsn)
    except Exception:
        raise UsageError("the PostgreSQL store is not a valid URI or connection string") from None


def _is_local(host: str) -> bool:
    if not host or host.startswith("/") or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_transport(params: dict[str, str]) -> None:
    hosts = (params.get("hostaddr") or os.environ.get("PGHOSTADDR") or params.get("host")
             or os.environ.get("PGHOST") or "").split(",")
    sslmode = params.get("sslmode") or os.environ.get("PGSSLMODE") or ""
    if any(not _is_local(h.strip()) for h in hosts) and sslmode not in _SECURE:
        raise UsageError("a server that is not on this machine must be reached with sslmode=require, verify-ca or "
                         "verify-full")


def location(dsn: str) -> str:
    p = _params(dsn)
    host = p.get("host") or os.environ.get("PGHOST") or ""
    port = p.get("port") or os.environ.get("PGPORT") or ""
    return f"postgresql://{host}:{port}/{p.get('dbname') or os.environ.get('PGDATABASE') or ''}"


def _vector(value: Any, shape: str) -> tuple[str, Any]:
    import numpy as np

    if value is None:
        return ("none", None)
    if shape in ("blob-f32", "blob-f64"):
        return _le_blob(bytes(value), shape == "blob-f64")
    if shape == "json":
        return ("json", value.encode("utf-8"))
    if not isinstance(value, list) or any(isinstance(x, list) or x is None for x in value):
        return ("bad", "vector array is not one-dimensional or has NULL elements")
    return ("f32" if shape == "array-f32" else "f64", np.array(value, dtype=np.float32 if shape == "array-f32"
                                                                else np.float64))


def read_postgres(spec: StoreSpec, dsn: str) -> Iterator[Record]:
    psycopg2 = _psycopg2()
    if not spec.table:
        raise UsageError("--table is required for a PostgreSQL store")
    cols = [spec.id_column, spec.vector_column, spec.pin_column] + ([spec.source_column] if spec.use_source else [])
    for name in [spec.table] + cols:
        _check_ident(name, "table or column")
    _check_transport(_params(dsn))
    try:
        conn = psycopg2.connect(dsn)
    except psycopg2.Error as exc:
        raise StoreError(f"cannot connect to the PostgreSQL server: {str(exc).strip()[:200]}") from None
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        q = lambda n: '"' + n + '"'  # noqa: E731 - identifiers were checked above
        with conn.cursor() as cur:
            cur.execute("SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                        "WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped",
                        (q(spec.table),))
            types = dict(cur.fetchall())
        if not types:
            raise UsageError(f'table "{spec.table}" does not exist')
        for c in cols:
            if c not in types:
                raise UsageError(f'table "{spec.table}" has no column "{c}"')
        vt, pt, fmt = types[spec.vector_column], types[spec.pin_column], spec.vector_format
        if pt not in ("jsonb", "json", "text", "varchar"):
            raise UsageError(f'the pin column "{spec.pin_column}" must be jsonb, json, text or varchar')
        if vt in ("_float4", "_float8") and fmt in ("auto", "array"):
            shape, vsql = ("array-f32" if vt == "_float4" else "array-f64"), q(spec.vector_column)
        elif vt == "bytea" and fmt in ("auto", "blob-f32", "blob-f64"):
            shape, vsql = ("blob-f64" if fmt == "blob-f64" else "blob-f32"), q(spec.vector_column)
        elif vt in ("text", "varchar", "json", "jsonb", "bpchar") and fmt in ("auto", "json"):
            shape, vsql = "json", q(spec.vector_column) + "::text"
        else:
            raise UsageError(f'the vector column "{spec.vector_column}" ({vt}) is not read here with --vector-format '
                             f"{fmt}; pgvector columns are audited by `vectorpin audit`")
        source = q(spec.source_column) + "::text" if spec.use_source else "NULL"
        sql = (f"SELECT {q(spec.id_column)}::text, {vsql}, {source}, {q(spec.pin_column)}::text "
               f"FROM {q(spec.table)}")
        with conn.cursor(name="vectorpin_audit") as cur:
            cur.itersize = 1000
            cur.execute(sql)
            for ordinal, (rid, vec, src, pin) in enumerate(cur):
                r = Record(ordinal, None if rid is None else rid.encode("utf-8"))
                r.vector = _vector(vec, shape)
                if src is not None:
                    r.source = src.encode("utf-8")
                if pin is not None:
                    r.pin = pin.encode("utf-8")
                yield r
        conn.rollback()
    except psycopg2.Error as exc:
        raise StoreError(f"reading table {spec.table}: {str(exc).strip()[:200]}") from None
    finally:
        conn.close()
