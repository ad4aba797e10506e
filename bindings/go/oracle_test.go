package vectorpin_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"strings"
	"testing"

	vectorpin "github.com/vectorpin/vectorpin/bindings/go"
)

// Go's own crypto as an independent oracle for what the library computes.

func TestOracleEd25519VerifiesOurSignatures(t *testing.T) {
	for _, kid := range []string{"oracle-key", "clé-ñ"} {
		gen, err := vectorpin.GenerateSigner(kid)
		if err != nil {
			t.Fatal(err)
		}
		defer gen.Close()
		for _, protocol := range []int{1, 2} {
			pin, err := gen.Pin("some source text", "model-x", []float32{0.25, -1, 3.5},
				&vectorpin.PinOptions{Protocol: protocol, Extra: map[string]string{"a": "b"}})
			if err != nil {
				t.Fatal(err)
			}
			msg, err := pin.SignedBytes()
			if err != nil {
				t.Fatal(err)
			}
			pub := ed25519.PublicKey(gen.PublicKey())
			if !ed25519.Verify(pub, msg, pin.Signature()) {
				t.Errorf("protocol %d: crypto/ed25519 rejects our signature", protocol)
			}
			if protocol == 2 && !bytes.HasPrefix(msg, []byte("vectorpin/v2\x00")) {
				t.Errorf("v2 signed bytes lack the domain tag")
			}
			msg[len(msg)-2] ^= 1
			if ed25519.Verify(pub, msg, pin.Signature()) {
				t.Errorf("a changed message still verifies")
			}
			pin.Close()
		}
	}
	// The seed signer's key equals Go's key from the same seed.
	s := testSigner(t, "k")
	want := ed25519.NewKeyFromSeed(testSeed).Public().(ed25519.PublicKey)
	if !bytes.Equal(s.PublicKey(), want) {
		t.Errorf("public key from seed differs from crypto/ed25519's")
	}
	if base64.RawURLEncoding.EncodeToString(want) != testPublicB64 {
		t.Errorf("test key mismatch")
	}
}

// Go's standard library has no Unicode normalizer (it lives in
// golang.org/x/text, which this module does not depend on), so the NFC form
// of each input is written out by hand; the NFD inputs are built from
// explicit combining characters, so the two really differ as bytes.
func TestOracleSHA256OfNFC(t *testing.T) {
	cases := []struct{ name, input, nfc string }{
		{"ascii", "The quick brown fox.", "The quick brown fox."},
		{"nfd e-acute", "cafe\u0301", "caf\u00e9"},
		{"nfd two marks", "A\u030a ring, n\u0303", "\u00c5 ring, \u00f1"},
		{"hangul jamo", "\u1100\u1161\u11a8", "\uac01"},
		{"astral", "emoji \U0001F600 and \U0001D11E", "emoji \U0001F600 and \U0001D11E"},
		{"empty", "", ""},
	}
	for _, c := range cases {
		sum := sha256.Sum256([]byte(c.nfc))
		want := "sha256:" + hex.EncodeToString(sum[:])
		got, err := vectorpin.HashText(c.input)
		if err != nil || got != want {
			t.Errorf("%s: HashText = %s, %v; want %s", c.name, got, err, want)
		}
		raw, err := vectorpin.SHA256([]byte(c.input))
		if err != nil || raw != sha256.Sum256([]byte(c.input)) {
			t.Errorf("%s: SHA256 differs from crypto/sha256", c.name)
		}
	}
	// Longer than one block, every length around the block boundary.
	for n := 50; n < 140; n++ {
		data := bytes.Repeat([]byte{byte(n)}, n)
		if got, _ := vectorpin.SHA256(data); got != sha256.Sum256(data) {
			t.Fatalf("SHA256 of %d bytes differs", n)
		}
	}
}

func TestOracleBase64AndPEM(t *testing.T) {
	for n := 0; n < 70; n++ {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(i*37 + n)
		}
		enc, err := vectorpin.Base64URLEncode(data)
		if err != nil || enc != base64.RawURLEncoding.EncodeToString(data) {
			t.Fatalf("encode %d bytes: %q, %v", n, enc, err)
		}
		dec, err := vectorpin.Base64URLDecode(enc)
		if err != nil || !bytes.Equal(dec, data) {
			t.Fatalf("decode %d bytes: %v", n, err)
		}
	}
	// The library's SPKI PEM parses with crypto/x509 to the same key.
	s := testSigner(t, "pem")
	text, err := s.PublicKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(text))
	if block == nil || block.Type != "PUBLIC KEY" {
		t.Fatalf("not a PUBLIC KEY PEM: %q", text)
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key.(ed25519.PublicKey), s.PublicKey()) {
		t.Errorf("x509 reads another key")
	}
	// And a PKCS#8 PEM made by crypto/x509 loads as the same signer.
	der, err := x509.MarshalPKCS8PrivateKey(ed25519.NewKeyFromSeed(testSeed))
	if err != nil {
		t.Fatal(err)
	}
	privPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	fromPEM, err := vectorpin.NewSignerFromPrivateKey("pem", privPEM)
	if err != nil {
		t.Fatal(err)
	}
	defer fromPEM.Close()
	if !bytes.Equal(fromPEM.PublicKey(), s.PublicKey()) {
		t.Errorf("PKCS#8 PEM gives another key")
	}
	// The fingerprint is the first 16 hex digits of SHA-256(public key).
	sum := sha256.Sum256(s.PublicKey())
	h := hex.EncodeToString(sum[:8])
	want := strings.Join([]string{h[0:4], h[4:8], h[8:12], h[12:16]}, ":")
	if s.Fingerprint() != want {
		t.Errorf("fingerprint %s, want %s", s.Fingerprint(), want)
	}
	if fp, err := vectorpin.PublicKeyFingerprint(s.PublicKey()); err != nil || fp != want {
		t.Errorf("PublicKeyFingerprint %s, %v", fp, err)
	}
}
