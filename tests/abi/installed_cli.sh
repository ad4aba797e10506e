#!/usr/bin/env bash
# Installs the build into a fresh temporary prefix and runs the installed
# `vectorpin` from there, with no LD_LIBRARY_PATH: it must find its library
# through its own RUNPATH ($ORIGIN-relative) and work end to end.
set -euo pipefail
build_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
bin="$work/prefix/bin/vectorpin"
test -x "$bin"
readelf -d "$bin" | grep -E 'R(UN)?PATH' | grep -q '\$ORIGIN/' || { echo "no \$ORIGIN-relative RUNPATH in $bin"; exit 1; }
# Moving the whole prefix must not matter either.
mv "$work/prefix" "$work/moved"
bin="$work/moved/bin/vectorpin"
env -u LD_LIBRARY_PATH "$bin" --help >"$work/help.txt"
grep -q "keygen" "$work/help.txt"
env -u LD_LIBRARY_PATH "$bin" keygen --key-id installed --output "$work/keys" >/dev/null
printf 'hello' >"$work/source.txt"
printf '[0.5, 0.25]' >"$work/vector.json"
env -u LD_LIBRARY_PATH "$bin" pin --private-key "$work/keys/installed.priv" --key-id installed --model m \
  --source "$work/source.txt" --vector "$work/vector.json" >"$work/pin.json"
env -u LD_LIBRARY_PATH "$bin" verify-pin --pin "$work/pin.json" --public-key "$work/keys/installed.pub" \
  --key-id installed --source "$work/source.txt" --vector "$work/vector.json" >/dev/null
echo "installed CLI runs from a moved prefix"
