package vectorpin

/*
#include <vectorpin.h>

extern int vectorpinGoSign(void *user_data, uint8_t *signature, uint8_t *message, size_t message_len);

// Adapts the exported Go function, whose generated prototype cannot say
// const, to vectorpin_sign_callback.
static int vpgo_sign_trampoline(void *user_data, uint8_t *signature, const uint8_t *message, size_t message_len) {
	return vectorpinGoSign(user_data, signature, (uint8_t *)message, message_len);
}

// The handle travels as an integer until here: converting it to a pointer
// on the Go side is what the unsafe.Pointer rules forbid.
static vectorpin_status vpgo_signer_external(vectorpin_signer **out, const char *kid, size_t kid_len,
                                             const uint8_t *public_key, size_t public_key_len,
                                             uintptr_t handle, vectorpin_error *err) {
	return vectorpin_signer_external(out, kid, kid_len, public_key, public_key_len,
	                                 vpgo_sign_trampoline, (void *)handle, err);
}
*/
import "C"

import (
	"crypto"
	"crypto/ed25519"
	"runtime"
	"runtime/cgo"
	"sync"
	"unsafe"
)

// Signer makes pins with one Ed25519 key. It is safe for concurrent use.
// Close it when done: that wipes the private key at once. A finalizer
// releases a forgotten Signer, but only whenever the garbage collector runs.
type Signer struct {
	mu  sync.RWMutex // pins hold it shared, Close exclusively
	ptr *C.vectorpin_signer

	backend cgo.Handle // external signers only

	// Immutable for the signer's life, read once at creation.
	kid         string
	publicKey   [PublicKeyBytes]byte
	fingerprint string
}

func newSigner(ptr *C.vectorpin_signer, backend cgo.Handle) (*Signer, error) {
	s := &Signer{ptr: ptr, backend: backend}
	var kid *C.char
	var kidLen C.size_t
	var e C.vectorpin_error
	err := fromC(C.vectorpin_signer_kid(ptr, &kid, &kidLen, &e), &e)
	if err == nil {
		s.kid = goText(kid, kidLen)
		err = fromC(C.vectorpin_signer_public_key(ptr, (*C.uint8_t)(unsafe.Pointer(&s.publicKey[0])), PublicKeyBytes, &e), &e)
	}
	if err == nil {
		var fp [fingerprintBytes]C.char
		err = fromC(C.vectorpin_signer_fingerprint(ptr, &fp[0], C.size_t(len(fp)), &e), &e)
		s.fingerprint = C.GoString(&fp[0])
	}
	if err != nil {
		s.release()
		return nil, err
	}
	runtime.SetFinalizer(s, (*Signer).release)
	return s, nil
}

// release frees the C signer; callers hold the lock or the only reference.
func (s *Signer) release() {
	C.vectorpin_signer_free(s.ptr)
	s.ptr = nil
	if s.backend != 0 {
		s.backend.Delete()
		s.backend = 0
	}
}

// Close wipes the key and releases the signer. Further calls fail with
// ErrClosed; closing again is harmless.
func (s *Signer) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ptr != nil {
		s.release()
		runtime.SetFinalizer(s, nil)
	}
	return nil
}

// GenerateSigner makes a fresh key from the operating system's CSPRNG.
func GenerateSigner(kid string) (*Signer, error) {
	var out *C.vectorpin_signer
	var e C.vectorpin_error
	p, n := cText(kid)
	if err := fromC(C.vectorpin_signer_generate(&out, p, n, &e), &e); err != nil {
		return nil, err
	}
	return newSigner(out, 0)
}

// NewSignerFromSeed makes a signer from a 32-byte Ed25519 seed. The library
// keeps its own copy: the caller may wipe seed afterwards.
func NewSignerFromSeed(kid string, seed []byte) (*Signer, error) {
	var out *C.vectorpin_signer
	var e C.vectorpin_error
	p, n := cText(kid)
	sp, sn := cBytes(seed)
	if err := fromC(C.vectorpin_signer_from_seed(&out, p, n, sp, sn, &e), &e); err != nil {
		return nil, err
	}
	return newSigner(out, 0)
}

// NewSignerFromPrivateKey makes a signer from the contents of a private key
// file: the raw 32-byte seed, or RFC 8410 PKCS#8 PEM ("PRIVATE KEY").
func NewSignerFromPrivateKey(kid string, keyData []byte) (*Signer, error) {
	var out *C.vectorpin_signer
	var e C.vectorpin_error
	p, n := cText(kid)
	kp, kn := cBytes(keyData)
	if err := fromC(C.vectorpin_signer_from_private_key(&out, p, n, kp, kn, &e), &e); err != nil {
		return nil, err
	}
	return newSigner(out, 0)
}

// LoadFlag changes how LoadSigner treats a key file.
type LoadFlag uint32

// AllowInsecurePermissions accepts a private key file that group or others
// may read or write (refused with ErrInsecurePermissions otherwise).
const AllowInsecurePermissions LoadFlag = C.VECTORPIN_LOAD_ALLOW_INSECURE_PERMISSIONS

