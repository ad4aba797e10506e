#!/usr/bin/env bash
# The C/C++ suite under sanitizers (gcc's, from the Debian toolchain):
#  1. ASan + UBSan (with libstdc++'s container assertions): ctest labels
#     unit (which holds the perf tests), hostile, fuzz (corpus replay) and
#     audit, except the PostgreSQL audit test (see below);
#  2. TSan: ctest label concurrency, the shared verifier/signer tests and
#     the batch-verification tests.
# Both must be clean: any sanitizer report aborts its test, so the test and
# this script fail. Bindings and benchmarks are off: their runtimes do not
# load sanitized libraries.
#
# The PostgreSQL audit test is left out of the ASan run: it spends most of
# its time starting and stopping an uninstrumented PostgreSQL server, and the
# vectorpin code it drives (the CLI's audit over a store) is the same code the
# SQLite and JSONL audit tests run under ASan here; it still runs in the
# ordinary build.
#
#   scripts/run-sanitizers.sh            # both
#   scripts/run-sanitizers.sh asan|tsan  # one
#
# Environment: ASAN_BUILD_DIR (default build-asan), TSAN_BUILD_DIR (default
# build-tsan), JOBS (default 2).
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WHICH="${1:-all}"
JOBS="${JOBS:-2}"
ASAN_DIR="${ASAN_BUILD_DIR:-$ROOT/build-asan}"
TSAN_DIR="${TSAN_BUILD_DIR:-$ROOT/build-tsan}"
case "$WHICH" in
  all | asan | tsan) ;;
  *) echo "run-sanitizers: FAILED: unknown argument '$WHICH' (all, asan or tsan)"; exit 1 ;;
esac

# -O1 keeps the instrumented suite fast enough for CI; Debug keeps the
# build free of NDEBUG.
common=(-G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-g -O1" "-DCMAKE_C_FLAGS_DEBUG=-g -O1"
        -DVECTORPIN_BUILD_BINDINGS=OFF -DVECTORPIN_BUILD_BENCH=OFF -DVECTORPIN_BUILD_FUZZ=OFF
        -DVECTORPIN_BUILD_TESTS=ON)

results=()
failed=0

# run_step NAME COMMAND...: runs the command, records the outcome.
run_step() {
  local name=$1
  shift
  if "$@"; then
    results+=("$name: passed")
  else
    results+=("$name: FAILED")
    failed=1
  fi
}

# ctest_count DIR ARGS...: how many tests these ctest arguments select; a
# selection of nothing is a failure, so a renamed label cannot make a run
# pass vacuously.
ctest_count() {
  local dir=$1
  shift
  ctest --test-dir "$dir" -N "$@" | awk '/^Total Tests:/ {print $3}'
}

run_ctest() {
  local dir=$1
  shift
  local n
  n=$(ctest_count "$dir" "$@")
  if [ -z "$n" ] || [ "$n" -eq 0 ]; then
    echo "run-sanitizers: ctest selection '$*' matched no test in $dir"
    return 1
  fi
  echo "-- $n tests: ctest $*"
  ctest --test-dir "$dir" "$@" --output-on-failure -j "$JOBS" --timeout 900
}

# configure_and_build DIR SANITIZERS EXTRA_CXX_FLAGS [TARGET...]
configure_and_build() {
  local dir=$1 sanitize=$2 flags=$3
  shift 3
  cmake -S "$ROOT" -B "$dir" "${common[@]}" -DVECTORPIN_SANITIZE="$sanitize" \
    -DCMAKE_CXX_FLAGS="$flags" >"$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; return 1; }
  if [ $# -gt 0 ]; then
    cmake --build "$dir" -j "$JOBS" --target "$@"
  else
    cmake --build "$dir" -j "$JOBS"
  fi
}

if [ "$WHICH" = all ] || [ "$WHICH" = asan ]; then
  echo "== ASan + UBSan: labels unit, hostile, fuzz, audit (not postgres) in $ASAN_DIR"
  mkdir -p "$ASAN_DIR"
  if configure_and_build "$ASAN_DIR" address,undefined -D_GLIBCXX_ASSERTIONS; then
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1"
    export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
    # The audit's peak-RSS bounds are checked in the ordinary build only: ASan's
    # shadow memory and quarantine add far more than those bounds allow.
    run_step "asan+ubsan" run_ctest "$ASAN_DIR" -L 'unit|hostile|fuzz|audit' -LE postgres \
      -E 'HostileRecordsStayWithinTheMemoryBound|LongLinesAreRefusedWithoutBeingHeld|WithoutRowidTextIsReadWholeToBeMeasured'
    unset ASAN_OPTIONS UBSAN_OPTIONS
  else
    results+=("asan+ubsan: FAILED (build)")
    failed=1
  fi
fi

if [ "$WHICH" = all ] || [ "$WHICH" = tsan ]; then
  echo "== TSan: label concurrency and the batch tests in $TSAN_DIR"
  mkdir -p "$TSAN_DIR"
  # Only the programs holding those tests: the rest of the suite is
  # single-threaded and already runs under ASan.
  if configure_and_build "$TSAN_DIR" thread "" \
      vectorpin_concurrency_tests vectorpin_hostile_concurrency vectorpin_perf_tests; then
    export TSAN_OPTIONS="halt_on_error=1:abort_on_error=1:second_deadlock_stack=1"
    run_step "tsan (label concurrency)" run_ctest "$TSAN_DIR" -L concurrency
    # The shared verifier/signer tests and the batch tests by name, those the
    # label did not already select (gtest_discover_tests drops all but the
    # first of several labels, so the names are the reliable handle).
    run_step "tsan (batch and shared-handle tests)" run_ctest "$TSAN_DIR" \
      -R '^(Concurrency|Batch[A-Za-z]*)\.' -LE concurrency
    unset TSAN_OPTIONS
  else
    results+=("tsan: FAILED (build)")
    failed=1
  fi
fi

echo "== summary"
printf '  %s\n' "${results[@]}"
if [ "$failed" -eq 0 ]; then
  echo "run-sanitizers: PASSED: every selected test clean under the sanitizers"
  exit 0
fi
echo "run-sanitizers: FAILED: see the failing steps above"
exit 1
