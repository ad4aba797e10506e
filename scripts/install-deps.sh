#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and every binding need,
# skipping those already present. Run as root (or with sudo available).
#   scripts/install-deps.sh              everything the tests need
#   scripts/install-deps.sh PACKAGE...   only these (the demo needs fewer)
set -euo pipefail

packages=(
  # core, CLI, tests, benchmarks
  cmake ninja-build g++ pkg-config libsodium-dev libutf8proc-dev python3
  libgtest-dev nlohmann-json3-dev libbenchmark-dev openssl
  # conformance kit: the example shim, the rule-list and schema checks
  python3 python3-jsonschema
  # store auditing
  libsqlite3-dev libpq-dev postgresql
  # fuzzing and sanitizers
  clang-14 libclang-rt-14-dev
  # bindings: Go, Java (SWIG + JUnit 5)
  golang-go swig junit5 openjdk-17-jdk-headless
  # binding: Python (cffi, numpy; pip, setuptools and wheel for `pip install`;
  # scikit-learn for the detectors, Dask distributed for scale-out audits,
  # psycopg2 for PostgreSQL stores)
  python3-dev python3-cffi python3-numpy python3-pytest python3-pip python3-setuptools python3-wheel
  python3-sklearn python3-distributed python3-psycopg2
)
# Installed by their own scripts, which scripts/test-all.sh runs: the cross
# toolchains and qemu-user (scripts/test-cross.sh), emscripten, dpkg-dev and
# autotools (scripts/build-wasm.sh).

everything=1
if [ $# -gt 0 ]; then
  packages=("$@")
  everything=0
fi

missing=()
for p in "${packages[@]}"; do
  # A package also installed for another architecture (the cross tests add
  # some) needs its native architecture named.
  dpkg -s "$p" >/dev/null 2>&1 || dpkg -s "$p:$(dpkg --print-architecture)" >/dev/null 2>&1 || missing+=("$p")
done
# Node.js may come from another packaging of the machine; only install it when
# absent. Debian's own nodejs keeps node_api.h in libnode-dev.
[ $everything -eq 1 ] && ! command -v node >/dev/null 2>&1 && missing+=(nodejs npm libnode-dev)

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing Debian packages: ${missing[*]}" >&2
    echo "install them with: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# The .NET SDK is not a Debian package; the C# binding is skipped (with a
# CMake warning) when it is absent.
[ $everything -eq 1 ] && ! command -v dotnet >/dev/null 2>&1 && echo "note: dotnet not found; the C# binding will not be built or tested" >&2
exit 0
