package vectorpin

/*
#include <vectorpin.h>
*/
import "C"

import "unsafe"

// Targets for empty inputs. The header reads a NULL pointer as "not
// supplied" for the optional inputs of verification, so an input that is
// present but empty must still point somewhere; these never get written.
var (
	emptyByte byte
	emptyF32  float32
	emptyF64  float64
)

// cText hands a Go string's bytes to C in place, without a copy. C only
// reads them (every text parameter is const) and keeps nothing after the
// call, which is what the cgo pointer rules ask for. The string header is read
// through unsafe.Pointer because unsafe.StringData needs Go 1.20.
func cText(s string) (*C.char, C.size_t) {
	if len(s) == 0 {
		return (*C.char)(unsafe.Pointer(&emptyByte)), 0
	}
	return (*C.char)(*(*unsafe.Pointer)(unsafe.Pointer(&s))), C.size_t(len(s))
}

// cOptText is cText, except that the empty string becomes NULL: for the
// optional bounds of a key's validity window.
func cOptText(s string) (*C.char, C.size_t) {
	if len(s) == 0 {
		return nil, 0
	}
	return cText(s)
}

// cBytes passes a byte slice in place; nil stays NULL, an empty non-nil
// slice becomes a non-NULL pointer with length 0.
func cBytes(b []byte) (*C.uint8_t, C.size_t) {
	if b == nil {
		return nil, 0
	}
	if len(b) == 0 {
		return (*C.uint8_t)(unsafe.Pointer(&emptyByte)), 0
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// cBytesAsText is cBytes for parameters typed const char*.
func cBytesAsText(b []byte) (*C.char, C.size_t) {
	p, n := cBytes(b)
	return (*C.char)(unsafe.Pointer(p)), n
}

// cF32 and cF64 pass a vector's backing array in place, with the same nil
// and empty conventions as cBytes.
func cF32(v []float32) (*C.float, C.size_t) {
	if v == nil {
		return nil, 0
	}
	if len(v) == 0 {
		return (*C.float)(unsafe.Pointer(&emptyF32)), 0
	}
	return (*C.float)(unsafe.Pointer(&v[0])), C.size_t(len(v))
}

func cF64(v []float64) (*C.double, C.size_t) {
	if v == nil {
		return nil, 0
	}
	if len(v) == 0 {
		return (*C.double)(unsafe.Pointer(&emptyF64)), 0
	}
	return (*C.double)(unsafe.Pointer(&v[0])), C.size_t(len(v))
}

// goText copies (pointer, length) text owned by the library into Go memory.
func goText(p *C.char, n C.size_t) string {
	if p == nil || n == 0 {
		return ""
	}
	return C.GoStringN(p, C.int(n))
}

// takeText copies text the library allocated for the caller and frees it.
func takeText(p *C.char, n C.size_t) string {
	defer C.vectorpin_free(unsafe.Pointer(p))
	return goText(p, n)
}

// takeBytes is takeText for byte outputs.
func takeBytes(p *C.uint8_t, n C.size_t) []byte {
	defer C.vectorpin_free(unsafe.Pointer(p))
	if p == nil {
		return []byte{}
	}
	return C.GoBytes(unsafe.Pointer(p), C.int(n))
}
