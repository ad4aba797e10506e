"""The CLI's sharded audits and this package's agree: the same records in
the same shards, the same per-shard summaries, and `vectorpin audit-merge`
and `merge_summaries` give the same merged summary (SQLite, JSONL and, when
the PostgreSQL test server is up, PostgreSQL)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from stores_helper import make_demo_store
from vectorpin.audit import AuditConfig, audit_shard, merge_summaries
from vectorpin.stores import StoreSpec

N = 5
TIMING = ("threads", "elapsed_seconds")


def strip(s: dict) -> dict:
    return {k: v for k, v in s.items() if k not in TIMING}


@pytest.fixture(scope="module")
def store(cli, demo, tmp_path_factory):
    return make_demo_store(cli, demo, tmp_path_factory.mktemp("cli-shards"), records=400)


def cli_shard(cli: Path, args: list[str], i: int, report: Path) -> dict:
    p = subprocess.run([str(cli), "audit", *args, "--shard", f"{i}/{N}", "--no-progress", "--report", str(report)],
                       capture_output=True, text=True)
    assert p.returncode in (0, 1), p.stderr
    return json.loads(p.stdout)


@pytest.mark.parametrize("kind", ["sqlite", "jsonl"])
def test_cli_and_python_shards_agree(cli, store, tmp_path, kind) -> None:
    keys = {store.kid: (store.pub.read_bytes(), None, None)}
    if kind == "sqlite":
        spec, args = StoreSpec(f"sqlite:{store.db}", table="docs"), ["--store", f"sqlite:{store.db}", "--table", "docs"]
    else:
        spec, args = StoreSpec(f"jsonl:{store.jsonl}"), ["--store", f"jsonl:{store.jsonl}"]
    cfg = AuditConfig(spec, keys=keys, expect_model=store.model, bind_record_id=True, collection_id="docs")
    args += ["--public-key", str(store.pub), "--key-id", store.kid, "--expect-model", store.model,
             "--bind-record-id", "--collection-id", "docs"]
    files, ours = [], []
    for i in range(N):
        theirs = cli_shard(cli, args, i, tmp_path / f"report-{i}.jsonl")
        mine = audit_shard(cfg, i, N, collect_records=True)
        assert strip(theirs) == strip(mine.summary), (kind, i)
        # the same failed records in the same shard
        reported = sorted(json.loads(line)["id"] or "" for line in (tmp_path / f"report-{i}.jsonl").read_text()
                          .splitlines())
        assert reported == sorted(rid or "" for rid, _, code in mine.records if code not in ("", "UNPINNED"))
        (tmp_path / f"shard-{i}.json").write_text(json.dumps(theirs))
        files.append(str(tmp_path / f"shard-{i}.json"))
        ours.append(mine.summary)
    p = subprocess.run([str(cli), "audit-merge", *files], capture_output=True, text=True)
    assert p.returncode == 1, p.stderr  # the attacked store has failures
    assert strip(json.loads(p.stdout)) == strip(merge_summaries(ours))
    # and each side merges the other's summaries
    assert strip(merge_summaries([json.loads(Path(f).read_text()) for f in files])) == strip(json.loads(p.stdout))
    for i, s in enumerate(ours):
        (tmp_path / f"ours-{i}.json").write_text(json.dumps(s))
    p2 = subprocess.run([str(cli), "audit-merge", *[str(tmp_path / f"ours-{i}.json") for i in range(N)]],
                        capture_output=True, text=True)
    assert p2.returncode == 1 and strip(json.loads(p2.stdout)) == strip(json.loads(p.stdout))
