package vectorpin_test

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	vectorpin "github.com/vectorpin/vectorpin/bindings/go"
)

// Hostile input through the Go API: each gives its documented status, never
// a crash, and the messages stay bounded.

// hostileBase signs a known pin and returns its JSON and a verifier for it.
func hostileBase(t *testing.T) (string, *vectorpin.Verifier) {
	t.Helper()
	s := testSigner(t, "hostile")
	pin, err := s.Pin("text", "model", []float32{1, 2, 3}, &vectorpin.PinOptions{Timestamp: "2026-05-05T00:00:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	defer pin.Close()
	js, err := pin.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(js), verifierWith(t, "hostile", s.PublicKey(), false)
}

func mustReplace(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%q not in %s", old, s)
	}
	return strings.Replace(s, old, new, 1)
}

func TestHostilePins(t *testing.T) {
	good, v := hostileBase(t)
	if err := v.VerifyJSON([]byte(good), vectorpin.Input{}); err != nil {
		t.Fatalf("the base pin must verify: %v", err)
	}
	long := strings.Repeat("A", 5000)
	cases := []struct {
		name, pin string
		want      error
	}{
		{"duplicate top-level key", "{\"model\":\"x\"," + good[1:], vectorpin.ErrParseError},
		{"duplicate key, same value", "{\"v\":2," + good[1:], vectorpin.ErrParseError},
		{"v as 2.0", mustReplace(t, good, `"v":2`, `"v":2.0`), vectorpin.ErrParseError},
		{"v as 2e0", mustReplace(t, good, `"v":2`, `"v":2e0`), vectorpin.ErrParseError},
		{"v as 02", mustReplace(t, good, `"v":2`, `"v":02`), vectorpin.ErrParseError},
		{"v as 3", mustReplace(t, good, `"v":2`, `"v":3`), vectorpin.ErrUnsupportedVersion},
		{"vec_dim as 3.0", mustReplace(t, good, `"vec_dim":3`, `"vec_dim":3.0`), vectorpin.ErrParseError},
		{"invalid UTF-8 in a string", mustReplace(t, good, `"model":"model"`, "\"model\":\"mo\xff\xfedel\""), vectorpin.ErrParseError},
		{"overlong UTF-8", mustReplace(t, good, `"model":"model"`, "\"model\":\"\xc0\xafx\""), vectorpin.ErrParseError},
		{"lone high surrogate escape", mustReplace(t, good, `"model":"model"`, `"model":"a\ud800b"`), vectorpin.ErrParseError},
		{"lone low surrogate escape", mustReplace(t, good, `"model":"model"`, `"model":"\udc00"`), vectorpin.ErrParseError},
		{"70 KB pin", good[:len(good)-1] + strings.Repeat(" ", 70*1024) + "}", vectorpin.ErrParseError},
		{"70 KB string", mustReplace(t, good, `"model":"model"`, `"model":"`+strings.Repeat("m", 70*1024)+`"`), vectorpin.ErrParseError},
		{"unknown key", "{\"zzz\":\"" + long + "\"," + good[1:], vectorpin.ErrParseError},
		{"trailing bytes", good + "x", vectorpin.ErrParseError},
		{"not an object", "[" + good + "]", vectorpin.ErrParseError},
		{"empty", "", vectorpin.ErrParseError},
		{"NUL byte", good[:10] + "\x00" + good[10:], vectorpin.ErrParseError},
		{"deep nesting", strings.Repeat("[", 60000), vectorpin.ErrParseError},
		{"deep object nesting", strings.Repeat(`{"extra":`, 6000), vectorpin.ErrParseError},
		{"changed model", mustReplace(t, good, `"model":"model"`, `"model":"modem"`), vectorpin.ErrSignatureInvalid},
		{"control char in model", mustReplace(t, good, `"model":"model"`, `"model":"mo\u0007del"`), vectorpin.ErrParseError},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := v.VerifyJSON([]byte(c.pin), vectorpin.Input{})
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			checkDetail(t, err)
			if strings.Contains(err.Error(), strings.Repeat("A", 65)) || strings.Contains(err.Error(), strings.Repeat("m", 65)) {
				t.Errorf("the message echoes more than 64 characters of input: %q", err.Error())
			}
			// Parsing alone agrees for the wire-form failures.
			pin, perr := vectorpin.ParsePin([]byte(c.pin))
			if pin != nil {
				pin.Close()
			}
			if c.want == vectorpin.ErrSignatureInvalid {
				if perr != nil {
					t.Errorf("ParsePin: %v", perr)
				}
			} else if !errors.Is(perr, c.want) {
				t.Errorf("ParsePin: %v", perr)
			}
		})
	}
}

