//go:build !vectorpin_static && !vectorpin_pkgconfig

package vectorpin

// The default links the shared library by name only; the include and library
// directories come from CGO_CFLAGS / CGO_LDFLAGS (see docs/bindings/go.md),
// because a library in a build tree has no standard place to be found.

// #cgo LDFLAGS: -lvectorpin
import "C"
