"""Store audits fanned out over a Dask cluster.

`audit()` splits the store into N shards by the rule of `vectorpin audit
--shard I/N`, runs one task per shard on the workers (each reads its own
records from the store and verifies them through libvectorpin), and merges
the shard summaries exactly as `vectorpin audit-merge` does. A shard task is
a pure function of the store, so when a worker dies Dask runs its shards
again elsewhere and each shard still counts once.

    from distributed import Client
    from vectorpin.audit import AuditConfig
    from vectorpin.stores import StoreSpec
    import vectorpin.dask

    cfg = AuditConfig(StoreSpec("sqlite:/data/store.db", table="docs"),
                      keys={"prod-2026-05": (public_key_bytes, None, None)})
    summary = vectorpin.dask.audit(cfg, Client("tcp://scheduler:8786"), shards=64)
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from vectorpin.audit import AuditConfig, ShardResult, audit_shard, merge_summaries

__all__ = ["audit", "audit_with_records", "run_shard"]

# Test hook: with this set to a directory, each shard task writes
# "started-<shard>-<pid>" there and waits (at most 300 s) for a file named
# "release", so that a test can kill a worker while it holds a shard.
_GATE_ENV = "VECTORPIN_TEST_SHARD_GATE"


def _gate(index: int) -> None:
    gate = os.environ.get(_GATE_ENV)
    if not gate:
        return
    d = Path(gate)
    (d / f"started-{index}-{os.getpid()}").touch()
    deadline = time.monotonic() + 300
    while not (d / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def run_shard(cfg: AuditConfig, index: int, count: int, collect_records: bool = False) -> ShardResult:
    """The task each worker runs: one shard, verified in the worker."""
    _gate(index)
    return audit_shard(cfg, index, count, collect_records=collect_records)


def _submit(cfg: AuditConfig, client: Any, shards: int, collect_records: bool) -> list[ShardResult]:
    if shards < 1:
        raise ValueError("shards must be at least 1")
    futures = [client.submit(run_shard, cfg, i, shards, collect_records, key=f"vectorpin-shard-{i}-of-{shards}-"
                             f"{id(cfg):x}-{time.monotonic_ns():x}", pure=False)
               for i in range(shards)]
    return client.gather(futures)


def audit(cfg: AuditConfig, client: Any, shards: int, *, allow_partial: bool = False) -> dict[str, Any]:
    """The merged summary of `shards` shard tasks run on `client`'s cluster."""
    results = _submit(cfg, client, shards, False)
    return merge_summaries([r.summary for r in results], allow_partial=allow_partial)


def audit_with_records(cfg: AuditConfig, client: Any, shards: int) -> tuple[dict[str, Any], list[ShardResult]]:
    """As `audit`, also returning every shard's per-record outcomes."""
    results = _submit(cfg, client, shards, True)
    return merge_summaries([r.summary for r in results]), results
