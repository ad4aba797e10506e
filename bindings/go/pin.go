package vectorpin

/*
#include <vectorpin.h>
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// Pin is a parsed or freshly signed pin. Its fields are read once, when the
// Pin is made, so the getters are plain Go and stay valid after Close; the
// calls that need the native pin (JSON, SignedBytes, ExtraValue,
// Verifier.Verify) fail with ErrClosed after it. A Pin is immutable and safe
// for concurrent use.
type Pin struct {
	mu  sync.RWMutex // readers of ptr hold it shared, Close exclusively
	ptr *C.vectorpin_pin
	f   pinFields
}

type pinFields struct {
	version      int
	kid          string
	model        string
	modelHash    string
	hasModelHash bool
	sourceHash   string
	vecHash      string
	dtype        Dtype
	vecDim       int
	ts           string
	sigText      string
	sig          [SignatureBytes]byte
	extra        []ExtraEntry
}

// ExtraEntry is one entry of a pin's extra map.
type ExtraEntry struct {
	Key, Value string
}

func newPin(ptr *C.vectorpin_pin) (*Pin, error) {
	p := &Pin{ptr: ptr}
	if err := p.load(); err != nil {
		C.vectorpin_pin_free(ptr)
		return nil, err
	}
	runtime.SetFinalizer(p, (*Pin).release)
	return p, nil
}

func (p *Pin) field(which C.vectorpin_pin_field) (string, error) {
	var out *C.char
	var n C.size_t
	var e C.vectorpin_error
	if err := fromC(C.vectorpin_pin_get(p.ptr, &out, &n, which, &e), &e); err != nil {
		return "", err
	}
	return goText(out, n), nil
}

func (p *Pin) load() error {
	f := &p.f
	required := []struct {
		which C.vectorpin_pin_field
		dst   *string
	}{
		{C.VECTORPIN_FIELD_KID, &f.kid},
		{C.VECTORPIN_FIELD_MODEL, &f.model},
		{C.VECTORPIN_FIELD_SOURCE_HASH, &f.sourceHash},
		{C.VECTORPIN_FIELD_VEC_HASH, &f.vecHash},
		{C.VECTORPIN_FIELD_TS, &f.ts},
		{C.VECTORPIN_FIELD_SIG, &f.sigText},
	}
	for _, r := range required {
		v, err := p.field(r.which)
		if err != nil {
			return err
		}
		*r.dst = v
	}
	mh, err := p.field(C.VECTORPIN_FIELD_MODEL_HASH)
	switch {
	case err == nil:
		f.modelHash, f.hasModelHash = mh, true
	case err.(*Error).Status != StatusNotFound:
		return err
	}
	f.version = int(C.vectorpin_pin_version(p.ptr))
	f.dtype = Dtype(C.vectorpin_pin_dtype(p.ptr))
	f.vecDim = int(C.vectorpin_pin_vec_dim(p.ptr))
	var e C.vectorpin_error
	if err := fromC(C.vectorpin_pin_signature(p.ptr, (*C.uint8_t)(unsafe.Pointer(&f.sig[0])), SignatureBytes, &e), &e); err != nil {
		return err
	}
	count := int(C.vectorpin_pin_extra_count(p.ptr))
	if count > 0 {
		f.extra = make([]ExtraEntry, count)
	}
	for i := 0; i < count; i++ {
		var k, v *C.char
		var kn, vn C.size_t
		if err := fromC(C.vectorpin_pin_extra_at(p.ptr, &k, &kn, &v, &vn, C.size_t(i), &e), &e); err != nil {
			return err
		}
		f.extra[i] = ExtraEntry{Key: goText(k, kn), Value: goText(v, vn)}
	}
	return nil
}

func (p *Pin) release() {
	C.vectorpin_pin_free(p.ptr)
	p.ptr = nil
}

// Close releases the native pin. Closing again is harmless.
func (p *Pin) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ptr != nil {
		p.release()
		runtime.SetFinalizer(p, nil)
	}
	return nil
}

// ParsePin parses pin JSON with every rule of the protocol's wire form:
// failures are ErrParseError or ErrUnsupportedVersion. Parsing does not
// check the signature; Verifier.Verify does.
func ParsePin(data []byte) (*Pin, error) {
	var out *C.vectorpin_pin
	var e C.vectorpin_error
	p, n := cBytesAsText(data)
	if err := fromC(C.vectorpin_pin_parse(&out, p, n, &e), &e); err != nil {
		return nil, err
	}
	return newPin(out)
}

// JSON returns the wire form: keys in byte order, no whitespace, raw UTF-8.
func (p *Pin) JSON() ([]byte, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.ptr == nil {
		return nil, closedError("Pin")
	}
	var out *C.char
	var n C.size_t
	var e C.vectorpin_error
	if err := fromC(C.vectorpin_pin_to_json(p.ptr, &out, &n, &e), &e); err != nil {
		return nil, err
	}
	return takeBytes((*C.uint8_t)(unsafe.Pointer(out)), n), nil
}

// SignedBytes returns exactly the bytes the signature covers.
func (p *Pin) SignedBytes() ([]byte, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.ptr == nil {
		return nil, closedError("Pin")
	}
	var out *C.uint8_t
	var n C.size_t
	var e C.vectorpin_error
	if err := fromC(C.vectorpin_pin_signed_bytes(p.ptr, &out, &n, &e), &e); err != nil {
		return nil, err
	}
	return takeBytes(out, n), nil
}

// ExtraValue looks key up in the pin's extra map; ErrNotFound when absent.
func (p *Pin) ExtraValue(key string) (string, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.ptr == nil {
		return "", closedError("Pin")
	}
	var v *C.char
	var vn C.size_t
	kp, kn := cText(key)
	var e C.vectorpin_error
	if err := fromC(C.vectorpin_pin_extra_get(p.ptr, &v, &vn, kp, kn, &e), &e); err != nil {
		return "", err
	}
	return goText(v, vn), nil
}

// Version is the protocol version, 2 or (legacy) 1.
func (p *Pin) Version() int { return p.f.version }

// KeyID is the kid field.
func (p *Pin) KeyID() string { return p.f.kid }

// Model is the model field.
func (p *Pin) Model() string { return p.f.model }

// ModelHash is the optional model_hash field.
func (p *Pin) ModelHash() (string, bool) { return p.f.modelHash, p.f.hasModelHash }

// SourceHash is the source_hash field ("sha256:<hex>").
func (p *Pin) SourceHash() string { return p.f.sourceHash }

// VecHash is the vec_hash field ("sha256:<hex>").
func (p *Pin) VecHash() string { return p.f.vecHash }

// Dtype is the vec_dtype field.
func (p *Pin) Dtype() Dtype { return p.f.dtype }

// VecDim is the vec_dim field.
func (p *Pin) VecDim() int { return p.f.vecDim }

// Timestamp is the ts field.
func (p *Pin) Timestamp() string { return p.f.ts }

// SignatureBase64 is the sig field as it appears in the JSON (base64url).
func (p *Pin) SignatureBase64() string { return p.f.sigText }

// Signature is the raw 64-byte signature.
func (p *Pin) Signature() []byte {
	s := p.f.sig
	return s[:]
}

// ExtraEntries lists the extra entries in key byte order.
func (p *Pin) ExtraEntries() []ExtraEntry {
	return append([]ExtraEntry(nil), p.f.extra...)
}

// Extra returns the extra entries as a new map (empty when there are none).
func (p *Pin) Extra() map[string]string {
	m := make(map[string]string, len(p.f.extra))
	for _, e := range p.f.extra {
		m[e.Key] = e.Value
	}
	return m
}
