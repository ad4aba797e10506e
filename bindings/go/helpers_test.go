package vectorpin_test

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync/atomic"
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

var fixtureCases atomic.Int64

func TestMain(m *testing.M) {
	code := m.Run()
	n := fixtureCases.Load()
	fmt.Printf("fixture cases run: %d\n", n)
	// Under ctest the whole suite runs, so no fixture case means the
	// fixtures were not found or not read: a failure, not a pass.
	if n == 0 && code == 0 && os.Getenv("VECTORPIN_REQUIRE_ALL") == "1" {
		fmt.Println("FAIL: no fixture case was run")
		code = 1
	}
	os.Exit(code)
}

// vectorsDir is the testvectors directory: from VECTORPIN_TESTVECTORS (set
// by ctest), else found from this package's place in the source tree.
func vectorsDir(t testing.TB) string {
	if d := os.Getenv("VECTORPIN_TESTVECTORS"); d != "" {
		return d
	}
	d, err := filepath.Abs("../../testvectors")
	if err != nil {
		t.Fatal(err)
	}
	return d
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

func loadJSON(t testing.TB, rel string, into any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorsDir(t), rel))
	if err != nil {
		t.Fatalf("fixture file: %v", err)
	}
	if err := json.Unmarshal(data, into); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
}

// unb64 decodes fixture data with the host's own base64url decoder.
func unb64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("bad base64url in fixture: %v", err)
	}
	return b
}

func f32s(raw []byte) []float32 {
	v := make([]float32, len(raw)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return v
}

func f64s(raw []byte) []float64 {
	v := make([]float64, len(raw)/8)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	return v
}

func dtypeOf(s string) vectorpin.Dtype {
	switch s {
	case "f32":
		return vectorpin.DtypeF32
	case "f64":
		return vectorpin.DtypeF64
	}
	return vectorpin.DtypeDefault
}

// statusName names an outcome the way the fixture files do.
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
