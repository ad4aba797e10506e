#!/usr/bin/env bash
# Cross-builds the core for another Linux architecture and runs the tests
# under user-mode emulation (qemu). aarch64 is the phone/edge target; s390x is
# the big-endian check: there the fixture generator must write every file of
# testvectors/ byte for byte, which proves the canonical little-endian bytes
# do not depend on the host's byte order.
#
#   scripts/test-cross.sh ARCH [--install-only] [--build-dir DIR]
#     ARCH            aarch64 | s390x
#     --install-only  only install the tools and unpack the target's libraries
#     --build-dir DIR build there (default: build-cross-ARCH in the source tree)
#
# Installs what it needs from Debian (as root, or through sudo): the cross
# compiler g++-<triple> and qemu-user; the target's libsodium, utf8proc,
# sqlite3 and googletest packages are downloaded (dpkg --add-architecture)
# and unpacked into DIR/sysroot, not installed.
# Runs under emulation: the unit, hostile and perf ctest labels (C++ API,
# fixtures, primitives, the CLI started through qemu, the C99 header test,
# byte-order known answers, SHA-256 selection), fixture regeneration compared
# byte for byte with testvectors/, and the static verify-only consumer.
# Prints a closing line "N passed, N failed" for the checks it ran.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)

arch=${1:-}
shift || true
install_only=0
build=""
while [ $# -gt 0 ]; do
  case $1 in
    --install-only) install_only=1 ;;
    --build-dir) build=$2; shift ;;
    *) echo "test-cross.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done

case $arch in
  aarch64) debarch=arm64; triple=aarch64-linux-gnu; qemu=qemu-aarch64 ;;
  s390x) debarch=s390x; triple=s390x-linux-gnu; qemu=qemu-s390x ;;
  *) echo "usage: scripts/test-cross.sh aarch64|s390x [--install-only] [--build-dir DIR]" >&2; exit 2 ;;
esac
build=${build:-$src/build-cross-$arch}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "test-cross.sh: needs root to run: $*" >&2; return 1
  fi
}

# The cross compiler and qemu are installed; the foreign architecture's
# libraries are not: their .debs are downloaded and unpacked into a sysroot
# in the build directory. Installing them as multiarch packages would tie
# their versions to the host's (Multi-Arch: same), and Debian's security
# archive does not carry every architecture (bookworm-security has no
# s390x), so a host with security updates could not install them at all.
sysroot_packages=(libsodium-dev libsodium23 libutf8proc-dev libutf8proc2 libsqlite3-dev libsqlite3-0 libgtest-dev)
sysroot=$build/sysroot

