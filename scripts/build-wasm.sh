#!/usr/bin/env bash
# Builds the WebAssembly package bindings/wasm (npm name vectorpin-wasm) with
# Debian's emscripten: libsodium and utf8proc from Debian's source packages,
# then the core, then the module and its JavaScript wrapper.
#
#   scripts/build-wasm.sh [--build-dir DIR] [--profile]
#     DIR: default build-wasm in the source tree
#     --profile: also builds DIR/profile/vectorpin-profile.js, which times the
#       parts of a verification inside the module (bindings/wasm/bench/profile.cpp;
#       run it with `node DIR/profile/vectorpin-profile.js`)
#
# The dependencies are built once and kept in DIR/deps (delete it to rebuild
# them). The finished files are copied into bindings/wasm/dist/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
build=$src/build-wasm
profile=0
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build=$(realpath -m "$2"); shift ;;
    --profile) profile=1 ;;
    *) echo "build-wasm.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "build-wasm.sh: needs root to run: $*" >&2; return 1
  fi
}

# ---- tools -----------------------------------------------------------------
# emscripten and dpkg-dev (dpkg-source, for `apt-get source`). The source
# packages need a deb-src line in apt's sources.
need=()
for p in emscripten dpkg-dev; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ] || ! apt-get source --print-uris libsodium >/dev/null 2>&1; then
  # apt fetches as the unprivileged _apt user, which needs a writable /tmp.
  [ "$(stat -c %a /tmp)" = 1777 ] || as_root chmod 1777 /tmp
  if ! grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "adding deb-src lines for apt-get source"
    as_root sh -c 'sed "s/^Types: deb$/Types: deb-src/" /etc/apt/sources.list.d/debian.sources \
      > /etc/apt/sources.list.d/vectorpin-src.sources' 2>/dev/null ||
      as_root sh -c 'sed -n "s/^deb /deb-src /p" /etc/apt/sources.list > /etc/apt/sources.list.d/vectorpin-src.list'
  fi
  as_root apt-get update -qq
  [ ${#need[@]} -gt 0 ] && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
fi

# emscripten's JavaScript optimizer needs Debian's node-acorn, which Debian's
# own nodejs finds in /usr/share/nodejs; a Node.js from elsewhere is told.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
mkdir -p "$build/deps/src"
chmod 777 "$build/deps/src"  # apt-get source downloads as the _apt user
# Debian's emscripten ships its system libraries (libc, libc++, ...) prebuilt
# in a frozen cache, so nothing of emscripten's own is compiled here. It has
# no variant with WebAssembly exception handling, so the build keeps
# emscripten's default: C++ exceptions are not caught (see docs/bindings/wasm.md).
prefix=$build/deps/prefix
jobs=2
cflags="-O3"

# ---- libsodium ---------------------------------------------------------------
# Compiled directly rather than through its configure script: under emcc
# every configure check is a compile-and-link through emscripten's Python
# driver, which makes configure alone take the better part of an hour on a
# busy 2-core machine, and it decides nothing the sources do not already
# decide for __EMSCRIPTEN__ (no assembly, no CPU dispatch, no threads). The
# only generated file, version.h, is written from its template here.
if [ ! -f "$prefix/lib/libsodium.a" ]; then
  echo "building libsodium (Debian source package) with emscripten"
  (cd "$build/deps/src" && rm -rf libsodium-* && apt-get source -qq libsodium >/dev/null)
  sodium_src=$(find "$build/deps/src" -maxdepth 1 -type d -name 'libsodium-*' | head -1)
  inc=$sodium_src/src/libsodium/include
  version=$(sed -n 's/^AC_INIT(\[libsodium\],\[\([0-9.]*\)\].*/\1/p' "$sodium_src/configure.ac")
  major=$(sed -n 's/^SODIUM_LIBRARY_VERSION_MAJOR=//p' "$sodium_src/configure.ac")
  minor=$(sed -n 's/^SODIUM_LIBRARY_VERSION_MINOR=//p' "$sodium_src/configure.ac")
  [ -n "$version" ] && [ -n "$major" ] && [ -n "$minor" ] || { echo "cannot read libsodium's version from configure.ac" >&2; exit 1; }
  sed -e "s/@VERSION@/$version/" -e "s/@SODIUM_LIBRARY_VERSION_MAJOR@/$major/" \
      -e "s/@SODIUM_LIBRARY_VERSION_MINOR@/$minor/" -e "s/@SODIUM_LIBRARY_MINIMAL_DEF@//" \
      "$inc/sodium/version.h.in" >"$inc/sodium/version.h"
  objs=$build/deps/libsodium-obj
  rm -rf "$objs" && mkdir -p "$objs"
  # Two compiler processes, each given half of the files (their base names
  # are unique, so the objects do not collide).
  find "$sodium_src/src/libsodium" -name '*.c' | sort >"$objs/files"
  split -n l/2 "$objs/files" "$objs/part."
  pids=()
  for part in "$objs"/part.*; do
    (cd "$objs" && nice -n 10 emcc $cflags -c -DSODIUM_STATIC -DNATIVE_LITTLE_ENDIAN=1 -DCONFIGURED=1 \
      -I"$inc/sodium" -I"$inc" $(cat "$part")) >"$part.log" 2>&1 &
    pids+=($!)
  done
  failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  if [ $failed -ne 0 ] || [ "$(ls "$objs"/*.o | wc -l)" -ne "$(wc -l <"$objs/files")" ]; then
    echo "libsodium failed to compile:" >&2
    cat "$objs"/part.*.log >&2
    exit 1
  fi
  mkdir -p "$prefix/lib/pkgconfig" "$prefix/include"
  emar rcs "$prefix/lib/libsodium.a" "$objs"/*.o
  cp -r "$inc/sodium.h" "$inc/sodium" "$prefix/include/"
  cat >"$prefix/lib/pkgconfig/libsodium.pc" <<EOF
prefix=$prefix
Name: libsodium
Description: libsodium (built for WebAssembly)
Version: $version
Libs: -L\${prefix}/lib -lsodium
Cflags: -I\${prefix}/include -DSODIUM_STATIC
EOF
fi

# ---- utf8proc ----------------------------------------------------------------
# One C file; built directly, with a pkg-config file for the core's CMake.
if [ ! -f "$prefix/lib/libutf8proc.a" ]; then
  echo "building utf8proc (Debian source package) with emscripten"
  (cd "$build/deps/src" && rm -rf utf8proc-* && apt-get source -qq utf8proc >/dev/null)
  u_src=$(find "$build/deps/src" -maxdepth 1 -type d -name 'utf8proc-*' | head -1)
  version=$(sed -n 's/^#define UTF8PROC_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)/\2/p' "$u_src/utf8proc.h" | paste -sd.)
  mkdir -p "$prefix/lib/pkgconfig" "$prefix/include"
  nice -n 10 emcc $cflags -DUTF8PROC_STATIC -c "$u_src/utf8proc.c" -o "$build/deps/utf8proc.o"
  emar rcs "$prefix/lib/libutf8proc.a" "$build/deps/utf8proc.o"
  cp "$u_src/utf8proc.h" "$prefix/include/"
  cat >"$prefix/lib/pkgconfig/libutf8proc.pc" <<EOF
prefix=$prefix
Name: libutf8proc
Description: UTF-8 processing (built for WebAssembly)
Version: $version
Libs: -L\${prefix}/lib -lutf8proc
Cflags: -I\${prefix}/include -DUTF8PROC_STATIC
EOF
fi

# ---- the core ------------------------------------------------------------------
echo "building the core with emscripten"
PKG_CONFIG_LIBDIR=$prefix/lib/pkgconfig PKG_CONFIG_PATH='' \
  emcmake cmake -S "$src" -B "$build/core" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DVECTORPIN_BUILD_TESTS=OFF -DVECTORPIN_BUILD_CLI=OFF -DVECTORPIN_BUILD_BINDINGS=OFF \
  -DVECTORPIN_BUILD_BENCH=OFF -DVECTORPIN_BUILD_FUZZ=OFF \
  -Wno-dev >"$build/core.configure.log" 2>&1 || { cat "$build/core.configure.log" >&2; exit 1; }
nice -n 10 cmake --build "$build/core" -j$jobs --target vectorpin_static

# ---- the module ------------------------------------------------------------------
# Exported: the C functions the wrapper calls (bindings/wasm/exports.txt).
# Web and worker only: the wrapper instantiates the module itself, so the
# glue never reaches for Node's fs or require, and one file serves Node,
# Deno, Workers and browsers.
out=$build/dist
mkdir -p "$out"
exports=$(grep -v '^#' "$src/bindings/wasm/exports.txt" | grep . | sed 's/^/_/' | paste -sd,)
nice -n 10 em++ -O3 "$build/core/libvectorpin.a" "$prefix/lib/libsodium.a" "$prefix/lib/libutf8proc.a" \
  -o "$out/vectorpin-core.mjs" \
  -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createVectorpinCore -sENVIRONMENT=web,worker \
  -sALLOW_MEMORY_GROWTH=1 -sFILESYSTEM=0 -sEXPORTED_FUNCTIONS="_malloc,_free,$exports"
if [ $profile -eq 1 ]; then
  # Links against the core's internal headers, so it is not part of the
  # package. Synchronous instantiation: this emscripten's asynchronous path
  # fetch()es the .wasm, which Node's fetch refuses for a file path.
  mkdir -p "$build/profile"
  nice -n 10 em++ -O3 -std=c++17 -I"$src/src" -I"$src/include" -I"$build/core" -I"$prefix/include" \
    "$src/bindings/wasm/bench/profile.cpp" "$build/core/libvectorpin.a" "$prefix/lib/libsodium.a" \
    "$prefix/lib/libutf8proc.a" -sWASM_ASYNC_COMPILATION=0 -sALLOW_MEMORY_GROWTH=1 \
    -o "$build/profile/vectorpin-profile.js"
  echo "profile: node $build/profile/vectorpin-profile.js [--rounds N]"
fi
mkdir -p "$src/bindings/wasm/dist"
cp "$out/vectorpin-core.mjs" "$out/vectorpin-core.wasm" "$src/bindings/wasm/dist/"
ls -l "$src/bindings/wasm/dist/"
