package vectorpin

// This file holds only the exported callback: cgo allows no C definitions
// in the preamble of a file that uses //export.

/*
#include <stddef.h>
#include <stdint.h>
*/
import "C"

import (
	"crypto"
	"crypto/rand"
	"runtime/cgo"
	"unsafe"
)

// vectorpinGoSign is the C-side sign callback of every external signer.
// userData is the cgo.Handle of the crypto.Signer (a handle, because C may
// not keep a Go pointer). It may run on several threads at once, as the
// header says; whatever the backend does, a panic must not unwind into C.
//
//export vectorpinGoSign
func vectorpinGoSign(userData unsafe.Pointer, signature *C.uint8_t, message *C.uint8_t, messageLen C.size_t) (rc C.int) {
	defer func() {
		if recover() != nil {
			rc = 1
		}
	}()
	backend, ok := cgo.Handle(uintptr(userData)).Value().(crypto.Signer)
	if !ok || signature == nil || (message == nil && messageLen != 0) {
		return 1
	}
	// A copy: the backend may keep the message (to log it, to send it to
	// a KMS asynchronously), and the C buffer dies when the callback returns.
	msg := C.GoBytes(unsafe.Pointer(message), C.int(messageLen))
	// Pure Ed25519 signs the message itself, which crypto.Signer spells as
	// the zero crypto.Hash.
	sig, err := backend.Sign(rand.Reader, msg, crypto.Hash(0))
	if err != nil || len(sig) != SignatureBytes {
		return 1
	}
	copy(unsafe.Slice((*byte)(unsafe.Pointer(signature)), SignatureBytes), sig)
	return 0
}
