package vectorpin

/*
#include <vectorpin.h>
*/
import "C"

import (
	"runtime"
	"sync"
)

// Verifier holds a registry of public keys and checks pins against it. It
// is safe for concurrent use: any number of goroutines may verify at once,
// and AddKey, LoadRegistry, SetLegacyV1 and Close wait for running
// verifications (the C library needs exclusive access for those). Close it
// when done; a finalizer releases a forgotten one eventually.
type Verifier struct {
	mu      sync.RWMutex
	ptr     *C.vectorpin_verifier
	batches int // open Batch values sharing ptr; guarded by mu
}

// mutable reports why the registry may not change now, or nil; the caller
// holds mu exclusively.
func (v *Verifier) mutable() error {
	if v.ptr == nil {
		return closedError("Verifier")
	}
	if v.batches > 0 {
		return misuse("Verifier changed while a Batch uses it; close the Batch first")
	}
	return nil
}

// NewVerifier returns an empty registry that accepts protocol v2 pins only.
func NewVerifier() (*Verifier, error) {
	var out *C.vectorpin_verifier
	var e C.vectorpin_error
	if err := fromC(C.vectorpin_verifier_new(&out, &e), &e); err != nil {
		return nil, err
	}
	v := &Verifier{ptr: out}
	runtime.SetFinalizer(v, (*Verifier).release)
	return v, nil
}

func (v *Verifier) release() {
	C.vectorpin_verifier_free(v.ptr)
	v.ptr = nil
}

// Close releases the verifier. Closing again is harmless. A Verifier with
// an open Batch is not closed: Close returns ErrInvalidArgument.
func (v *Verifier) Close() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.batches > 0 {
		return misuse("Verifier closed while a Batch uses it; close the Batch first")
	}
	if v.ptr != nil {
		v.release()
		runtime.SetFinalizer(v, nil)
	}
	return nil
}

// AddKey registers a raw 32-byte Ed25519 public key under kid, valid at
// any time. Weak keys give ErrInvalidKey, a kid already present
// ErrDuplicateKeyID. Use DecodePublicKey for base64url or PEM keys.
func (v *Verifier) AddKey(kid string, publicKey []byte) error {
	return v.AddKeyWindow(kid, publicKey, "", "")
}

// AddKeyWindow registers a key valid for pins whose ts is in
// [validFrom, validUntil); either bound may be "" for none, else a
// canonical timestamp.
func (v *Verifier) AddKeyWindow(kid string, publicKey []byte, validFrom, validUntil string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.mutable(); err != nil {
		return err
	}
	var e C.vectorpin_error
	kp, kn := cText(kid)
	pp, pn := cBytes(publicKey)
	fp, fn := cOptText(validFrom)
	up, un := cOptText(validUntil)
	return fromC(C.vectorpin_verifier_add_key(v.ptr, kp, kn, pp, pn, fp, fn, up, un, &e), &e)
}

// LoadRegistry adds every key of a registry document
//
//	{"<kid>": {"public_key": "<base64url or PEM>", "valid_from": ts|null, "valid_until": ts|null}, ...}
//
// all or nothing: on any error no key is added.
func (v *Verifier) LoadRegistry(document []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.mutable(); err != nil {
		return err
	}
	var e C.vectorpin_error
	p, n := cBytesAsText(document)
	return fromC(C.vectorpin_verifier_load_registry(v.ptr, p, n, &e), &e)
}

// SetLegacyV1 turns acceptance of legacy protocol v1 pins on or off (off by default).
func (v *Verifier) SetLegacyV1(enabled bool) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.mutable(); err != nil {
		return err
	}
	flag := C.int(0)
	if enabled {
		flag = 1
	}
	var e C.vectorpin_error
	return fromC(C.vectorpin_verifier_set_legacy_v1(v.ptr, flag, &e), &e)
}

// KeyCount is the number of registered keys (0 once closed).
func (v *Verifier) KeyCount() int {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return int(C.vectorpin_verifier_key_count(v.ptr))
}

