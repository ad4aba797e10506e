#!/usr/bin/env bash
# The demo: pin an embedded SQLite vector store, attack it the ways the
# threat model lists (noise, rotation, scaling, offset, LSB steganography,
# swapped, replayed, forged and deleted pins, edited sources), audit it, and
# show that every attack is caught and no clean record is flagged.
# Installs missing Debian packages first when run as root (or with sudo),
# builds with CMake, then runs demo/run_demo.sh. Exits non-zero if any
# attack goes undetected or a clean record fails.
#   scripts/demo.sh [--keep DIR]   (--keep leaves the store and reports in DIR)
set -euo pipefail
cd "$(dirname "$0")/.."

keep=()
if [ "${1:-}" = "--keep" ]; then
  [ $# -ge 2 ] || { echo "usage: $0 [--keep DIR]" >&2; exit 2; }
  keep=("$2")
fi

packages=(cmake ninja-build g++ pkg-config libsodium-dev libutf8proc-dev libsqlite3-dev libpq-dev)
scripts/install-deps.sh "${packages[@]}"

build=${VECTORPIN_DEMO_BUILD_DIR:-build-demo}
echo "building in $build (library, vectorpin, vectorpin-demo)..."
mkdir -p "$build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVECTORPIN_BUILD_TESTS=OFF \
  -DVECTORPIN_BUILD_BINDINGS=OFF -DVECTORPIN_BUILD_BENCH=OFF >"$build/demo-configure.log" 2>&1 ||
  { cat "$build/demo-configure.log" >&2; exit 1; }
cmake --build "$build" --target vectorpin_cli vectorpin_demo -j "$(nproc)" >/dev/null ||
  { echo "build failed; rerun: cmake --build $build" >&2; exit 1; }

exec demo/run_demo.sh "$build/cli/vectorpin" "$build/demo/vectorpin-demo" "${keep[@]}"
