"""PostgreSQL stores: the Python audit equals `vectorpin audit` on the same
tables (real[] vectors with jsonb pins, bytea vectors with text pins), and
sharded + merged equals unsharded."""
from __future__ import annotations

import json
import sqlite3
import subprocess
from collections import Counter

import pytest

from pg_server import PgServer
from stores_helper import make_demo_store
from vectorpin.audit import AuditConfig, audit, audit_shard, merge_summaries, records_of
from vectorpin.stores import StoreSpec, UsageError

VOLATILE = ("threads", "elapsed_seconds", "location", "shards")


def strip(s: dict) -> dict:
    return {k: v for k, v in s.items() if k not in VOLATILE}


@pytest.fixture(scope="module")
def server():
    srv = PgServer()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def store(cli, demo, server, tmp_path_factory):
    import psycopg2
    import struct
    st = make_demo_store(cli, demo, tmp_path_factory.mktemp("pg"), records=300)
    rows = sqlite3.connect(st.db).execute("SELECT id, vector, source, vectorpin FROM docs").fetchall()
    conn = psycopg2.connect(server.dsn())
    with conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE docs_arr (id text, vector real[], source text, vectorpin jsonb)")
        cur.execute("CREATE TABLE docs_blob (id text, vector bytea, source text, vectorpin text)")
        for rid, vec, src, pin in rows:
            floats = list(struct.unpack(f"<{len(vec) // 4}f", vec))
            cur.execute("INSERT INTO docs_arr VALUES (%s, %s::real[], %s, %s)", (rid, floats, src, pin))
            cur.execute("INSERT INTO docs_blob VALUES (%s, %s, %s, %s)", (rid, psycopg2.Binary(vec), src, pin))
        cur.execute("INSERT INTO docs_arr VALUES ('null-vector', NULL, 'x', %s)", (rows[0][3],))
        cur.execute("INSERT INTO docs_blob VALUES ('odd-blob', '\\x010203', 'x', %s)", (rows[1][3],))
    conn.close()
    return st


def test_postgres_audits_equal_the_cli(cli, server, store) -> None:
    for table in ("docs_arr", "docs_blob"):
        cfg = AuditConfig(StoreSpec(server.dsn(), table=table), keys={store.kid: (store.pub.read_bytes(), None, None)},
                          expect_model=store.model, bind_record_id=True, collection_id="docs")
        p = subprocess.run([str(cli), "audit", "--store", server.dsn(), "--table", table, "--public-key",
                            str(store.pub), "--key-id", store.kid, "--expect-model", store.model, "--bind-record-id",
                            "--collection-id", "docs", "--no-progress", "--report", "/dev/null"],
                           capture_output=True, text=True)
        assert p.returncode == 1, p.stderr
        expected = json.loads(p.stdout)
        whole = audit_shard(cfg, collect_records=True, sharded=False)
        assert strip(whole.summary) == strip(expected) == strip(audit(cfg)), table
        assert expected["by_error"].get("VECTOR_MISSING" if table == "docs_arr" else "VECTOR_UNREADABLE") == 1
        parts = [audit_shard(cfg, i, 4, collect_records=True) for i in range(4)]
        merged = merge_summaries([r.summary for r in parts])
        assert strip(merged) == strip(expected)
        assert merged["location"] == f"postgresql://127.0.0.1:{server.port}/vp"
        assert Counter(records_of(parts)) == Counter(whole.records)


def test_remote_server_without_tls_is_refused(store) -> None:
    cfg = AuditConfig(StoreSpec("postgresql://u@db.example.com/vp", table="docs"),
                      keys={store.kid: (store.pub.read_bytes(), None, None)})
    with pytest.raises(UsageError, match="sslmode"):
        audit(cfg)


def test_cli_shards_agree_on_postgres(cli, server, store, tmp_path) -> None:
    n = 3
    cfg = AuditConfig(StoreSpec(server.dsn(), table="docs_arr"), keys={store.kid: (store.pub.read_bytes(), None,
                                                                                    None)},
                      expect_model=store.model, bind_record_id=True, collection_id="docs")
    timing = ("threads", "elapsed_seconds")
    files, ours = [], []
    for i in range(n):
        p = subprocess.run([str(cli), "audit", "--store", server.dsn(), "--table", "docs_arr", "--public-key",
                            str(store.pub), "--key-id", store.kid, "--expect-model", store.model, "--bind-record-id",
                            "--collection-id", "docs", "--shard", f"{i}/{n}", "--no-progress", "--report",
                            "/dev/null"], capture_output=True, text=True)
        assert p.returncode in (0, 1), p.stderr
        theirs, mine = json.loads(p.stdout), audit_shard(cfg, i, n).summary
        assert {k: v for k, v in theirs.items() if k not in timing} == {k: v for k, v in mine.items()
                                                                       if k not in timing}
        files.append(tmp_path / f"s{i}.json")
        files[-1].write_text(p.stdout)
        ours.append(mine)
    p = subprocess.run([str(cli), "audit-merge", *map(str, files)], capture_output=True, text=True)
    merged = json.loads(p.stdout)
    assert {k: v for k, v in merged.items() if k not in timing} == \
        {k: v for k, v in merge_summaries(ours).items() if k not in timing}
