"""vectorpin.dask on a real cluster: a `dask scheduler` and two `dask worker`
processes on 127.0.0.1. One worker is killed (SIGKILL) while it holds a shard;
the audit still accounts for every record exactly once and its totals equal
the unsharded `vectorpin audit`."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from stores_helper import make_demo_store
from vectorpin.audit import AuditConfig, audit_shard, records_of
from vectorpin.shard import shard_of
from vectorpin.stores import StoreSpec

import distributed  # noqa: E402 - Debian python3-distributed; the test fails, never skips, without it

SHARDS = 6


def _spawn(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", *args], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture()
def cluster(tmp_path):
    gate = tmp_path / "gate"
    gate.mkdir()
    env = dict(os.environ, VECTORPIN_TEST_SHARD_GATE=str(gate), PYTHONPATH=os.pathsep.join(sys.path),
               DASK_DISTRIBUTED__WORKER__DAEMON="False")
    sched_file = tmp_path / "scheduler.json"
    procs = [_spawn(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(sched_file)], env, tmp_path / "scheduler.log")]
    try:
        _wait_for(sched_file.exists, 60, "the scheduler")
        for k in range(2):
            procs.append(_spawn(["distributed.cli.dask_worker", "--scheduler-file", str(sched_file), "--host",
                                 "127.0.0.1", "--nthreads", "1", "--no-nanny", "--no-dashboard"], env,
                                tmp_path / f"worker{k}.log"))
        client = distributed.Client(scheduler_file=str(sched_file), timeout=60)
        try:
            client.wait_for_workers(2, timeout=60)
            addresses = {w["host"] for w in client.scheduler_info()["workers"].values()}
            assert addresses == {"127.0.0.1"}
            yield client, gate, procs
        finally:
            client.close()
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def test_audit_survives_a_killed_worker(cli, demo, tmp_path, cluster) -> None:
    import vectorpin.dask

    client, gate, procs = cluster
    store = make_demo_store(cli, demo, tmp_path / "store", records=400)
    cfg = AuditConfig(StoreSpec(f"sqlite:{store.db}", table="docs"), keys={store.kid: (store.pub.read_bytes(), None,
                                                                                        None)},
                      expect_model=store.model, bind_record_id=True, collection_id="docs")
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = vectorpin.dask.audit_with_records(cfg, client, SHARDS)
        except BaseException as exc:  # reported by the assertion below
            outcome["error"] = exc

    runner = threading.Thread(target=run)
    runner.start()

    def started() -> list[tuple[int, int]]:
        return [tuple(map(int, p.name.split("-")[1:])) for p in gate.glob("started-*")]

    # Both workers hold a shard, gated: now one of them dies mid-run.
    _wait_for(lambda: len({pid for _, pid in started()}) == 2, 120, "both workers to start a shard")
    worker_pids = {p.pid for p in procs[1:]}
    held = dict((pid, shard) for shard, pid in started())
    assert set(held) == worker_pids
    victim = procs[1].pid
    os.kill(victim, signal.SIGKILL)
    procs[1].wait(30)
    (gate / "release").touch()
    runner.join(240)
    assert not runner.is_alive(), "the audit did not finish"
    assert "error" not in outcome, repr(outcome.get("error"))
    merged, results = outcome["value"]

    # The killed worker's shard ran again on the survivor.
    survivor = procs[2].pid
    assert (held[victim], survivor) in started()
    # The victim ran nothing past its gate, so the survivor ran every shard.
    assert {shard for shard, pid in started() if pid == survivor} == set(range(SHARDS))

    # Every record once, in its shard; totals equal the unsharded CLI audit.
    whole = audit_shard(cfg, collect_records=True, sharded=False)
    got = Counter(records_of(results))
    assert got == Counter(whole.records) and max(got.values()) == 1
    for i, r in enumerate(results):
        assert r.summary["shard"] == f"{i}/{SHARDS}"
        assert all(shard_of(rid, SHARDS) == i for rid, _, _ in r.records)
    p = subprocess.run([str(cli), "audit", "--store", f"sqlite:{store.db}", "--table", "docs", "--public-key",
                        str(store.pub), "--key-id", store.kid, "--expect-model", store.model, "--bind-record-id",
                        "--collection-id", "docs", "--no-progress", "--report", "/dev/null"],
                       capture_output=True, text=True)
    expected = json.loads(p.stdout)
    assert p.returncode == 1 and expected["verification_failed"] > 0
    volatile = ("threads", "elapsed_seconds", "location", "shards")
    assert {k: v for k, v in merged.items() if k not in volatile} == \
        {k: v for k, v in expected.items() if k not in volatile}
    assert merged["shards"] == SHARDS
