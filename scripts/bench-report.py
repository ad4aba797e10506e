#!/usr/bin/env python3
"""Runs the benchmark programs and reports each operation against its floor.

Every operation is measured next to the work it cannot avoid (Ed25519 from
libsodium, SHA-256 of the same bytes), in the same run with the repetitions
interleaved at random, so drifting machine load hits both sides alike. Prints
the table and writes it, with the machine and the exact command, to
docs/BENCHMARKS.md.

Usage: scripts/bench-report.py [--build-dir DIR] [--repetitions N]
                               [--min-time SECONDS] [--out FILE] [--no-write]
The build directory must hold a Release build with the benchmarks
(cmake -DCMAKE_BUILD_TYPE=Release -DVECTORPIN_BUILD_BENCH=ON).
Only the Python standard library is used.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS = ["vectorpin_bench_hashing", "vectorpin_bench_verify", "vectorpin_bench_json_numbers"]

# (operation, floor, target ratio or None, what the floor is)
PAIRS = [
    ("hash_vector/384", "floor_sha256/1536", 1.05, "SHA-256 of the 1536 vector bytes"),
    ("hash_vector/768", "floor_sha256/3072", 1.05, "SHA-256 of the 3072 vector bytes"),
    ("hash_vector/1024", "floor_sha256/4096", 1.05, "SHA-256 of the 4096 vector bytes"),
    ("hash_vector/3072", "floor_sha256/12288", 1.05, "SHA-256 of the 12288 vector bytes"),
    ("hash_text/128", "floor_sha256/128", None, "SHA-256 of the 128 text bytes"),
    ("hash_text/1024", "floor_sha256/1024", None, "SHA-256 of the 1024 text bytes"),
    ("hash_text/8192", "floor_sha256/8192", None, "SHA-256 of the 8192 text bytes"),
    ("pin", "floor_pin", 1.10, "Ed25519 sign of the signed bytes + SHA-256 of vector and source"),
    ("verify_full", "floor_verify_full", 0.60, "libsodium Ed25519 verify + SHA-256 of vector and source"),
    ("verify_signature_only", "floor_ed25519_verify", None, "libsodium Ed25519 verify of the signed bytes"),
    ("ed25519_verify_prepared", "floor_ed25519_verify", 0.45, "libsodium Ed25519 verify of the same bytes"),
    ("ed25519_verify_prepared_bmi2", "floor_ed25519_verify", None, "libsodium Ed25519 verify of the same bytes"),
    ("ed25519_verify_unprepared", "floor_ed25519_verify", None, "libsodium Ed25519 verify of the same bytes"),
    ("verify_json_full", "floor_verify_full", None, "as verify_full; the operation also parses the pin"),
]
ALONE = ["pin_parse", "hash_text_nonascii/1024", "hash_vector_cast_f64/3072", "floor_ed25519_sign",
         "floor_ed25519_verify", "ed25519_prepare_key"]
# (parser, std::from_chars on the same numbers, the text, target GB/s or None)
PARSER = [("json_vector_f32/digits:9", "floor_from_chars_f32/digits:9", "f32, 9 significant digits", 1.0),
          ("json_vector_f32/digits:17", "floor_from_chars_f32/digits:17", "f32, 17 significant digits", 1.0),
          ("json_vector_f64/digits:9", "floor_from_chars_f64/digits:9", "f64, 9 significant digits", 1.0),
          ("json_vector_f64/digits:17", "floor_from_chars_f64/digits:17", "f64, 17 significant digits", 1.0)]
THROUGHPUT = [("sha256_shani/12288", "SHA-256, SHA extensions"),
              ("sha256_portable/12288", "SHA-256, portable C++"),
              ("sha256_libsodium/12288", "SHA-256, libsodium (reference)")]
SCALING = [("batch_audit", "batch_audit/threads:1/libsodium:0/real_time",
            "batch_audit/threads:2/libsodium:0/real_time", 1.8),
           ("batch_audit, libsodium engine", "batch_audit/threads:1/libsodium:1/real_time",
            "batch_audit/threads:2/libsodium:1/real_time", None),
           ("batch_stream", "batch_stream/threads:1/real_time", "batch_stream/threads:2/real_time", None)]
# (threads, this library's engine, libsodium's, target ratio of items per CPU-second)
ENGINES = [(1, "batch_audit/threads:1/libsodium:0/real_time", "batch_audit/threads:1/libsodium:1/real_time", 2.0),
           (2, "batch_audit/threads:2/libsodium:0/real_time", "batch_audit/threads:2/libsodium:1/real_time", 2.0)]
# The default variant against the portable build forced, in the same batch on one thread.
VARIANTS = ("batch_audit/threads:1/libsodium:0/real_time", "batch_audit_portable/threads:1/real_time")


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def sh(cmd):
    try:
        return run(cmd).strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def cpuinfo():
    """CPU model, logical CPU count, physical core count and whether the
    SHA extensions are present, from /proc/cpuinfo."""
    model, logical, cores, sha, ifma = "unknown", 0, set(), False, False
    try:
        with open("/proc/cpuinfo") as f:
            text = f.read()
    except OSError:
        text = ""
    for block in text.split("\n\n"):
        fields = {}
        for line in block.splitlines():
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
        if "processor" not in fields:
            continue
        logical += 1
        model = fields.get("model name", model)
        cores.add((fields.get("physical id", "0"), fields.get("core id", fields["processor"])))
        flags = fields.get("flags", "").split()
        sha = sha or "sha_ni" in flags
        ifma = ifma or "avx512ifma" in flags
    return {
        "model": model,
        "logical": logical or (os.cpu_count() or 0),
        "cores": len(cores) or logical,
        "sha_ni": sha,
        "avx512ifma": ifma,
    }


def machine():
    m = cpuinfo()
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = m["logical"]
    cxx = sh(["c++", "--version"])
    m.update({
        "usable": usable,
        "kernel": platform.release(),
        "compiler": cxx.splitlines()[0] if cxx else "unknown",
        "libsodium": sh(["pkg-config", "--modversion", "libsodium"]) or "unknown",
        "benchmark": sh(["pkg-config", "--modversion", "benchmark"]) or "unknown",
    })
    return m


def portable_argv(argv):
    """The command line as a reader can rerun it: a build folder outside the
    checkout is written as BUILD, so no path of the measuring machine ends up
    in the published report."""
    out = []
    for i, a in enumerate(argv):
        prev = argv[i - 1] if i else ""
        if prev == "--build-dir" or a.startswith("--build-dir="):
            value = a.split("=", 1)[1] if a.startswith("--build-dir=") else a
            rel = os.path.relpath(os.path.abspath(value), ROOT)
            value = "BUILD" if rel.startswith("..") else rel
            a = "--build-dir=" + value if a.startswith("--build-dir=") else value
        out.append(a)
    return out


def build_type(build_dir):
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            m = re.search(r"^CMAKE_BUILD_TYPE:\w+=(.*)$", f.read(), re.M)
            return m.group(1) if m else ""
    except OSError:
        return ""


def measure(program, repetitions, min_time):
    """Returns (per-benchmark list of per-repetition results, context, command)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = out.name
    cmd = [program, f"--benchmark_repetitions={repetitions}", f"--benchmark_min_time={min_time}",
           "--benchmark_enable_random_interleaving=true", "--benchmark_format=console",
           f"--benchmark_out={path}", "--benchmark_out_format=json"]
    print("+", " ".join(shlex.quote(c) for c in cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(path) as f:
        doc = json.load(f)
    os.unlink(path)
    runs = {}
    for b in doc["benchmarks"]:
        if b.get("run_type") != "iteration" or b.get("error_occurred"):
            continue
        runs.setdefault(b["run_name"], []).append(b)
    shown = [os.path.basename(program)] + cmd[1:4]
    return runs, doc.get("context", {}), " ".join(shown)


def ns(b):
    """Time per iteration in ns: wall clock for the threaded benchmarks,
    thread CPU time otherwise (it leaves out time the OS gave to other
    processes, which on a shared machine is most of the noise)."""
    unit = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
    key = "real_time" if b["run_name"].endswith("/real_time") else "cpu_time"
    return b[key] * unit


def summary(runs, name):
    if name not in runs:
        return None
    times = [ns(b) for b in runs[name]]
    out = {"median": statistics.median(times), "min": min(times), "n": len(times)}
    ips = [b["items_per_second"] for b in runs[name] if "items_per_second" in b]
    if ips:
        out["ips_median"] = statistics.median(ips)
        out["ips_max"] = max(ips)
    bps = [b["bytes_per_second"] for b in runs[name] if "bytes_per_second" in b]
    if bps:
        out["bps_median"] = statistics.median(bps)
    cpus = [b["cpus_used"] for b in runs[name] if "cpus_used" in b]
    if cpus:
        out["cpus_used"] = statistics.median(cpus)
    ipcs = [b["items_per_cpu_second"] for b in runs[name] if "items_per_cpu_second" in b]
    if ipcs:
        out["ipcs_median"] = statistics.median(ipcs)
    return out


def fmt_time(t):
    if t >= 1e6:
        return f"{t / 1e6:.2f} ms"
    if t >= 1e3:
        return f"{t / 1e3:.2f} µs"
    return f"{t:.0f} ns"


def verdict(ratio, target, higher_is_better=False):
    if target is None:
        return ""
    ok = ratio >= target if higher_is_better else ratio <= target
    return "met" if ok else "**missed**"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    ap.add_argument("--repetitions", type=int, default=10)
    ap.add_argument("--min-time", type=float, default=0.5)
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "BENCHMARKS.md"))
    ap.add_argument("--no-write", action="store_true", help="print the table only")
    args = ap.parse_args()

    bt = build_type(args.build_dir)
    if bt not in ("Release", "RelWithDebInfo"):
        sys.exit(f"{args.build_dir} is a '{bt or 'unknown'}' build; configure it with -DCMAKE_BUILD_TYPE=Release")
    programs = [os.path.join(args.build_dir, "bench", p) for p in PROGRAMS]
    for p in programs:
        if not os.access(p, os.X_OK):
            sys.exit(f"{p} is missing: build the benchmarks first (cmake --build {args.build_dir})")

    load_before = os.getloadavg()
    started = datetime.datetime.now(datetime.timezone.utc)
    runs, contexts, commands = {}, [], []
    for p in programs:
        r, ctx, cmd = measure(p, args.repetitions, args.min_time)
        runs.update(r)
        contexts.append(ctx)
        commands.append(cmd)
    load_after = os.getloadavg()
    ctx = {}
    for c in contexts:
        ctx.update(c)

    rows, missed = [], []
    for op, floor, target, floor_what in PAIRS:
        a, f = summary(runs, op), summary(runs, floor)
        if a is None or f is None:
            continue
        ratio = a["median"] / f["median"]
        ratio_min = a["min"] / f["min"]
        v = verdict(ratio, target)
        if v.startswith("**"):
            missed.append(f"{op}: {ratio:.3f}x (target ≤ {target:.2f}x)")
        rows.append((op, fmt_time(a["median"]), fmt_time(a["min"]), floor_what, fmt_time(f["median"]),
                     f"{ratio:.3f}x", f"{ratio_min:.3f}x", f"≤ {target:.2f}x" if target else "—", v))

    scale_rows, starved = [], []
    for label, one, two, target in SCALING:
        a, b = summary(runs, one), summary(runs, two)
        if a is None or b is None or "ips_median" not in a:
            continue
        s = b["ips_median"] / a["ips_median"]
        s_best = b["ips_max"] / a["ips_max"]
        v = verdict(s, target, higher_is_better=True)
        if v.startswith("**"):
            missed.append(f"{label} 2 threads: {s:.2f}x one thread (target ≥ {target:.1f}x)")
        cpus = f"{a.get('cpus_used', 0):.2f} / {b.get('cpus_used', 0):.2f}"
        # Items per CPU-second: equal for one and two threads when the
        # threads cost nothing extra (no contention), whatever the load.
        per_cpu = "—"
        if a.get("ipcs_median") and b.get("ipcs_median"):
            per_cpu = f"{a['ipcs_median']:.0f} / {b['ipcs_median']:.0f}"
        if v.startswith("**") and b.get("cpus_used", 2.0) < 1.8:
            starved.append(f"{label}: the two-thread runs got {b['cpus_used']:.2f} CPUs on median")
        scale_rows.append((label, f"{a['ips_median']:.0f}/s", f"{b['ips_median']:.0f}/s",
                           f"{s:.2f}x", f"{s_best:.2f}x", cpus, per_cpu, f"≥ {target:.1f}x" if target else "—", v))

    engine_rows = []
    for threads, own, sodium, target in ENGINES:
        a, b = summary(runs, own), summary(runs, sodium)
        if a is None or b is None or "ipcs_median" not in a or "ipcs_median" not in b:
            continue
        ratio = a["ipcs_median"] / b["ipcs_median"]
        v = verdict(ratio, target, higher_is_better=True)
        if v.startswith("**"):
            missed.append(f"batch items per CPU-second at {threads} thread(s): {ratio:.2f}x libsodium's engine "
                          f"(target ≥ {target:.1f}x)")
        engine_rows.append((str(threads), f"{a['ipcs_median']:.0f}", f"{b['ipcs_median']:.0f}", f"{ratio:.2f}x",
                            f"≥ {target:.1f}x", v))

    variant_row = None
    a, b = summary(runs, VARIANTS[0]), summary(runs, VARIANTS[1])
    if a is not None and b is not None and "ipcs_median" in a and "ipcs_median" in b:
        variant_row = (f"{a['ipcs_median']:.0f}", f"{b['ipcs_median']:.0f}", f"{a['ipcs_median'] / b['ipcs_median']:.2f}x")

    alone_rows = []
    for name in ALONE:
        a = summary(runs, name)
        if a is not None:
            alone_rows.append((name, fmt_time(a["median"]), fmt_time(a["min"])))
    parser_rows = []
    for name, floor, what, target in PARSER:
        a, b = summary(runs, name), summary(runs, floor)
        if a is None or b is None or "bps_median" not in a or "bps_median" not in b:
            continue
        rate = a["bps_median"] / 1e9
        v = verdict(rate, target, higher_is_better=True)
        if v.startswith("**"):
            missed.append(f"JSON vector parsing, {what}: {rate:.2f} GB/s (target ≥ {target:.1f} GB/s)")
        parser_rows.append((what, f"{rate:.2f} GB/s", f"{b['bps_median'] / 1e9:.2f} GB/s",
                            f"{a['median'] / b['median']:.2f}x", "" if target is None else f"≥ {target:.1f} GB/s", v))

    tp_rows = []
    for name, what in THROUGHPUT:
        a = summary(runs, name)
        if a is not None and "bps_median" in a:
            tp_rows.append((what, f"{a['bps_median'] / 1e9:.2f} GB/s"))

    m = machine()
    reps = args.repetitions
    lines = []
    add = lines.append
    add("# Benchmarks")
    add("")
    add("Each operation goes through the public C API and is compared with its *floor*: the raw work it")
    add("cannot avoid, measured in the same run (Ed25519 from libsodium; SHA-256 of the same bytes with the")
    add("fastest implementation on the machine). A ratio of 1.00x means no overhead at all.")
    add("")
    add("Generated by `scripts/bench-report.py`; do not edit by hand.")
    add("")
    add("## Machine and method")
    add("")
    add(f"- CPU (/proc/cpuinfo): {m['model']}; {m['cores']} core(s), {m['logical']} logical CPU(s), "
        f"{m['usable']} usable by this process; SHA extensions: {'yes' if m['sha_ni'] else 'no'}; "
        f"AVX-512 IFMA: {'yes' if m['avx512ifma'] else 'no'}; kernel {m['kernel']}")
    add(f"- Compiler: {m['compiler']}; libsodium {m['libsodium']}; Google Benchmark {m['benchmark']}; "
        f"build type {bt}")
    add(f"- SHA-256 implementation in use: {ctx.get('sha256_implementation', '?')}; Ed25519 engine variant "
        f"in use: {ctx.get('ed25519_variant', '?')}")
    add(f"- Date: {started.strftime('%Y-%m-%d %H:%M UTC')}; load average before/after: "
        f"{load_before[0]:.2f} / {load_after[0]:.2f}")
    add(f"- Inputs: a {ctx.get('pin_json_bytes', '?')}-byte pin ({ctx.get('signed_bytes', '?')} signed bytes) over a "
        "3072-dimension f32 vector and a 1024-character ASCII source; batches of 64 such items.")
    add(f"- {reps} repetitions of every benchmark, interleaved at random, each running at least "
        f"{args.min_time} s. Times are per operation: the median and the minimum over the repetitions, as")
    add("  thread CPU time for single-threaded benchmarks (time the OS gives to other processes is left")
    add("  out) and wall-clock time for the batch benchmarks (the point of threads is wall-clock time).")
    add("- Ratios are operation / floor, from the medians (and from the minima, the least disturbed runs).")
    add("- Command:")
    add("")
    add("```")
    add("scripts/bench-report.py " + " ".join(shlex.quote(a) for a in portable_argv(sys.argv[1:])))
    for c in commands:
        add("# runs: " + c)
    add("```")
    add("")
    add("## Operations against their floors")
    add("")
    add("| operation | median | min | floor | floor median | ratio | ratio (min) | target | |")
    add("|---|---:|---:|---|---:|---:|---:|---|---|")
    for r in rows:
        add("| " + " | ".join(r) + " |")
    add("")
    add("## Batch verification: two threads against one")
    add("")
    add("| form | 1 thread | 2 threads | speed-up | speed-up (best runs) | CPUs obtained (1 / 2 threads) "
        "| items per CPU-second (1 / 2 threads) | target | |")
    add("|---|---:|---:|---:|---:|---:|---:|---|---|")
    for r in scale_rows:
        add("| " + " | ".join(r) + " |")
    add("")
    add("Items per second (wall clock, median), each item a full verification from pin JSON (parse,")
    add("signature, vector, source). *CPUs obtained* is process CPU time over wall-clock time during the")
    add("benchmark: on an idle two-core machine the two-thread runs get close to 2. *Items per CPU-second*")
    add("is throughput divided by that: when it is the same for one and two threads, the second thread adds")
    add("no cost of its own (locking, contention) and the speed-up is limited only by the CPUs obtained.")
    add("")
    def table(header, align, table_rows):
        add("| " + " | ".join(header) + " |")
        add("|" + "|".join(align) + "|")
        for r in table_rows:
            add("| " + " | ".join(r) + " |")
        add("")

    add("## Batch verification: this library's Ed25519 engine against libsodium's")
    add("")
    table(["threads", "items per CPU-second, this engine", "items per CPU-second, libsodium", "ratio", "target", ""],
          ["---:", "---:", "---:", "---:", "---", "---"], engine_rows)
    add("The same `batch_audit` benchmark (64 full verifications from pin JSON per iteration) with the engine")
    add("switched in-process (`vectorpin::ed25519::force_engine`, what `VECTORPIN_ED25519=libsodium` selects")
    add("at start-up). Items per CPU-second is items over the process CPU time the run used, so it does not")
    add("depend on how much of the machine other jobs left to it.")
    add("")
    if variant_row is not None:
        variant = ctx.get("ed25519_variant", "?")
        add(f"The engine's default variant here is `{variant}`. The same batch on one thread with the portable")
        add("build forced (`batch_audit_portable`):")
        add("")
        table(["items per CPU-second, default variant", "items per CPU-second, portable build", "ratio"],
              ["---:", "---:", "---:"], [variant_row])
    add("## JSON number parsing")
    add("")
    table(["numbers", "parser (`json_vector_*`)", "`std::from_chars` alone", "time ratio", "target", ""],
          ["---", "---:", "---:", "---:", "---", "---"], parser_rows)
    add("One core parsing 3072-element JSON arrays (an embedding's values, as `%.9g` or `%.17g` writes them;")
    add("64 different arrays in turn, so that the branch predictor cannot learn one) into floats or doubles")
    add("with `parse_json_number_array` (grammar, array and rounding), against `std::from_chars` on the same")
    add("numbers already split out (rounding only). Rates are bytes of array text per second.")
    add("")
    add("## Other figures")
    add("")
    add("| benchmark | median | min |")
    add("|---|---:|---:|")
    for r in alone_rows:
        add("| " + " | ".join(r) + " |")
    add("")
    add("| SHA-256 of 12288 bytes | throughput (median) |")
    add("|---|---:|")
    for r in tp_rows:
        add("| " + " | ".join(r) + " |")
    add("")
    add("## Targets")
    add("")
    if missed:
        add("Missed in this run:")
        add("")
        for x in missed:
            add(f"- {x}")
    else:
        add("Every target was met in this run.")
    add("")
    if starved:
        add("The machine was shared during this run (load average "
            f"{load_before[0]:.2f} before, {load_after[0]:.2f} after, on {m['usable']} usable CPUs), and the")
        add("two-thread batch did not get two CPUs, so its speed-up measures the machine's load as much as")
        add("the library; it is reported as measured, not corrected:")
        add("")
        for x in starved:
            add(f"- {x}")
        add("")
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        notes = ""
        marker = "<!-- notes: kept by bench-report.py -->"
        if os.path.exists(args.out):
            with open(args.out) as f:
                old = f.read()
            if marker in old:
                notes = old[old.index(marker):]
        with open(args.out, "w") as f:
            f.write(text + "\n" + (notes if notes else marker + "\n"))
        print(f"\nwrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
