package vectorpin_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	vectorpin "github.com/vectorpin/vectorpin/bindings/go"
)

func TestLoadSignerPermissionsAndFormats(t *testing.T) {
	dir := t.TempDir()
	loose := filepath.Join(dir, "loose.priv")
	if err := os.WriteFile(loose, testSeed, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(loose, 0o644); err != nil { // whatever the umask
		t.Fatal(err)
	}
	if _, err := vectorpin.LoadSigner("k", loose, 0); !errors.Is(err, vectorpin.ErrInsecurePermissions) {
		t.Errorf("group-readable key file: %v", err)
	}
	s, err := vectorpin.LoadSigner("k", loose, vectorpin.AllowInsecurePermissions)
	if err != nil {
		t.Fatalf("with AllowInsecurePermissions: %v", err)
	}
	if !bytes.Equal(s.PublicKey(), testPublicKey(t)) {
		t.Errorf("loaded the wrong key")
	}
	s.Close()
	if _, err := vectorpin.LoadSigner("k", filepath.Join(dir, "missing.priv"), 0); !errors.Is(err, vectorpin.ErrIOError) {
		t.Errorf("missing file: %v", err)
	}

	// SavePEM writes PKCS#8 / SPKI files that load back as the same key.
	gen, err := vectorpin.GenerateSigner("pem-key")
	if err != nil {
		t.Fatal(err)
	}
	defer gen.Close()
	keys := filepath.Join(dir, "keys")
	if err := gen.SavePEM(keys); err != nil {
		t.Fatal(err)
	}
	priv, _ := os.ReadFile(filepath.Join(keys, "pem-key.priv"))
	pub, _ := os.ReadFile(filepath.Join(keys, "pem-key.pub"))
	if !strings.Contains(string(priv), "BEGIN PRIVATE KEY") || !strings.Contains(string(pub), "BEGIN PUBLIC KEY") {
		t.Fatalf("SavePEM files are not PEM")
	}
	back, err := vectorpin.LoadSigner("pem-key", filepath.Join(keys, "pem-key.priv"), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if !bytes.Equal(back.PublicKey(), gen.PublicKey()) || back.Fingerprint() != gen.Fingerprint() {
		t.Errorf("PEM round trip changed the key")
	}
	if dec, err := vectorpin.DecodePublicKey(pub); err != nil || !bytes.Equal(dec, gen.PublicKey()) {
		t.Errorf("DecodePublicKey(PEM): %v", err)
	}
	if dec, err := vectorpin.DecodePublicKey([]byte(testPublicB64)); err != nil || !bytes.Equal(dec, testPublicKey(t)) {
		t.Errorf("DecodePublicKey(base64url): %v", err)
	}
	// A kid that is not a safe file name is refused by Save.
	bad, err := vectorpin.NewSignerFromSeed("../escape", testSeed)
	if err != nil {
		t.Fatalf("a kid with a slash is a valid kid: %v", err)
	}
	defer bad.Close()
	if err := bad.Save(dir); !errors.Is(err, vectorpin.ErrInvalidInput) {
		t.Errorf("Save with kid ../escape: %v", err)
	}
}

func TestTimestampsOptionsAndGetters(t *testing.T) {
	if err := vectorpin.CheckTimestamp("2024-02-29T23:59:59Z"); err != nil {
		t.Errorf("leap day: %v", err)
	}
	for _, ts := range []string{"2023-02-29T00:00:00Z", "2026-05-05 12:00:00Z", "2026-05-05T12:00:60Z", ""} {
		if err := vectorpin.CheckTimestamp(ts); !errors.Is(err, vectorpin.ErrInvalidInput) {
			t.Errorf("CheckTimestamp(%q): %v", ts, err)
		}
	}
	now, err := vectorpin.TimestampNow()
	if err != nil || vectorpin.CheckTimestamp(now) != nil {
		t.Errorf("TimestampNow: %q %v", now, err)
	}

	s := testSigner(t, "opts")
	mh, _ := vectorpin.HashText("model weights")
	pin, err := s.PinFloat64("src", "m", []float64{0.1, 0.2}, &vectorpin.PinOptions{
		Protocol: 2, Dtype: vectorpin.DtypeF64, ModelHash: mh, Timestamp: "2026-01-02T03:04:05Z",
		Extra: map[string]string{"z": "last", "a": "first", vectorpin.ExtraTenantID: "t1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer pin.Close()
	if got, ok := pin.ModelHash(); !ok || got != mh {
		t.Errorf("ModelHash %q %v", got, ok)
	}
	if pin.Dtype() != vectorpin.DtypeF64 || pin.VecDim() != 2 || pin.Timestamp() != "2026-01-02T03:04:05Z" {
		t.Errorf("getters: %v %d %s", pin.Dtype(), pin.VecDim(), pin.Timestamp())
	}
	want := []vectorpin.ExtraEntry{{Key: "a", Value: "first"}, {Key: "vectorpin.tenant_id", Value: "t1"}, {Key: "z", Value: "last"}}
	got := pin.ExtraEntries()
	if len(got) != len(want) {
		t.Fatalf("ExtraEntries %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("ExtraEntries[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if _, err := pin.ExtraValue("absent"); !errors.Is(err, vectorpin.ErrNotFound) {
		t.Errorf("ExtraValue(absent): %v", err)
	}
	vh, _ := vectorpin.HashVectorFloat64([]float64{0.1, 0.2}, vectorpin.DtypeF64)
	sh, _ := vectorpin.HashText("src")
	if pin.VecHash() != vh || pin.SourceHash() != sh {
		t.Errorf("hashes in the pin differ from the hash helpers")
	}
	v := verifierWith(t, "opts", s.PublicKey(), false)
	if err := v.Verify(pin, vectorpin.Input{Expect: vectorpin.Expectations{TenantID: "t2"}}); !errors.Is(err, vectorpin.ErrTenantMismatch) {
		t.Errorf("tenant: %v", err)
	}
	if err := v.Verify(pin, vectorpin.Input{Expect: vectorpin.Expectations{CollectionID: "c"}}); !errors.Is(err, vectorpin.ErrCollectionMismatch) {
		t.Errorf("collection: %v", err)
	}
	// Bad options are refused before anything is signed.
	for name, o := range map[string]*vectorpin.PinOptions{
		"protocol 3":    {Protocol: 3},
		"bad timestamp": {Timestamp: "yesterday"},
		"bad hash":      {ModelHash: "sha256:xyz"},
		"bidi in extra": {Extra: map[string]string{"k": "a\u202eb"}},
	} {
		if p, err := s.Pin("x", "m", []float32{1}, o); err == nil || p != nil {
			t.Errorf("%s: accepted", name)
		} else if !errors.Is(err, vectorpin.ErrInvalidInput) && !errors.Is(err, vectorpin.ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A v1 pin needs the legacy switch.
	p1, err := s.Pin("x", "m", []float32{1}, &vectorpin.PinOptions{Protocol: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer p1.Close()
	if err := v.Verify(p1, vectorpin.Input{}); !errors.Is(err, vectorpin.ErrUnsupportedVersion) {
		t.Errorf("v1 without legacy: %v", err)
	}
	if err := v.SetLegacyV1(true); err != nil {
		t.Fatal(err)
	}
	if err := v.Verify(p1, vectorpin.Input{}); err != nil {
		t.Errorf("v1 with legacy: %v", err)
	}
}

// The limit bounds how many keys get tables, never an answer. With
// VECTORPIN_ED25519=libsodium no table is built at all.
func TestPreparedKeyLimit(t *testing.T) {
	if vectorpin.PreparedKeyBytes() < 100000 {
		t.Errorf("PreparedKeyBytes %d", vectorpin.PreparedKeyBytes())
	}
	tables := os.Getenv("VECTORPIN_ED25519") != "libsodium"
	source, vector := "text", []float32{0.25, -0.5, 1, 2}
	var pins []*vectorpin.Pin
	var keys [][]byte
	for _, kid := range []string{"k0", "k1", "k2"} {
		s, err := vectorpin.GenerateSigner(kid)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		p, err := s.Pin(source, "model", vector, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		pins, keys = append(pins, p), append(keys, s.PublicKey())
	}
	for _, limit := range []int{0, 1, 2, vectorpin.DefaultPreparedKeyLimit} {
		v := newVerifier(t)
		if v.PreparedKeyLimit() != vectorpin.DefaultPreparedKeyLimit {
			t.Errorf("default limit %d", v.PreparedKeyLimit())
		}
		if err := v.SetPreparedKeyLimit(limit); err != nil || v.PreparedKeyLimit() != limit {
			t.Fatalf("limit %d: %v, reads back %d", limit, err, v.PreparedKeyLimit())
		}
		// k2 is registered with k0's key: its pin must fail, table or not.
		for i, kid := range []string{"k0", "k1", "k2"} {
			if err := v.AddKey(kid, keys[i%2]); err != nil {
				t.Fatal(err)
			}
		}
		for round := 0; round < 2; round++ {
			for i, p := range pins {
				err := v.Verify(p, vectorpin.Input{Source: &source, Vector: vector})
				if i < 2 && err != nil {
					t.Errorf("limit %d, pin %d: %v", limit, i, err)
				}
				if i == 2 && !errors.Is(err, vectorpin.ErrSignatureInvalid) {
					t.Errorf("limit %d, pin under the wrong key: %v", limit, err)
				}
			}
		}
		want := 0
		if tables {
			want = limit
			if want > 3 {
				want = 3
			}
		}
		if v.PreparedKeyCount() != want {
			t.Errorf("limit %d: %d keys prepared, want %d", limit, v.PreparedKeyCount(), want)
		}
	}
	v := newVerifier(t)
	if err := v.SetPreparedKeyLimit(-1); !errors.Is(err, vectorpin.ErrInvalidArgument) {
		t.Errorf("negative limit: %v", err)
	}
	v.Close()
	if err := v.SetPreparedKeyLimit(1); !errors.Is(err, vectorpin.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
	if v.PreparedKeyLimit() != 0 || v.PreparedKeyCount() != 0 {
		t.Errorf("a closed verifier reports a limit or tables")
	}
}
