package vectorpin

/*
#include <vectorpin.h>
*/
import "C"

import "unsafe"

// Dtype is the element type a vector is hashed as.
type Dtype int

const (
	// DtypeDefault, in PinOptions, means the element type of the vector
	// passed to the signer.
	DtypeDefault Dtype = C.VECTORPIN_DTYPE_DEFAULT
	DtypeF32     Dtype = C.VECTORPIN_DTYPE_F32
	DtypeF64     Dtype = C.VECTORPIN_DTYPE_F64
)

// String gives the wire name ("f32", "f64"), or "default".
func (d Dtype) String() string {
	switch d {
	case DtypeF32:
		return "f32"
	case DtypeF64:
		return "f64"
	case DtypeDefault:
		return "default"
	}
	return "Dtype(invalid)"
}

func hashOut(buf *[hashStringBytes]C.char) string { return C.GoString(&buf[0]) }

// HashText returns "sha256:" + hex(SHA-256(UTF-8(NFC(text)))), the
// source_hash of a pin. Invalid UTF-8 gives ErrInvalidInput.
func HashText(text string) (string, error) {
	var out [hashStringBytes]C.char
	var e C.vectorpin_error
	p, n := cText(text)
	if err := fromC(C.vectorpin_hash_text(&out[0], C.size_t(len(out)), p, n, &e), &e); err != nil {
		return "", err
	}
	return hashOut(&out), nil
}

// HashVector returns the vec_hash of a float32 vector whose elements are
// cast to dtype (DtypeF32 or DtypeF64) first. NaN, infinities and casts
// that overflow give ErrInvalidInput. The slice is read in place.
func HashVector(vector []float32, dtype Dtype) (string, error) {
	var out [hashStringBytes]C.char
	var e C.vectorpin_error
	p, n := cF32(vector)
	if err := fromC(C.vectorpin_hash_vector_f32(&out[0], C.size_t(len(out)), p, n, C.vectorpin_dtype(dtype), &e), &e); err != nil {
		return "", err
	}
	return hashOut(&out), nil
}

// HashVectorFloat64 is HashVector for float64 vectors.
func HashVectorFloat64(vector []float64, dtype Dtype) (string, error) {
	var out [hashStringBytes]C.char
	var e C.vectorpin_error
	p, n := cF64(vector)
	if err := fromC(C.vectorpin_hash_vector_f64(&out[0], C.size_t(len(out)), p, n, C.vectorpin_dtype(dtype), &e), &e); err != nil {
		return "", err
	}
	return hashOut(&out), nil
}

// SHA256 is the library's own SHA-256 (the one every hash string uses).
func SHA256(data []byte) ([32]byte, error) {
	var out [32]byte
	var e C.vectorpin_error
	p, n := cBytes(data)
	err := fromC(C.vectorpin_sha256((*C.uint8_t)(unsafe.Pointer(&out[0])), C.size_t(len(out)), p, n, &e), &e)
	return out, err
}

// Base64URLEncode encodes data as URL-safe base64 without padding, the
// encoding of every binary value in a pin.
func Base64URLEncode(data []byte) (string, error) {
	var out *C.char
	var outLen C.size_t
	var e C.vectorpin_error
	p, n := cBytes(data)
	if err := fromC(C.vectorpin_base64url_encode(&out, &outLen, p, n, &e), &e); err != nil {
		return "", err
	}
	return takeText(out, outLen), nil
}

// Base64URLDecode decodes URL-safe base64 strictly: padding, '+', '/',
// whitespace and non-zero trailing bits give ErrInvalidInput.
func Base64URLDecode(text string) ([]byte, error) {
	var out *C.uint8_t
	var outLen C.size_t
	var e C.vectorpin_error
	p, n := cText(text)
	if err := fromC(C.vectorpin_base64url_decode(&out, &outLen, p, n, &e), &e); err != nil {
		return nil, err
	}
	return takeBytes(out, outLen), nil
}

// CheckTimestamp returns nil if ts is exactly YYYY-MM-DDTHH:MM:SSZ and a real
// UTC date-time, else ErrInvalidInput.
func CheckTimestamp(ts string) error {
	var e C.vectorpin_error
	p, n := cText(ts)
	return fromC(C.vectorpin_timestamp_check(p, n, &e), &e)
}

// TimestampNow returns the current UTC time in the canonical form.
func TimestampNow() (string, error) {
	var out [timestampBufferBytes]C.char
	var e C.vectorpin_error
	if err := fromC(C.vectorpin_timestamp_now(&out[0], C.size_t(len(out)), &e), &e); err != nil {
		return "", err
	}
	return C.GoString(&out[0]), nil
}

// DecodePublicKey accepts a public key as raw 32 bytes, base64url text or an
// RFC 8410 "PUBLIC KEY" PEM and returns the raw 32 bytes. Weak keys (small
// order, non-canonical, off the curve) give ErrInvalidKey.
func DecodePublicKey(data []byte) ([]byte, error) {
	out := make([]byte, PublicKeyBytes)
	var e C.vectorpin_error
	p, n := cBytes(data)
	if err := fromC(C.vectorpin_public_key_decode((*C.uint8_t)(unsafe.Pointer(&out[0])), C.size_t(len(out)), p, n, &e), &e); err != nil {
		return nil, err
	}
	return out, nil
}

// PublicKeyFingerprint returns the short form "xxxx:xxxx:xxxx:xxxx" of a
// 32-byte public key (the first 16 hex digits of its SHA-256).
func PublicKeyFingerprint(publicKey []byte) (string, error) {
	var out [fingerprintBytes]C.char
	var e C.vectorpin_error
	p, n := cBytes(publicKey)
	if err := fromC(C.vectorpin_public_key_fingerprint(&out[0], C.size_t(len(out)), p, n, &e), &e); err != nil {
		return "", err
	}
	return C.GoString(&out[0]), nil
}

// PublicKeyPEM returns a 32-byte public key as RFC 8410 SubjectPublicKeyInfo PEM.
func PublicKeyPEM(publicKey []byte) (string, error) {
	var out *C.char
	var outLen C.size_t
	var e C.vectorpin_error
	p, n := cBytes(publicKey)
	if err := fromC(C.vectorpin_public_key_pem(&out, &outLen, p, n, &e), &e); err != nil {
		return "", err
	}
	return takeText(out, outLen), nil
}
