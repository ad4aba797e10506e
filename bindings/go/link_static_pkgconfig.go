//go:build vectorpin_static && vectorpin_pkgconfig

package vectorpin

// The archive, with its flags from an installed vectorpin-static.pc: the
// static link of an installed library needs no CGO_LDFLAGS at all.

// #cgo pkg-config: vectorpin-static
import "C"