// SetPreparedKeyLimit sets how many of this verifier's keys may get a
// table that makes their later verifications several times faster
// (PreparedKeyBytes() each, built on a key's first use, kept until Close);
// keys past the limit verify without one, with the same answers, more
// slowly. The default is DefaultPreparedKeyLimit; 0 builds none. A limit
// applies to tables built afterwards: lowering it frees nothing. It may be
// set while verifications run.
func (v *Verifier) SetPreparedKeyLimit(limit int) error {
	if limit < 0 {
		return misuse("negative prepared-key limit")
	}
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.ptr == nil {
		return closedError("Verifier")
	}
	var e C.vectorpin_error
	return fromC(C.vectorpin_verifier_set_prepared_key_limit(v.ptr, C.size_t(limit), &e), &e)
}

// PreparedKeyLimit is the limit SetPreparedKeyLimit sets (0 once closed).
func (v *Verifier) PreparedKeyLimit() int {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return int(C.vectorpin_verifier_prepared_key_limit(v.ptr))
}

// PreparedKeyCount is the number of keys prepared so far (0 once closed).
func (v *Verifier) PreparedKeyCount() int {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return int(C.vectorpin_verifier_prepared_key_count(v.ptr))
}

// PreparedKeyBytes is the memory one prepared key takes.
func PreparedKeyBytes() int { return int(C.vectorpin_prepared_key_bytes()) }

// Input is what a pin is checked against besides its signature. The zero
// value checks the version, the key, its validity window and the signature
// only.
type Input struct {
	// Source, when not nil, must hash to the pin's source_hash. A pointer
	// so that an empty source can be checked too.
	Source *string
	// Vector, when not nil, must have the pin's dimension and hash to its
	// vec_hash under the pin's dtype. An empty non-nil slice is checked
	// (and fails with ErrShapeMismatch). Read in place, never copied.
	Vector []float32
	// VectorFloat64 is the same for float64 embeddings; set at most one of
	// Vector and VectorFloat64.
	VectorFloat64 []float64
	// Expect lists the model and ids the pin must carry.
	Expect Expectations
}

// Verify checks a pin in the protocol's order; the first failure is the
// error (compare with errors.Is against ErrSignatureInvalid,
// ErrVectorTampered, ...). nil means every requested check passed.
func (v *Verifier) Verify(pin *Pin, in Input) error {
	if pin == nil {
		return misuse("nil Pin")
	}
	return v.verify(pin, nil, in)
}

// VerifyJSON is Verify starting from pin JSON; a malformed pin is
// ErrParseError (or ErrUnsupportedVersion), like any other outcome.
func (v *Verifier) VerifyJSON(pinJSON []byte, in Input) error {
	return v.verify(nil, pinJSON, in)
}

func (v *Verifier) verify(pin *Pin, pinJSON []byte, in Input) error {
	if in.Vector != nil && in.VectorFloat64 != nil {
		return misuse("Input has both Vector and VectorFloat64")
	}
	exp, err := in.Expect.toC()
	if err != nil {
		return err
	}
	defer C.vectorpin_expectations_free(exp)
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.ptr == nil {
		return closedError("Verifier")
	}
	var sp *C.char
	var sn C.size_t
	if in.Source != nil {
		sp, sn = cText(*in.Source)
	}
	var e C.vectorpin_error
	var st C.vectorpin_status
	if pin != nil {
		pin.mu.RLock()
		defer pin.mu.RUnlock()
		if pin.ptr == nil {
			return closedError("Pin")
		}
		if in.VectorFloat64 != nil {
			vp, vn := cF64(in.VectorFloat64)
			st = C.vectorpin_verify_f64(v.ptr, pin.ptr, sp, sn, vp, vn, exp, &e)
		} else {
			vp, vn := cF32(in.Vector)
			st = C.vectorpin_verify_f32(v.ptr, pin.ptr, sp, sn, vp, vn, exp, &e)
		}
	} else {
		jp, jn := cBytesAsText(pinJSON)
		if in.VectorFloat64 != nil {
			vp, vn := cF64(in.VectorFloat64)
			st = C.vectorpin_verify_json_f64(v.ptr, jp, jn, sp, sn, vp, vn, exp, &e)
		} else {
			vp, vn := cF32(in.Vector)
			st = C.vectorpin_verify_json_f32(v.ptr, jp, jn, sp, sn, vp, vn, exp, &e)
		}
	}
	return fromC(st, &e)
}
