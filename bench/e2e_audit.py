#!/usr/bin/env python3
"""End-to-end audit benchmark: `vectorpin audit` of a large store.

Builds a store of N records (3072-dimension f32 vectors, one key, 1 KB
sources; SQLite, and JSONL with --jsonl), then in one run times
`vectorpin audit` at the given thread count with the default Ed25519 engine
and with VECTORPIN_ED25519=libsodium, and the in-memory batch API
(vectorpin_verify_batch, chunks of 64 on the same threads) on the first
--batch-records records of the same store, with both engines, and the
reading floor (a bare SQLite walk of the store: SQLite's own CPU time per
record, which no reader avoids). Writes the
figures into docs/BENCHMARKS.md between the markers
`<!-- e2e-audit: begin -->` and `<!-- e2e-audit: end -->` (kept there by
scripts/bench-report.py, which leaves everything after its notes marker).

A VECTORPIN_ED25519 value the library does not know is ignored by it (the
variable is read once; an older build has only libsodium's engine), so the
script runs before and after a faster engine exists; the table says which
engine each row asked for.

A JSONL store of 10^6 such records is about 43 GB, more than a machine's
page cache may hold; --jsonl-records gives the JSONL store its own (smaller)
size, and the report then scales its time to 10^6 records.

Usage: bench/e2e_audit.py --build-dir DIR [--records N] [--threads T]
           [--work-dir DIR] [--jsonl] [--jsonl-records M] [--batch-records M]
           [--keep] [--reuse] [--out FILE] [--no-write]
The build must hold `vectorpin` and `vectorpin_bench_audit_store` (Release).
Only the Python standard library is used.
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN = "<!-- e2e-audit: begin -->"
END = "<!-- e2e-audit: end -->"
NOTES = "<!-- notes: kept by bench-report.py -->"
ENGINES = [("default", None), ("libsodium", "libsodium")]


def find(build, name):
    for sub in ("cli", "bench", "."):
        path = os.path.join(build, sub, name)
        if os.path.exists(path):
            return path
    sys.exit(f"e2e_audit: {name} not found under {build} (build it first)")


def portable_build_dir(path):
    """The build folder as the report names it: relative to the checkout, or
    BUILD when it is elsewhere (as scripts/bench-report.py does), so no path
    of the measuring machine is published."""
    rel = os.path.relpath(os.path.abspath(path), ROOT)
    return "BUILD" if rel.startswith("..") else rel


def env_for(engine):
    env = dict(os.environ)
    env.pop("VECTORPIN_ED25519", None)
    if engine:
        env["VECTORPIN_ED25519"] = engine
    return env


def timed(cmd, env=None):
    started = time.monotonic()
    cpu0 = os.times()
    out = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env)
    cpu1 = os.times()
    wall = time.monotonic() - started
    cpu = (cpu1.children_user - cpu0.children_user) + (cpu1.children_system - cpu0.children_system)
    return out, wall, cpu


def warm(path):
    """Reads a store file once, so that the timed audit finds it in the page
    cache (a virtual machine's host may have taken the cache back since the
    file was written or last read). Nothing is timed here."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def audit(cli, store, table, pub, threads, engine):
    cmd = [cli, "audit", "--store", store, "--public-key", pub, "--key-id", "bench",
           "--threads", str(threads), "--no-progress", "--bind-record-id"]
    if table:
        cmd += ["--table", table]
    out, wall, cpu = timed(cmd, env_for(engine))
    if out.returncode != 0:
        sys.exit(f"e2e_audit: audit failed ({out.returncode}): {out.stderr[-2000:]}")
    summary = json.loads(out.stdout)
    return {"wall": wall, "cpu": cpu, "total": summary["total"], "ok": summary["verified_ok"]}


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return f.read().split()[0]
    except OSError:
        return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work-dir", default=None)
    ap.add_argument("--jsonl", action="store_true", help="also build and audit a JSONL store")
    ap.add_argument("--jsonl-records", type=int, default=None,
                    help="records in the JSONL store (default: --records)")
    ap.add_argument("--batch-records", type=int, default=20_000)
    ap.add_argument("--keep", action="store_true", help="keep the stores")
    ap.add_argument("--reuse", action="store_true",
                    help="use the stores a --keep run left in --work-dir instead of building them again")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "BENCHMARKS.md"))
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()

    cli = find(a.build_dir, "vectorpin")
    maker = find(a.build_dir, "vectorpin_bench_audit_store")
    work = a.work_dir or tempfile.mkdtemp(prefix="vp-e2e-")
    os.makedirs(work, exist_ok=True)
    if a.reuse and not a.work_dir:
        sys.exit("e2e_audit: --reuse needs --work-dir")
    jsonl_records = a.jsonl_records if a.jsonl_records is not None else a.records
    need = 0 if a.reuse else a.records * 13_500 + (jsonl_records * 45_000 if a.jsonl else 0)
    free = shutil.disk_usage(work).free
    if need > free * 0.8:
        sys.exit(f"e2e_audit: {need / 1e9:.1f} GB needed in {work}, {free / 1e9:.1f} GB free")
    seed = os.path.join(work, "bench.seed")
    if not a.reuse:
        with open(seed, "wb") as f:
            f.write(bytes(range(32)))
    db = os.path.join(work, "store.db")
    jsonl = os.path.join(work, "store.jsonl")
    make = [maker, "make", "--seed-file", seed, "--sqlite", db, "--records", str(a.records),
            "--threads", str(a.threads)]
    makes = [make]
    if a.jsonl and jsonl_records == a.records:
        make += ["--jsonl", jsonl]
    elif a.jsonl:
        makes.append([maker, "make", "--seed-file", seed, "--jsonl", jsonl, "--records", str(jsonl_records),
                      "--threads", str(a.threads)])
    build_seconds = None
    if a.reuse:
        for path in [db, seed + ".pub"] + ([jsonl] if a.jsonl else []):
            if not os.path.exists(path):
                sys.exit(f"e2e_audit: --reuse: {path} is missing")
        print(f"reusing the stores in {work} (the audits check they hold {a.records} records)", file=sys.stderr)
    else:
        print(f"building {a.records} records in {work} ...", file=sys.stderr)
        t0 = time.monotonic()
        for m in makes:
            subprocess.run(m, check=True)
        build_seconds = time.monotonic() - t0
    pub = seed + ".pub"

    load_before = load_average()
    rows = []
    stores = [("SQLite", "sqlite:" + db, "docs", a.records)]
    if a.jsonl:
        stores.append(("JSONL", "jsonl:" + jsonl, None, jsonl_records))
    batch = {}
    for name, engine in ENGINES:
        out = subprocess.run([maker, "batch", "--sqlite", db, "--public-key", pub, "--records",
                              str(min(a.batch_records, a.records)), "--threads", str(a.threads)],
                             check=True, capture_output=True, text=True, env=env_for(engine))
        batch[name] = json.loads(out.stdout)
        for label, store, table, records in stores:
            warm(store.split(":", 1)[1])
            r = audit(cli, store, table, pub, a.threads, engine)
            if r["total"] != records or r["ok"] != records:
                sys.exit(f"e2e_audit: {label} audit saw {r['total']} records, {r['ok']} verified")
            r["records"] = records
            rows.append((label, name, r))
            print(f"{label:6} {name:9} {r['wall']:8.2f} s  {records / r['wall']:9.0f} rec/s", file=sys.stderr)
    # The floor for any reader of the SQLite store: SQLite's own user-space
    # work to walk it, nothing verified or copied. With the batch API's CPU
    # time per record it bounds the audit / batch API ratio from above on
    # machines where the verifying threads take every core.
    out = subprocess.run([maker, "read", "--sqlite", db, "--records", str(a.records)],
                         check=True, capture_output=True, text=True)
    floor = json.loads(out.stdout)
    load_after = load_average()

    lines = [BEGIN, "## End to end: `vectorpin audit` of a store", "",
             f"Generated by `bench/e2e_audit.py --build-dir {portable_build_dir(a.build_dir)} "
             f"--records {a.records} --threads {a.threads}{' --jsonl' if a.jsonl else ''}"
             f"{f' --jsonl-records {jsonl_records}' if a.jsonl and jsonl_records != a.records else ''}"
             f"{' --reuse' if a.reuse else ''}` on "
             f"{datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M UTC')}; load average before/after "
             f"{load_before} / {load_after} (the machine is shared: figures under load are upper bounds).", "",
             "Records: 3072-dimension f32 vectors, one key, 1 KB sources, each pin bound to its "
             f"record id (`--bind-record-id`); {a.threads} threads"
             f"{'' if build_seconds is None else f'; building the store took {build_seconds:.0f} s'}. Each store file is "
             "read once before each timed audit, so every audit starts with the store in the page cache. "
             "*Batch API* is `vectorpin_verify_batch` in memory on the first "
             f"{batch['default']['records']} records of the same store (chunks of 64, as the audit calls it). "
             "*Engine* is the `VECTORPIN_ED25519` setting asked for (`default`: unset).", "",
             "| store | records | engine | seconds | records/s | CPU seconds | seconds per 10^6 records | "
             "batch API records/s | audit / batch API |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    for label, name, r in rows:
        rate = r["records"] / r["wall"]
        b = batch[name]["records_per_second"]
        lines.append(f"| {label} | {r['records']} | {name} | {r['wall']:.2f} | {rate:.0f} | {r['cpu']:.1f} | "
                     f"{1_000_000 / rate:.1f} | {b:.0f} | {rate / b:.2f} |")
    by = {(label, name): r for label, name, r in rows}
    if ("SQLite", "default") in by and ("SQLite", "libsodium") in by:
        speed = by[("SQLite", "libsodium")]["wall"] / by[("SQLite", "default")]["wall"]
        lines += ["", f"SQLite, default engine against libsodium's: {speed:.2f}x faster."]
    lines += ["", f"Reading floor: a bare walk of the SQLite store (one statement, each value's pointer, nothing "
              f"verified, copied or decoded) costs {floor['user_us_per_record']:.2f} µs of user CPU per record, "
              f"plus {floor['system_us_per_record']:.2f} µs in the kernel with SQLite's default file access."]
    # Only where reading has no core of its own does its cost come out of
    # verification.
    for name in [n for n, _ in ENGINES] if (os.cpu_count() or 1) <= a.threads else []:
        b = batch[name]
        verify_us = b["cpu_seconds"] / b["records"] * 1e6
        bound = verify_us / (verify_us + floor["user_us_per_record"])
        lines.append(f"With the {name} engine the batch API spends {verify_us:.2f} µs of CPU per record; were "
                     f"reading to cost only that user time, and everything else nothing, an audit whose threads "
                     f"fill {a.threads} cores would still reach at most {bound:.2f} of the batch API's rate.")
    if any(r["records"] != 1_000_000 for _, _, r in rows):
        lines += ["", "*Seconds per 10^6 records* scales a smaller store's time, assuming the rate holds (a "
                  "store larger than the page cache is also read from disk)."]
    lines.append(END)
    block = "\n".join(lines) + "\n"
    print(block)

    if not a.keep and not a.work_dir:
        shutil.rmtree(work, ignore_errors=True)
    elif not a.keep:
        for p in (db, jsonl, seed, pub):
            if os.path.exists(p):
                os.remove(p)
    if a.no_write:
        return
    text = open(a.out).read() if os.path.exists(a.out) else ""
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END) + 1:]
    elif NOTES in text:
        i = text.index(NOTES) + len(NOTES) + 1
        text = text[:i] + block + "\n" + text[i:]
    else:
        text += "\n" + NOTES + "\n" + block
    with open(a.out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
