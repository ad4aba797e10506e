#!/usr/bin/env bash
# The demo: pin an embedded vector store, attack it the ways the threat
# model lists (noise, rotation, scaling, offset, LSB steganography, swapped,
# replayed, forged and deleted pins, edited sources), audit it, and show that
# every attack is caught and no clean record is flagged.
# Installs missing Debian packages first when run as root (or with sudo),
# builds with CMake, then runs demo/run_demo.sh (SQLite) or
# demo/run_demo_lancedb.sh (LanceDB, through the Node binding and
# @lancedb/lancedb from the npm registry). Exits non-zero if any attack goes
# undetected or a clean record fails.
#   scripts/demo.sh [--store sqlite|lancedb] [--keep DIR]   (--keep leaves the store and reports in DIR)
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 [--store sqlite|lancedb] [--keep DIR]" >&2; exit 2; }
keep=()
store=sqlite
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) [ $# -ge 2 ] || usage; keep=("$2"); shift 2 ;;
    --store) [ $# -ge 2 ] || usage; store=$2; shift 2 ;;
    *) usage ;;
  esac
done
[ "$store" = sqlite ] || [ "$store" = lancedb ] || usage

packages=(cmake ninja-build g++ pkg-config libsodium-dev libutf8proc-dev libsqlite3-dev libpq-dev)
# LanceDB's client is a Node package: Node.js and npm (Debian's nodejs keeps node_api.h in libnode-dev).
[ "$store" = lancedb ] && ! command -v node >/dev/null 2>&1 && packages+=(nodejs npm libnode-dev)
scripts/install-deps.sh "${packages[@]}"

build=${VECTORPIN_DEMO_BUILD_DIR:-build-demo}
echo "building in $build (library, vectorpin, vectorpin-demo)..."
mkdir -p "$build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVECTORPIN_BUILD_TESTS=OFF \
  -DVECTORPIN_BUILD_BINDINGS=OFF -DVECTORPIN_BUILD_BENCH=OFF >"$build/demo-configure.log" 2>&1 ||
  { cat "$build/demo-configure.log" >&2; exit 1; }
cmake --build "$build" --target vectorpin_cli vectorpin_demo -j "$(nproc)" >/dev/null ||
  { echo "build failed; rerun: cmake --build $build" >&2; exit 1; }

if [ "$store" = sqlite ]; then
  exec demo/run_demo.sh "$build/cli/vectorpin" "$build/demo/vectorpin-demo" "${keep[@]}"
fi

# LanceDB: the Node binding's addon, built the way `npm install` builds it,
# and the LanceDB tool's locked npm dependencies, both inside the build folder.
echo "building the Node binding's addon in $build/node..."
cmake -S bindings/node -B "$build/node" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DVECTORPIN_NODE_OUTPUT_DIR="$PWD/$build/node/Release" >"$build/node-configure.log" 2>&1 ||
  { cat "$build/node-configure.log" >&2; exit 1; }
cmake --build "$build/node" -j "$(nproc)" >/dev/null || { echo "addon build failed; rerun: cmake --build $build/node" >&2; exit 1; }
npm_dir="$build/lancedb-npm"
if [ ! -f "$npm_dir/node_modules/.package-lock.json" ] ||
   ! cmp -s integrations/lancedb/package-lock.json "$npm_dir/package-lock.json"; then
  echo "installing @lancedb/lancedb (npm ci, versions from integrations/lancedb/package-lock.json)..."
  mkdir -p "$npm_dir"
  cp integrations/lancedb/package.json integrations/lancedb/package-lock.json "$npm_dir/"
  npm ci --no-audit --no-fund --prefix "$npm_dir" >"$build/npm.log" 2>&1 || { cat "$build/npm.log" >&2; exit 1; }
fi
export VECTORPIN_NODE_ADDON="$PWD/$build/node/Release/vectorpin.node"
export NODE_PATH="$PWD/$npm_dir/node_modules${NODE_PATH:+:$NODE_PATH}"
exec demo/run_demo_lancedb.sh "$build/cli/vectorpin" "$build/demo/vectorpin-demo" "${keep[@]}"