// LoadSigner reads a private key file (raw or PEM), such as one written by
// Signer.Save or by `vectorpin keygen`. flags is 0 or AllowInsecurePermissions.
func LoadSigner(kid, path string, flags LoadFlag) (*Signer, error) {
	var out *C.vectorpin_signer
	var e C.vectorpin_error
	p, n := cText(kid)
	pp, pn := cText(path)
	if err := fromC(C.vectorpin_signer_load_file(&out, p, n, pp, pn, C.uint32_t(flags), &e), &e); err != nil {
		return nil, err
	}
	return newSigner(out, 0)
}

// NewExternalSigner makes a signer whose private key lives elsewhere (a KMS,
// an HSM): backend.Sign is called with the exact bytes to sign and
// crypto.Hash(0) as options, as for ed25519.PrivateKey, and must return a
// 64-byte Ed25519 signature. backend.Public() must be an ed25519.PublicKey.
// The library verifies every signature the backend returns before it emits
// a pin, so a faulty backend gives ErrExternalSignerFailed, never a bad pin.
// Sign may be called from several goroutines at once.
func NewExternalSigner(kid string, backend crypto.Signer) (*Signer, error) {
	if backend == nil {
		return nil, misuse("nil crypto.Signer")
	}
	pub, ok := backend.Public().(ed25519.PublicKey)
	if !ok {
		return nil, &Error{Status: StatusInvalidKey, Offset: -1, Message: "the crypto.Signer's public key is not Ed25519"}
	}
	h := cgo.NewHandle(backend)
	var out *C.vectorpin_signer
	var e C.vectorpin_error
	p, n := cText(kid)
	kp, kn := cBytes(pub)
	if err := fromC(C.vpgo_signer_external(&out, p, n, kp, kn, C.uintptr_t(h), &e), &e); err != nil {
		h.Delete()
		return nil, err
	}
	return newSigner(out, h)
}

// KeyID is the signer's key id in NFC form, as it appears in its pins.
func (s *Signer) KeyID() string { return s.kid }

// PublicKey returns the raw 32-byte public key.
func (s *Signer) PublicKey() []byte {
	pk := s.publicKey
	return pk[:]
}

// Fingerprint is the public key's short form "xxxx:xxxx:xxxx:xxxx".
func (s *Signer) Fingerprint() string { return s.fingerprint }

// PublicKeyPEM returns the public key as SubjectPublicKeyInfo PEM.
func (s *Signer) PublicKeyPEM() (string, error) { return PublicKeyPEM(s.PublicKey()) }

// Save writes dir/<kid>.priv (the raw 32-byte seed, mode 0600, created
// exclusively) and dir/<kid>.pub (the raw public key, 0644), the format of
// `vectorpin keygen`, creating dir (0700) if needed. Existing files give
// ErrFileExists and nothing is written. External signers have no private
// key to save.
func (s *Signer) Save(dir string) error { return s.save(dir, 0) }

// SavePEM is Save with PKCS#8 and SubjectPublicKeyInfo PEM files.
func (s *Signer) SavePEM(dir string) error { return s.save(dir, C.VECTORPIN_SAVE_PEM) }

func (s *Signer) save(dir string, flags C.uint32_t) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ptr == nil {
		return closedError("Signer")
	}
	var e C.vectorpin_error
	p, n := cText(dir)
	return fromC(C.vectorpin_signer_save(s.ptr, p, n, flags, &e), &e)
}

// Pin signs a float32 embedding of source made by model. The vector is read
// in place, never copied or kept. opts may be nil.
func (s *Signer) Pin(source, model string, vector []float32, opts *PinOptions) (*Pin, error) {
	copts, err := opts.toC()
	if err != nil {
		return nil, err
	}
	defer C.vectorpin_pin_options_free(copts)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ptr == nil {
		return nil, closedError("Signer")
	}
	var out *C.vectorpin_pin
	var e C.vectorpin_error
	sp, sn := cText(source)
	mp, mn := cText(model)
	vp, vn := cF32(vector)
	if err := fromC(C.vectorpin_signer_pin_f32(s.ptr, &out, sp, sn, mp, mn, vp, vn, copts, &e), &e); err != nil {
		return nil, err
	}
	return newPin(out)
}

// PinFloat64 is Pin for a float64 embedding.
func (s *Signer) PinFloat64(source, model string, vector []float64, opts *PinOptions) (*Pin, error) {
	copts, err := opts.toC()
	if err != nil {
		return nil, err
	}
	defer C.vectorpin_pin_options_free(copts)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ptr == nil {
		return nil, closedError("Signer")
	}
	var out *C.vectorpin_pin
	var e C.vectorpin_error
	sp, sn := cText(source)
	mp, mn := cText(model)
	vp, vn := cF64(vector)
	if err := fromC(C.vectorpin_signer_pin_f64(s.ptr, &out, sp, sn, mp, mn, vp, vn, copts, &e), &e); err != nil {
		return nil, err
	}
	return newPin(out)
}
