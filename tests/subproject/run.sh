#!/usr/bin/env bash
# Configures, builds and runs tests/subproject (a parent project that
# add_subdirectory()s vectorpin) in a temporary directory. GTest, Java,
# nlohmann_json and Python are made unfindable, so a parent that does not
# have them is what is tested.
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$source_dir/tests/subproject" -B "$work" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DVECTORPIN_SOURCE_DIR="$source_dir" \
  -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON -DCMAKE_DISABLE_FIND_PACKAGE_Java=ON -DCMAKE_DISABLE_FIND_PACKAGE_JNI=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON -DCMAKE_DISABLE_FIND_PACKAGE_Python3=ON -DCMAKE_DISABLE_FIND_PACKAGE_SWIG=ON \
  >"$work/configure.log" || { cat "$work/configure.log"; exit 1; }
cmake --build "$work" --target parent_app -j 2 >"$work/build.log" || { tail -50 "$work/build.log"; exit 1; }
"$work/parent_app"
