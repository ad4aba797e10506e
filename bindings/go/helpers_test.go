package vectorpin_test

import (
	"encoding/base64"
	"errors"
	"os"
	"testing"

	vectorpin "github.com/vectorpin/vectorpin/bindings/go"
)

// The deterministic test key (public test data, see testvectors/README.md).
var (
	testSeed      = seedBytes()
	testPublicB64 = "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"
)

func seedBytes() []byte {
	s := make([]byte, 32)
	for i := range s {
		s[i] = byte(i)
	}
	return s
}

// VECTORPIN_REQUIRE_ALL is set under ctest: a missing prerequisite is then a failure,
// never a skip.
func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("VECTORPIN_REQUIRE_ALL") == "1" {
		t.Fatal(why)
	}
	t.Skip(why)
}

// unb64 decodes test data with the host's own base64url decoder.
func unb64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("bad base64url in test data: %v", err)
	}
	return b
}

// statusName names an outcome by the library's status name.
func statusName(err error) string {
	if err == nil {
		return "OK"
	}
	var e *vectorpin.Error
	if errors.As(err, &e) {
		return e.Status.String()
	}
	return "not a vectorpin error: " + err.Error()
}

// checkDetail asserts the bounds the C ABI promises for error messages.
func checkDetail(t *testing.T, err error) {
	t.Helper()
	var e *vectorpin.Error
	if err == nil {
		return
	}
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a *vectorpin.Error", err)
	}
	if e.Message == "" || len(e.Message) > 255 {
		t.Errorf("error message length %d out of bounds: %q", len(e.Message), e.Message)
	}
}

func testSigner(t testing.TB, kid string) *vectorpin.Signer {
	t.Helper()
	s, err := vectorpin.NewSignerFromSeed(kid, testSeed)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func testPublicKey(t testing.TB) []byte { return unb64(t, testPublicB64) }

func newVerifier(t testing.TB) *vectorpin.Verifier {
	t.Helper()
	v, err := vectorpin.NewVerifier()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

func verifierWith(t testing.TB, kid string, pk []byte, legacy bool) *vectorpin.Verifier {
	t.Helper()
	v := newVerifier(t)
	if err := v.AddKey(kid, pk); err != nil {
		t.Fatal(err)
	}
	if err := v.SetLegacyV1(legacy); err != nil {
		t.Fatal(err)
	}
	return v
}

func strPtr(s string) *string { return &s }
