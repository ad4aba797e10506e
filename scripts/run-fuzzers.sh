#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (ASan + UBSan) and runs each for
# a bounded time, one after another. A target fails on any crash, leak,
# timeout, out-of-memory or property violation; the script then exits 1.
# Prints the executions each target reached and one closing line.
#
#   scripts/run-fuzzers.sh [seconds-per-target] [target...]
#
# Environment: BUILD_DIR (default build-fuzz), CC/CXX (default clang-14),
# FUZZ_JOBS (parallel build jobs, default 2), FUZZ_RUNS (also stop a target
# after this many executions; default: no such limit).
# New inputs found go to $BUILD_DIR/fuzz-out/<target>/ (they never touch the
# committed corpus); crashing ones to $BUILD_DIR/fuzz-crashes/<target>/.
# Minimize a crashing input (fuzz_<target> -minimize_crash=1 FILE), fix the
# bug, then keep it in fuzz/regressions/<target>/ so the replay tests check
# it forever.
set -uo pipefail

SECONDS_PER_TARGET="${1:-30}"
shift || true
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-fuzz}"
CC="${CC:-clang-14}"
CXX="${CXX:-clang++-14}"
ALL_TARGETS=(pin_parse verify base64 unicode sha256 keys registry ed25519 json)
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL_TARGETS[@]}")

fail_setup() {
  echo "run-fuzzers: FAILED: $*"
  exit 1
}

case "$SECONDS_PER_TARGET" in
  '' | *[!0-9]*) fail_setup "seconds-per-target must be a whole number, got '$SECONDS_PER_TARGET'" ;;
esac
for t in "${TARGETS[@]}"; do
  [ -f "$ROOT/fuzz/fuzz_$t.cpp" ] || fail_setup "unknown target '$t' (known: ${ALL_TARGETS[*]})"
done
command -v "$CXX" >/dev/null || fail_setup "$CXX not found (apt-get install clang-14 libclang-rt-14-dev)"

echo "== configuring and building the fuzz targets in $BUILD_DIR"
mkdir -p "$BUILD_DIR" || fail_setup "cannot create $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DVECTORPIN_BUILD_FUZZ=ON -DVECTORPIN_BUILD_TESTS=ON -DVECTORPIN_BUILD_BINDINGS=OFF \
  -DVECTORPIN_BUILD_BENCH=OFF >"$BUILD_DIR/configure.log" 2>&1 ||
  { tail -30 "$BUILD_DIR/configure.log"; fail_setup "cmake configure failed"; }
cmake --build "$BUILD_DIR" -j "${FUZZ_JOBS:-2}" --target $(printf 'fuzz_%s ' "${TARGETS[@]}") ||
  fail_setup "build failed"

export VECTORPIN_TESTVECTORS="$ROOT/testvectors"
# Leaks are findings; stop at the first UBSan report so it becomes a crash.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}"

passed=0
failed=0
total_execs=0
summary=()
for t in "${TARGETS[@]}"; do
  out="$BUILD_DIR/fuzz-out/$t"
  crashes="$BUILD_DIR/fuzz-crashes/$t"
  log="$BUILD_DIR/fuzz-logs/$t.log"
  mkdir -p "$out" "$crashes" "$(dirname "$log")"
  seeds=("$ROOT/fuzz/corpus/$t")
  [ -d "$ROOT/fuzz/regressions/$t" ] && seeds+=("$ROOT/fuzz/regressions/$t")
  before=$(find "$crashes" -type f | wc -l)
  echo "== fuzz_$t for ${SECONDS_PER_TARGET}s"
  status=0
  # -max_len is left to libFuzzer (4096 bytes, or the largest seed): long
  # inputs only slow the search down, and the 64 KiB size limit is tested
  # directly by the hostile tests.
  "$BUILD_DIR/fuzz/fuzz_$t" "$out" "${seeds[@]}" \
    -dict="$ROOT/fuzz/pin.dict" -max_total_time="$SECONDS_PER_TARGET" -runs="${FUZZ_RUNS:--1}" \
    -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 -detect_leaks=1 \
    -print_final_stats=1 -artifact_prefix="$crashes/" >"$log" 2>&1 || status=$?
  execs=$(awk '/^stat::number_of_executed_units/ {n=$2} END {print n+0}' "$log")
  rate=$(awk '/^stat::average_exec_per_sec/ {n=$2} END {print n+0}' "$log")
  after=$(find "$crashes" -type f | wc -l)
  total_execs=$((total_execs + execs))
  if [ "$status" -ne 0 ] || [ "$after" -ne "$before" ] || ! grep -q '^Done ' "$log"; then
    failed=$((failed + 1))
    summary+=("fuzz_$t: FAILED (exit $status) after $execs executions; log $log, inputs in $crashes/")
    echo "-- last lines of $log:"
    tail -40 "$log"
  else
    passed=$((passed + 1))
    summary+=("fuzz_$t: $execs executions ($rate/s), no finding")
  fi
done

echo "== summary"
printf '  %s\n' "${summary[@]}"
if [ "$failed" -eq 0 ]; then
  echo "run-fuzzers: PASSED: ${passed} of ${#TARGETS[@]} targets clean, ${total_execs} executions in all"
  exit 0
fi
echo "run-fuzzers: FAILED: ${failed} of ${#TARGETS[@]} targets found a problem"
exit 1
