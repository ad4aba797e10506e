#!/usr/bin/env bash
# The recipe of docs/bindings/go.md ("Using the binding in your own module"),
# run as written: install libvectorpin into a fresh prefix, make a new module
# in a temporary folder that requires the binding, and build and run it
# through pkg-config, once linked against libvectorpin.so and once with the
# archive linked in (-tags vectorpin_static,vectorpin_pkgconfig).
#   outside-module.sh BUILD_DIR BINDING_DIR
# Go's caches come from the environment (ctest points them into the build
# folder); nothing is downloaded.
set -euo pipefail
build_dir=$1
binding_dir=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() {  # NAME COMMAND...: counts a check, prints its output on failure
  local name=$1; shift
  local out
  if out=$("$@" 2>&1); then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $name"; echo "$out" | tail -n 20
  fi
}

# A build cache of its own: Go 1.19 keeps a cgo package built with flags
# from pkg-config under a key that leaves the linker flags out, so a cache
# from an earlier run (another temporary prefix) would link against a
# prefix that is gone. Only the binding is compiled (the standard library
# ships compiled).
export GOCACHE="$work/go-cache"

prefix="$work/prefix"
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
libdir=$(dirname "$(find "$prefix" -name vectorpin.pc | head -n1)")/..
libdir=$(cd "$libdir" && pwd)

# The recipe, from here on.
export PKG_CONFIG_PATH="$libdir/pkgconfig"
mkdir "$work/app"
cd "$work/app"
cat > go.mod <<MOD
module example.com/pinapp

go 1.19

require github.com/vectorpin/vectorpin/bindings/go v0.1.0

replace github.com/vectorpin/vectorpin/bindings/go => $binding_dir
MOD
cat > main.go <<'GO'
package main

import (
	"errors"
	"fmt"
	"os"

	vectorpin "github.com/vectorpin/vectorpin/bindings/go"
)

func main() {
	signer, err := vectorpin.GenerateSigner("app-key")
	if err != nil {
		panic(err)
	}
	defer signer.Close()
	text := "the source text"
	vector := []float32{0.25, -0.5, 1}
	pin, err := signer.Pin(text, "model-a", vector, nil)
	if err != nil {
		panic(err)
	}
	defer pin.Close()
	stored, err := pin.JSON()
	if err != nil {
		panic(err)
	}
	verifier, err := vectorpin.NewVerifier()
	if err != nil {
		panic(err)
	}
	defer verifier.Close()
	if err := verifier.AddKey("app-key", signer.PublicKey()); err != nil {
		panic(err)
	}
	if err := verifier.VerifyJSON(stored, vectorpin.Input{Source: &text, Vector: vector}); err != nil {
		fmt.Println("verify:", err)
		os.Exit(1)
	}
	vector[0] = 0.26
	err = verifier.VerifyJSON(stored, vectorpin.Input{Source: &text, Vector: vector})
	if !errors.Is(err, vectorpin.ErrVectorTampered) {
		fmt.Println("a changed vector was not caught:", err)
		os.Exit(1)
	}
	fmt.Println("ok", vectorpin.LibraryVersion())
}
GO

# Shared: libvectorpin.so found at run time through the rpath given here
# (a prefix the dynamic loader already searches, after ldconfig, needs none).
check "build, shared, pkg-config" env CGO_LDFLAGS="-Wl,-rpath,$libdir" "${GO:-go}" build -tags vectorpin_pkgconfig -o app-shared .
check "run, shared" sh -c './app-shared | grep -q "^ok "'
if command -v readelf >/dev/null; then
  check "shared binary needs libvectorpin.so" sh -c 'readelf -d app-shared | grep -q "libvectorpin\.so"'
fi

# Static: the archive, flags from vectorpin-static.pc; no CGO_LDFLAGS and no
# libvectorpin.so at run time (the prefix's copy is removed to prove it).
check "build, static, pkg-config" env CGO_LDFLAGS= "${GO:-go}" build -tags vectorpin_static,vectorpin_pkgconfig -o app-static .
mv "$libdir"/libvectorpin.so* "$work/" 2>/dev/null || true
check "run, static, without libvectorpin.so" sh -c 'env -u LD_LIBRARY_PATH ./app-static | grep -q "^ok "'
if command -v readelf >/dev/null; then
  check "static binary does not need libvectorpin.so" sh -c '! readelf -d app-static | grep -q "libvectorpin"'
fi

# The module carries the licence.
check "module LICENSE is the repository's" cmp "$binding_dir/LICENSE" "$binding_dir/../../LICENSE"
check "module NOTICE is the repository's" cmp "$binding_dir/NOTICE" "$binding_dir/../../NOTICE"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
