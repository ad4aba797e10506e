//go:build vectorpin_static && !vectorpin_pkgconfig

package vectorpin

// Links libvectorpin.a into the Go program, so the binary needs no
// libvectorpin.so at run time. "-l:" names the archive exactly: with a plain
// -lvectorpin the linker would prefer the shared library sitting next to it.
// The core is C++ (hence libstdc++) and its own dependencies stay shared.

// #cgo LDFLAGS: -l:libvectorpin.a -lsodium -lutf8proc -lstdc++ -lm
import "C"