install_cross_packages() {
  local wanted=(g++-$triple qemu-user nlohmann-json3-dev cmake ninja-build pkg-config)
  local missing=() p
  for p in "${wanted[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  local have_lists=1
  dpkg --print-foreign-architectures | grep -qx "$debarch" || have_lists=0
  [ ${#missing[@]} -eq 0 ] && [ $have_lists -eq 1 ] && return 0
  [ ${#missing[@]} -gt 0 ] && echo "installing: ${missing[*]}"
  # apt fetches as the unprivileged _apt user, which needs a writable /tmp.
  if [ "$(stat -c %a /tmp)" != 1777 ]; then
    as_root chmod 1777 /tmp
  fi
  # The foreign architecture's package lists, for `apt-get download` below.
  [ $have_lists -eq 1 ] || as_root dpkg --add-architecture "$debarch"
  as_root apt-get update -qq
  [ ${#missing[@]} -eq 0 ] && return 0
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
}

unpack_sysroot() {
  local stamp=$sysroot/.packages
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "${sysroot_packages[*]}" ] && return 0
  rm -rf "$sysroot" "$build/debs"
  mkdir -p "$sysroot" "$build/debs"
  local p
  # _apt must be able to write where the files land.
  chmod 777 "$build/debs"
  (cd "$build/debs" && apt-get download -qq "${sysroot_packages[@]/%/:$debarch}")
  for p in "$build"/debs/*.deb; do dpkg-deb -x "$p" "$sysroot"; done
  # Debian's .pc files and CMake configs name /usr; the toolchain file sets
  # the sysroot for pkg-config. Absolute symlinks inside the sysroot are
  # made relative so they resolve there, not on the host.
  find "$sysroot" -type l -lname '/*' | while read -r link; do
    ln -sfn "$sysroot$(readlink "$link")" "$link"
  done
  echo "${sysroot_packages[*]}" >"$stamp"
}

mkdir -p "$build"
build=$(realpath "$build")
sysroot=$build/sysroot
install_cross_packages
unpack_sysroot
[ $install_only -eq 1 ] && exit 0

# ---- build ---------------------------------------------------------------
# Only what runs under emulation: the library, the unit/hostile/perf test
# programs, the C99 header test, the CLI (started by the unit tests), the
# fixture generator and the static verify-only consumer.
targets=(vectorpin_static vectorpin vectorpin_unit_tests vectorpin_hostile_tests vectorpin_perf_tests
         vectorpin_c99_header vectorpin_null_arguments vectorpin_cli vectorpin_testvectors
         vectorpin_verify_consumer)
nice -n 10 cmake -S "$src" -B "$build" -G Ninja --toolchain "$src/cmake/toolchains/linux-$arch.cmake" \
  -DVECTORPIN_CROSS_SYSROOT="$sysroot" \
  -DCMAKE_BUILD_TYPE=Release -DVECTORPIN_BUILD_BINDINGS=OFF -DVECTORPIN_BUILD_BENCH=OFF \
  -DVECTORPIN_BUILD_FUZZ=OFF -Wno-dev >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
nice -n 10 cmake --build "$build" -j2 --target "${targets[@]}"

# ---- run under qemu --------------------------------------------------------
failures=()
passed=0
check() {
  local name=$1
  shift
  echo "--- $arch: $name"
  if "$@"; then echo "--- $arch: $name: passed"; passed=$((passed + 1)); else echo "--- $arch: $name: FAILED"; failures+=("$name"); fi
}
# The cross runtime first, as in the toolchain file (see there why).
run() { "$qemu" -L "/usr/$triple" -E "LD_LIBRARY_PATH=/usr/$triple/lib:$sysroot/usr/lib/$triple" "$@"; }

# The unit, hostile and perf labels, less what cannot run or says nothing
# here: the `host_tools` label (checks that run host tools or only read sources:
# install, exported symbols, installed CLI and docs, binding lists,
# add_subdirectory, upstream's copies), the 1 GiB SHA-256 message (minutes
# under emulation; the other NIST and libsodium comparisons cover both code
# paths), the thread-stress tests (TSan runs them natively), and the Ed25519
# engine's 200,000-case differential suite (its program is not cross-built:
# hours under emulation; every fixture and hostile case still verifies
# through the engine here).
exclude='NistExtremelyLongMessage|concurrency|ed25519_'
check "ctest unit|hostile|perf" ctest --test-dir "$build" -L 'unit|hostile|perf' -LE '^host_tools$' -E "$exclude" -j2 \
  --output-on-failure --timeout 600

# Big-endian (s390x) or not, the generator must write the committed files
# byte for byte.
regen=$(mktemp -d)
trap 'rm -rf "$regen"' EXIT
regenerate() {
  run "$build/testvectors/generator/vectorpin-testvectors" --out "$regen" >/dev/null &&
    for f in "$regen"/*.json; do cmp "$f" "testvectors/$(basename "$f")" || return 1; done &&
    echo "$(ls "$regen" | wc -l) fixture files regenerated byte for byte"
}
check "fixture regeneration" regenerate

# The SHA-256 and Ed25519 code the library picks here must be the portable
# one, and the byte-order known answers must hold (also in the ctest run
# above; repeated so the log says it in one place).
check "portable SHA-256 and Ed25519, byte-order known answers" run "$build/tests/vectorpin_unit_tests" \
  --gtest_filter='PlatformDispatch.*:ByteOrder.*' --gtest_brief=1

# The static verify-only consumer runs without the cross runtime (-L).
consumer=$build/examples/vectorpin-verify-consumer
check "static verify-only consumer" "$qemu" "$consumer"
size=$(cp "$consumer" "$build/consumer.stripped" && "$triple-strip" "$build/consumer.stripped" && stat -c %s "$build/consumer.stripped")
echo "static verify-only consumer, stripped: $size bytes ($arch)"

echo
echo "$arch: $passed passed, ${#failures[@]} failed"
if [ ${#failures[@]} -eq 0 ]; then
  exit 0
fi
echo "$arch: failed: ${failures[*]}"
exit 1
