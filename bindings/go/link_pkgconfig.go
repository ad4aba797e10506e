//go:build vectorpin_pkgconfig && !vectorpin_static

package vectorpin

// For an installed library: flags come from vectorpin.pc.

// #cgo pkg-config: vectorpin
import "C"
