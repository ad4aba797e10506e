"""Python audits equal `vectorpin audit`; sharded and merged audits equal the
unsharded one, and every record lands in exactly one shard."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from stores_helper import make_demo_store, run
from vectorpin.audit import AuditConfig, MergeError, audit, audit_shard, merge_summaries, records_of
from vectorpin.shard import parse_shard, shard_of
from vectorpin.stores import StoreSpec

VOLATILE = ("threads", "elapsed_seconds", "location")


def counts(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k not in VOLATILE}


@pytest.fixture(scope="module")
def store(cli, demo, tmp_path_factory):
    return make_demo_store(cli, demo, tmp_path_factory.mktemp("audit"))


def configs(store):
    keys = {store.kid: (store.pub.read_bytes(), None, None)}
    strict = dict(expect_model=store.model, bind_record_id=True, collection_id="docs")
    return [
        ("sqlite", AuditConfig(StoreSpec(f"sqlite:{store.db}", table="docs"), keys=keys, **strict),
         ["--store", f"sqlite:{store.db}", "--table", "docs", "--expect-model", store.model, "--bind-record-id",
          "--collection-id", "docs"]),
        ("sqlite-plain", AuditConfig(StoreSpec(f"sqlite:{store.db}", table="docs"), keys=keys),
         ["--store", f"sqlite:{store.db}", "--table", "docs"]),
        ("jsonl", AuditConfig(StoreSpec(f"jsonl:{store.jsonl}"), keys=keys, **strict),
         ["--store", f"jsonl:{store.jsonl}", "--expect-model", store.model, "--bind-record-id", "--collection-id",
          "docs"]),
        ("jsonl-no-source", AuditConfig(StoreSpec(f"jsonl:{store.jsonl}", use_source=False), keys=keys),
         ["--store", f"jsonl:{store.jsonl}", "--no-source"]),
    ]


def cli_audit(cli, store, args) -> dict:
    import subprocess
    p = subprocess.run([str(cli), "audit", *args, "--public-key", str(store.pub), "--key-id", store.kid,
                        "--no-progress", "--report", "/dev/null"], capture_output=True, text=True)
    assert p.returncode in (0, 1), p.stderr
    return json.loads(p.stdout)


def test_python_audit_equals_the_cli(cli, store) -> None:
    for name, cfg, args in configs(store):
        expected = cli_audit(cli, store, args)
        got = audit(cfg)
        assert counts(got) == counts(expected), name
        assert got["verification_failed"] > 0, name  # the attacks are there to be found


@pytest.mark.parametrize("n", [1, 3, 8])
def test_sharded_and_merged_equals_unsharded(store, n) -> None:
    for name, cfg, _ in configs(store):
        whole = audit_shard(cfg, collect_records=True, sharded=False)
        parts = [audit_shard(cfg, i, n, collect_records=True) for i in range(n)]
        merged = merge_summaries([p.summary for p in parts])
        assert merged["shards"] == n and merged["location"] == str(Path(cfg.spec.store.split(":", 1)[1]).resolve())
        assert counts({k: v for k, v in merged.items() if k != "shards"}) == counts(whole.summary), name
        # every record exactly once, in the shard its id names
        keys = Counter((rid, line) for rid, line, _ in records_of(parts))
        assert keys == Counter((rid, line) for rid, line, _ in whole.records) and max(keys.values()) == 1
        for i, part in enumerate(parts):
            for rid, _, _ in part.records:
                assert shard_of(rid.encode() if rid is not None else None, n) == i
        assert Counter(records_of(parts)) == Counter(whole.records)


def test_the_shard_rule() -> None:
    import hashlib
    for rid in ["doc-00001", "", "\u00e9", "12345"]:
        h = int.from_bytes(hashlib.sha256(rid.encode()).digest()[:8], "big")
        assert shard_of(rid, 7) == h % 7 and shard_of(rid.encode(), 65536) == h % 65536
    assert shard_of(None, 9) == 0 and shard_of("x", 1) == 0
    assert parse_shard("0/1") == (0, 1) and parse_shard("65535/65536") == (65535, 65536)
    for bad in ["1/1", "-0/2", "01/2", "0/02", "0/0", "0/65537", "+1/2", "1/", "/2", "a/b", "0/1/2", " 0/1"]:
        with pytest.raises(ValueError):
            parse_shard(bad)


def test_merge_refusals(store) -> None:
    name, cfg, _ = configs(store)[0]
    parts = [audit_shard(cfg, i, 3).summary for i in range(3)]
    with pytest.raises(MergeError, match="missing: 1"):
        merge_summaries([parts[0], parts[2]])
    partial = merge_summaries([parts[0], parts[2]], allow_partial=True)
    assert partial["shards_missing"] == [1] and partial["total"] == parts[0]["total"] + parts[2]["total"]
    with pytest.raises(MergeError, match="given once"):
        merge_summaries(parts + [parts[1]])
    with pytest.raises(MergeError, match="same N"):
        merge_summaries(parts + [audit_shard(cfg, 0, 2).summary])
    with pytest.raises(MergeError, match="not the summary of a sharded audit"):
        merge_summaries(parts + [audit(cfg)])
    other = configs(store)[2][1]
    with pytest.raises(MergeError, match="different store"):
        merge_summaries([parts[0], parts[1], audit_shard(other, 2, 3).summary])
    with pytest.raises(MergeError, match="already a merged"):
        merge_summaries([merge_summaries(parts)])
    broken = dict(parts[0], verified_ok=parts[0]["verified_ok"] + 1)
    with pytest.raises(MergeError, match="do not add up"):
        merge_summaries([broken, parts[1], parts[2]])
    with pytest.raises(MergeError):
        merge_summaries([])
