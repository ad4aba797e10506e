#!/usr/bin/env bash
# Runs every test: the C/C++ suite, every binding, the cross-language test,
# the fuzz corpora, sanitizer builds and bounded fuzzing. Installs missing
# Debian packages first. Usage: scripts/test-all.sh [--quick]
#   --quick  skips the sanitizer builds and the timed fuzzing runs
set -uo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1

scripts/install-deps.sh || exit 1

failures=()
step() {
  local name=$1
  shift
  echo
  echo "=== $name ==="
  if "$@"; then
    echo "=== $name: passed ==="
  else
    echo "=== $name: FAILED ==="
    failures+=("$name")
  fi
}

build=build-test
step "configure" cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
step "build" cmake --build "$build" -j "$(nproc)"
step "ctest (all labels)" ctest --test-dir "$build" -j 2 --output-on-failure --timeout 900
if [ $quick -eq 0 ]; then
  [ -x scripts/run-sanitizers.sh ] && step "sanitizers" scripts/run-sanitizers.sh
  [ -x scripts/run-fuzzers.sh ] && step "fuzzing (bounded)" scripts/run-fuzzers.sh "${VECTORPIN_FUZZ_SECONDS:-30}"
fi

echo
if [ ${#failures[@]} -eq 0 ]; then
  echo "all test steps passed"
  exit 0
fi
echo "failed steps: ${failures[*]}"
exit 1
