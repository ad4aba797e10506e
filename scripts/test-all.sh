#!/usr/bin/env bash
# Runs every test: the C/C++ suite, every binding (the WebAssembly package
# included), the cross-language test, the fuzz corpora, sanitizer builds,
# bounded fuzzing, and the cross-built tests under qemu on aarch64 and on
# big-endian s390x. Installs missing Debian packages first.
# Usage: scripts/test-all.sh [--quick]
#   --quick  skips the WebAssembly build, the sanitizer builds, the timed
#            fuzzing runs and the cross builds
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
  local started=$SECONDS
  if "$@"; then
    echo "=== $name: passed ($((SECONDS - started)) s) ==="
  else
    echo "=== $name: FAILED ($((SECONDS - started)) s) ==="
    failures+=("$name")
  fi
}

build=build-test
# Before configuring: the wasm package's tests are registered when it is built.
[ $quick -eq 0 ] && step "wasm package (emscripten)" nice -n 10 scripts/build-wasm.sh --build-dir build-test-wasm
# Every binding's toolchain is required: a language skipped for want of its
# toolchain fails the run. On a machine that lacks some on purpose, set
# VECTORPIN_ALLOW_MISSING_BINDINGS=1 to skip them with a warning instead.
require_all=ON
[ "${VECTORPIN_ALLOW_MISSING_BINDINGS:-0}" = "1" ] && require_all=OFF
step "configure" cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DVECTORPIN_REQUIRE_ALL_BINDINGS=$require_all
step "build" cmake --build "$build" -j "$(nproc)"
step "ctest (all labels)" ctest --test-dir "$build" -j 2 --output-on-failure --timeout 900
if [ $quick -eq 0 ]; then
  [ -x scripts/run-sanitizers.sh ] && step "sanitizers" scripts/run-sanitizers.sh
  [ -x scripts/run-fuzzers.sh ] && step "fuzzing (bounded)" scripts/run-fuzzers.sh "${VECTORPIN_FUZZ_SECONDS:-30}"
  # Under qemu: ARM64 and big-endian s390x (several minutes each, mostly the
  # cross build).
  step "cross aarch64 (qemu)" scripts/test-cross.sh aarch64 --build-dir build-cross-aarch64
  step "cross s390x (qemu, big-endian)" scripts/test-cross.sh s390x --build-dir build-cross-s390x
fi

echo
if [ ${#failures[@]} -eq 0 ]; then
  echo "all test steps passed ($SECONDS s)"
  exit 0
fi
echo "failed steps: ${failures[*]}"
exit 1
