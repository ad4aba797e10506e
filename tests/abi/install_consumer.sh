#!/usr/bin/env bash
# Installs the build into a temporary prefix and builds two consumers against
# it: one through pkg-config (static and shared), one through the CMake package.
set -euo pipefail
build_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
# The SONAME carries the ABI number written in the installed header.
abi=$(sed -n 's/^#define VECTORPIN_ABI_VERSION \([0-9][0-9]*\)$/\1/p' "$work/prefix/include/vectorpin.h")
libdir=$(find "$work/prefix" -name "libvectorpin.so.$abi" -printf '%h\n' | head -n1)
test -n "$abi" && test -n "$libdir"
readelf -d "$libdir/libvectorpin.so.$abi" | grep -q "Library soname: \[libvectorpin.so.$abi\]"
test -L "$libdir/libvectorpin.so"
test -f "$libdir/libvectorpin.a"
test -f "$libdir/pkgconfig/vectorpin.pc"
cat > "$work/consumer.c" <<'C'
#include <vectorpin.h>
#include <stdio.h>
int main(void) {
  char h[VECTORPIN_HASH_STRING_BUFFER_BYTES];
  if (vectorpin_hash_text(h, sizeof h, "x", 1, NULL) != VECTORPIN_OK) return 1;
  printf("%s %s\n", vectorpin_version_string(), h);
  return 0;
}
C
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cc -std=c99 "$work/consumer.c" -o "$work/shared" $(pkg-config --cflags --libs vectorpin) -Wl,-rpath,"$libdir"
"$work/shared"
cc -std=c99 "$work/consumer.c" -o "$work/static" $(pkg-config --cflags vectorpin) "$libdir/libvectorpin.a" \
  $(pkg-config --libs-only-l --static vectorpin | sed 's/-lvectorpin//') -lm
! ldd "$work/static" | grep -q libvectorpin
"$work/static"
mkdir -p "$work/cm"
cat > "$work/cm/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(consumer C)
find_package(vectorpin REQUIRED)
add_executable(consumer ../consumer.c)
target_link_libraries(consumer PRIVATE vectorpin::vectorpin)
CM
cmake -S "$work/cm" -B "$work/cm/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cm/build" >/dev/null
LD_LIBRARY_PATH="$libdir" "$work/cm/build/consumer"
echo "install consumers OK"
