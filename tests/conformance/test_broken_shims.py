#!/usr/bin/env python3
"""The runner against deliberately broken shims (tests/conformance/broken_shim.py).

test_broken_shims.py VECTORPIN CASES BROKEN_SHIM C_SHIM WORK_DIR
Each scenario runs `vectorpin conformance` and checks its exit status, its
report and the message naming the case. Prints "N passed, N failed".
"""
import json, os, shutil, subprocess, sys, time

vectorpin, cases, broken, c_shim, work = sys.argv[1:6]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
all_cases = json.load(open(cases, encoding="utf-8"))["cases"]
passed = failed = 0


def check(ok, message):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL " + message)


def run(name, shim, *options):
    report = os.path.join(work, name + ".json")
    started = time.monotonic()
    done = subprocess.run([vectorpin, "conformance", "--cases", cases, "--shim", shim, "--report", report, *options],
                          capture_output=True, text=True, timeout=240)
    elapsed = time.monotonic() - started
    data = json.load(open(report)) if os.path.exists(report) else None
    return done, data, elapsed


def results(data):
    return {c["id"]: c for c in data["cases"]} if data else {}


def broken_cmd(mode, forward=True):
    state = os.path.join(work, mode + ".state")
    if forward:
        return "%s %s %s %s %s" % (sys.executable, broken, mode, state, c_shim)
    return "%s %s %s" % (sys.executable, broken, mode)


first_in = lambda rule: next(c["id"] for c in all_cases if c["rule"] == rule)
rule_count = lambda rule: sum(1 for c in all_cases if c["rule"] == rule)

# 1. A shim that says OK to everything: every case expecting a refusal or a
#    result fails; the exit status says so.
done, data, _ = run("yes", broken_cmd("yes", False))
check(done.returncode == 1, "yes-shim: exit status %d, expected 1" % done.returncode)
check(data and data["summary"]["failed"] > 200, "yes-shim: too few failures: %s" % (data and data["summary"]))
r = results(data)
check(r.get("verify/extended/vector_nan", {}).get("result") == "fail", "yes-shim: vector_nan not failed")
check(r.get("hash_text/v2/vector_0_f32_small", {}).get("message", "").startswith("the answer lacks \"hash\""),
      "yes-shim: a missing hash is not named")
check("FAIL verify/extended/vector_nan (rule 5.6): expected PARSE_ERROR, the shim answered OK" in done.stderr,
      "yes-shim: no failure line naming the case")
check("profile strict:" in done.stdout and " failed" in done.stdout, "yes-shim: no summary line")

# 2. Profiles: what the upstream 0.2 profile tolerates passes there, as
#    pass-lenient, and fails under strict.
done, data, _ = run("yes-upstream", broken_cmd("yes", False), "--profile", "upstream-0.2", "--rule", "3.v")
r = results(data)
check(r.get("verify/extended/version_fraction", {}).get("result") == "pass-lenient",
      "upstream profile: version_fraction is not pass-lenient")
check(r.get("verify/extended/version_3", {}).get("result") == "fail", "upstream profile: version_3 should still fail")
check(done.returncode == 1, "upstream profile with failures: exit status %d" % done.returncode)
done, data, _ = run("yes-strict", broken_cmd("yes", False), "--case", "verify/extended/version_fraction")
check(results(data).get("verify/extended/version_fraction", {}).get("result") == "fail",
      "strict profile: version_fraction must fail")

# 3. Crashing on the first case of every start: every case fails with the
#    exit named, the shim is restarted each time, and the run goes on.
done, data, _ = run("crash", broken_cmd("crash", False), "--rule", "2.a")
check(done.returncode == 1, "crash: exit status %d" % done.returncode)
check(data and data["summary"]["failed"] == rule_count("2.a"), "crash: not every case failed")
check(data and data["shim_starts"] == rule_count("2.a"), "crash: the shim was not restarted for each case")
first = first_in("2.a")
check(("FAIL %s (rule 2.a): the shim exited without answering (exit status 3)" % first) in done.stderr,
      "crash: no message naming the first case and the exit status: " + done.stderr[:300])

# 4. Crashing once, on the first case: that case fails, all others pass.
done, data, _ = run("crash-once", broken_cmd("crash-once"))
r = results(data)
first = all_cases[0]["id"]
check(done.returncode == 1, "crash-once: exit status %d" % done.returncode)
check(r.get(first, {}).get("result") == "fail" and "exited" in r.get(first, {}).get("message", ""),
      "crash-once: the first case is not failed as a crash")
check(data and data["summary"]["failed"] == 1 and data["summary"]["passed"] == len(all_cases) - 1,
      "crash-once: the run did not go on: %s" % (data and data["summary"]))

# 5. Hanging once: killed after the time limit, restarted, the run goes on.
done, data, elapsed = run("hang-once", broken_cmd("hang-once"), "--timeout", "1", "--rule", "1.a", "--rule", "6.c")
r = results(data)
first = next(c["id"] for c in all_cases if c["rule"] in ("1.a", "6.c"))
check(r.get(first, {}).get("message", "").startswith("no answer within 1000 ms"), "hang-once: no time-out message")
check(data and data["summary"]["failed"] == 1 and data["summary"]["passed"] == rule_count("1.a") + rule_count("6.c") - 1,
      "hang-once: the run did not go on: %s" % (data and data["summary"]))
check(elapsed < 30, "hang-once: took %.1f s" % elapsed)

# 6. Garbage once: named, bounded and sanitized in the message.
done, data, _ = run("garbage-once", broken_cmd("garbage-once"), "--rule", "6.c")
r = results(data)
message = r.get(first_in("6.c"), {}).get("message", "")
check(message.startswith("the answer is not a JSON object: \"this is not JSON ?[31mxxx"), "garbage: message " + message[:100])
check(len(message) < 150 and "\x1b" not in message, "garbage: the shim's text is not bounded and sanitized")
check(data and data["summary"]["failed"] == 1 and data["summary"]["passed"] == rule_count("6.c") - 1,
      "garbage-once: the run did not go on")

# 7. A shim that never starts: every case fails as not run; no endless restarts.
done, data, elapsed = run("no-start", broken_cmd("no-start", False), "--rule", "5.7")
check(done.returncode == 1, "no-start: exit status %d" % done.returncode)
check(data and data["summary"]["failed"] == rule_count("5.7"), "no-start: cases not failed")
check("the shim failed to start 3 times in a row" in done.stderr, "no-start: no give-up message")
check(elapsed < 30, "no-start: took %.1f s" % elapsed)

# 8. A usage error and an unknown rule are usage errors (exit 2).
done = subprocess.run([vectorpin, "conformance", "--cases", cases, "--shim", c_shim, "--rule", "9.z"], capture_output=True)
check(done.returncode == 2, "unknown rule: exit status %d" % done.returncode)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