func TestHostileVectors(t *testing.T) {
	good, v := hostileBase(t)
	pin := []byte(good)
	nan32, inf32 := float32(math.NaN()), float32(math.Inf(1))
	cases := []struct {
		name string
		in   vectorpin.Input
		want error
	}{
		{"right vector", vectorpin.Input{Vector: []float32{1, 2, 3}}, nil},
		{"right vector as f64", vectorpin.Input{VectorFloat64: []float64{1, 2, 3}}, nil},
		{"NaN", vectorpin.Input{Vector: []float32{1, nan32, 3}}, vectorpin.ErrParseError},
		{"+Inf", vectorpin.Input{Vector: []float32{1, 2, inf32}}, vectorpin.ErrParseError},
		{"-Inf f64", vectorpin.Input{VectorFloat64: []float64{math.Inf(-1), 2, 3}}, vectorpin.ErrParseError},
		{"f64 overflowing f32", vectorpin.Input{VectorFloat64: []float64{1e300, 2, 3}}, vectorpin.ErrParseError},
		{"too short", vectorpin.Input{Vector: []float32{1, 2}}, vectorpin.ErrShapeMismatch},
		{"too long", vectorpin.Input{Vector: []float32{1, 2, 3, 4}}, vectorpin.ErrShapeMismatch},
		{"empty but supplied", vectorpin.Input{Vector: []float32{}}, vectorpin.ErrShapeMismatch},
		{"negative zero", vectorpin.Input{Vector: []float32{1, 2, float32(math.Copysign(0, -1))}}, vectorpin.ErrVectorTampered},
		{"one ulp off", vectorpin.Input{Vector: []float32{1, 2, math.Nextafter32(3, 4)}}, vectorpin.ErrVectorTampered},
	}
	for _, c := range cases {
		err := v.VerifyJSON(pin, c.in)
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	// Signing and hashing refuse what verification would refuse to parse.
	s := testSigner(t, "hostile")
	for _, vec := range [][]float32{{nan32}, {inf32, 1}, {}, nil} {
		if _, err := s.Pin("t", "m", vec, nil); !errors.Is(err, vectorpin.ErrInvalidInput) {
			t.Errorf("Pin(%v): %v", vec, err)
		}
	}
	if _, err := s.PinFloat64("t", "m", []float64{1e300}, &vectorpin.PinOptions{Dtype: vectorpin.DtypeF32}); !errors.Is(err, vectorpin.ErrInvalidInput) {
		t.Errorf("narrowing overflow: %v", err)
	}
	if _, err := vectorpin.HashVector([]float32{nan32}, vectorpin.DtypeF32); !errors.Is(err, vectorpin.ErrInvalidInput) {
		t.Errorf("HashVector(NaN): %v", err)
	}
	if _, err := vectorpin.HashText("bad \xff utf-8"); !errors.Is(err, vectorpin.ErrInvalidInput) {
		t.Errorf("HashText(invalid UTF-8): %v", err)
	}
	if err := v.VerifyJSON(pin, vectorpin.Input{Vector: []float32{1}, VectorFloat64: []float64{1}}); !errors.Is(err, vectorpin.ErrInvalidArgument) {
		t.Errorf("both vectors must be refused")
	}
}

func TestHostileKeys(t *testing.T) {
	v := newVerifier(t)
	identity := make([]byte, 32)
	identity[0] = 1
	// The encoding of a point of order 2: (0, -1).
	orderTwo := bytes.Repeat([]byte{0xff}, 32)
	orderTwo[0], orderTwo[31] = 0xec, 0x7f
	for name, key := range map[string][]byte{
		"all zero": make([]byte, 32), "identity": identity, "order two": orderTwo,
		"short": make([]byte, 31), "long": make([]byte, 33), "nil": nil,
	} {
		err := v.AddKey("weak", key)
		want := vectorpin.ErrInvalidKey
		if len(key) != 32 {
			if err == nil {
				t.Errorf("%s: accepted", name)
			}
			continue
		}
		if !errors.Is(err, want) {
			t.Errorf("%s: got %v, want INVALID_KEY", name, err)
		}
	}
	if v.KeyCount() != 0 {
		t.Errorf("a weak key was registered")
	}
	if err := v.AddKey("k", testPublicKey(t)); err != nil {
		t.Fatal(err)
	}
	if err := v.AddKey("k", testPublicKey(t)); !errors.Is(err, vectorpin.ErrDuplicateKeyID) {
		t.Errorf("duplicate kid: %v", err)
	}
	if err := v.AddKeyWindow("w", testPublicKey(t), "2026-13-01T00:00:00Z", ""); err == nil {
		t.Errorf("a bad window bound was accepted")
	}
	// A registry with one weak key adds nothing at all.
	doc := `{"a":{"public_key":"` + testPublicB64 + `","valid_from":null,"valid_until":null},` +
		`"b":{"public_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","valid_from":null,"valid_until":null}}`
	before := v.KeyCount()
	if err := v.LoadRegistry([]byte(doc)); !errors.Is(err, vectorpin.ErrInvalidKey) {
		t.Errorf("registry with a weak key: %v", err)
	}
	if v.KeyCount() != before {
		t.Errorf("a failed registry load added keys")
	}
	if err := v.LoadRegistry([]byte(`{"a":{"public_key":"` + testPublicB64 + `","valid_from":"2026-01-01T00:00:00Z","valid_until":null}}`)); err != nil || v.KeyCount() != before+1 {
		t.Errorf("registry load: %v, %d keys", err, v.KeyCount())
	}
	if err := v.LoadRegistry([]byte(`{"a":`)); !errors.Is(err, vectorpin.ErrInvalidInput) && !errors.Is(err, vectorpin.ErrParseError) {
		t.Errorf("truncated registry: %v", err)
	}
	// Weak keys through the other entry points.
	if _, err := vectorpin.DecodePublicKey(identity); !errors.Is(err, vectorpin.ErrInvalidKey) {
		t.Errorf("DecodePublicKey(identity): %v", err)
	}
	if _, err := vectorpin.NewSignerFromSeed("k", make([]byte, 31)); err == nil {
		t.Errorf("a 31-byte seed was accepted")
	}
	if _, err := vectorpin.NewSignerFromPrivateKey("k", []byte("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")); !errors.Is(err, vectorpin.ErrInvalidKey) && !errors.Is(err, vectorpin.ErrInvalidInput) {
		t.Errorf("garbage PEM: %v", err)
	}
	if _, err := vectorpin.GenerateSigner("bad\x00kid"); !errors.Is(err, vectorpin.ErrInvalidInput) {
		t.Errorf("kid with NUL: %v", err)
	}
}

// A crypto.Signer backend that misbehaves in one of several ways.
type badBackend struct {
	key  ed25519.PrivateKey
	mode string
}

func (b badBackend) Public() crypto.PublicKey { return b.key.Public() }

func (b badBackend) Sign(r io.Reader, msg []byte, o crypto.SignerOpts) ([]byte, error) {
	switch b.mode {
	case "error":
		return nil, errors.New("KMS unavailable")
	case "panic":
		panic("backend bug")
	case "short":
		return make([]byte, 10), nil
	case "wrong message":
		return ed25519.Sign(b.key, append(msg, 'x')), nil
	}
	return b.key.Sign(r, msg, o)
}

func TestExternalSignerMisbehaving(t *testing.T) {
	key := ed25519.NewKeyFromSeed(testSeed)
	for _, mode := range []string{"error", "panic", "short", "wrong message", "good"} {
		s, err := vectorpin.NewExternalSigner("ext", badBackend{key, mode})
		if err != nil {
			t.Fatal(err)
		}
		pin, err := s.Pin("x", "m", []float32{1, 2}, nil)
		if mode == "good" {
			if err != nil {
				t.Errorf("good backend: %v", err)
			} else {
				pin.Close()
			}
		} else if !errors.Is(err, vectorpin.ErrExternalSignerFailed) || pin != nil {
			t.Errorf("%s: got %v", mode, err)
		}
		if err := s.Save(t.TempDir()); !errors.Is(err, vectorpin.ErrInvalidArgument) {
			t.Errorf("saving an external signer: %v", err)
		}
		s.Close()
	}
	if _, err := vectorpin.NewExternalSigner("ext", nil); !errors.Is(err, vectorpin.ErrInvalidArgument) {
		t.Errorf("nil backend: %v", err)
	}
}

func TestCloseAndUseAfterClose(t *testing.T) {
	s, err := vectorpin.NewSignerFromSeed("c", testSeed)
	if err != nil {
		t.Fatal(err)
	}
	pin, err := s.Pin("x", "m", []float32{1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := vectorpin.NewVerifier()
	if err != nil {
		t.Fatal(err)
	}
	if err := v.AddKey("c", s.PublicKey()); err != nil {
		t.Fatal(err)
	}
	b, err := v.NewBatch(1)
	if err != nil {
		t.Fatal(err)
	}
	// A verifier with an open batch cannot change or close.
	if err := v.AddKey("d", testPublicKey(t)); !errors.Is(err, vectorpin.ErrInvalidArgument) {
		t.Errorf("AddKey during a batch: %v", err)
	}
	if err := v.Close(); !errors.Is(err, vectorpin.ErrInvalidArgument) {
		t.Errorf("Close during a batch: %v", err)
	}
	if err := v.Verify(pin, vectorpin.Input{}); err != nil {
		t.Errorf("the verifier must still work: %v", err)
	}

	for i := 0; i < 2; i++ { // the second round closes again: harmless
		for _, c := range []interface{ Close() error }{b, pin, s, v} {
			if err := c.Close(); err != nil {
				t.Errorf("Close %T: %v", c, err)
			}
		}
	}
	closed := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, vectorpin.ErrClosed) || !errors.Is(err, vectorpin.ErrInvalidArgument) {
			t.Errorf("%s after Close: %v", what, err)
		}
	}
	_, err = s.Pin("x", "m", []float32{1}, nil)
	closed("Signer.Pin", err)
	_, err = s.PinFloat64("x", "m", []float64{1}, nil)
	closed("Signer.PinFloat64", err)
	closed("Signer.Save", s.Save(t.TempDir()))
	_, err = pin.JSON()
	closed("Pin.JSON", err)
	_, err = pin.SignedBytes()
	closed("Pin.SignedBytes", err)
	_, err = pin.ExtraValue("a")
	closed("Pin.ExtraValue", err)
	closed("Verifier.Verify", v.Verify(pin, vectorpin.Input{}))
	closed("Verifier.VerifyJSON", v.VerifyJSON([]byte("{}"), vectorpin.Input{}))
	closed("Verifier.AddKey", v.AddKey("e", testPublicKey(t)))
	closed("Verifier.LoadRegistry", v.LoadRegistry([]byte("{}")))
	closed("Verifier.SetLegacyV1", v.SetLegacyV1(true))
	_, err = v.VerifyBatch(nil, 1)
	closed("Verifier.VerifyBatch", err)
	_, err = v.NewBatch(1)
	closed("Verifier.NewBatch", err)
	closed("Batch.Submit", b.Submit(1, []byte("{}"), vectorpin.Input{}))
	_, _, err = b.Next(true)
	closed("Batch.Next", err)
	if v.KeyCount() != 0 || b.Pending() != 0 || b.Threads() != 0 {
		t.Errorf("counts of closed handles")
	}
	// Plain getters keep working: they hold Go copies.
	if pin.KeyID() != "c" || s.KeyID() != "c" || len(s.PublicKey()) != 32 {
		t.Errorf("getters after Close")
	}
	// A live pin on a closed verifier, a closed pin on a live verifier.
	v2 := verifierWith(t, "c", testPublicKey(t), false)
	closed("Verify(closed pin)", v2.Verify(pin, vectorpin.Input{}))
	if err := v2.Verify(nil, vectorpin.Input{}); !errors.Is(err, vectorpin.ErrInvalidArgument) {
		t.Errorf("Verify(nil): %v", err)
	}
}
