package vectorpin_test

import (
	"bytes"
	"encoding/json"
	"path"
	"sort"
	"testing"

	vectorpin "github.com/vectorpin/vectorpin/bindings/go"
)

// Every case of every fixture file, through the Go API.

type v1File struct {
	KeyID        string `json:"key_id"`
	PublicKeyB64 string `json:"public_key_b64"`
	SeedB64      string `json:"private_seed_b64"`
	Fixtures     []struct {
		Name  string `json:"name"`
		Input struct {
			Source    string `json:"source"`
			Model     string `json:"model"`
			VectorB64 string `json:"vector_b64"`
			VecDtype  string `json:"vec_dtype"`
			VecDim    int    `json:"vec_dim"`
			Timestamp string `json:"timestamp"`
		} `json:"input"`
		Expected struct {
			PinJSON            string `json:"pin_json"`
			CanonicalHeaderB64 string `json:"canonical_header_b64"`
			VecHash            string `json:"vec_hash"`
			SourceHash         string `json:"source_hash"`
		} `json:"expected"`
	} `json:"fixtures"`
}

type negativeV1File struct {
	Name              string `json:"name"`
	PinJSON           string `json:"pin_json"`
	TamperedVectorB64 string `json:"tampered_vector_b64"`
	ExpectedError     string `json:"expected_error"`
}

type v2File struct {
	KeyID        string `json:"key_id"`
	PublicKeyB64 string `json:"public_key_b64"`
	PrivateB64   string `json:"private_key_b64"`
	DomainTagB64 string `json:"domain_tag_b64"`
	Fixtures     []struct {
		Name  string `json:"name"`
		Input struct {
			Source    string            `json:"source"`
			Model     string            `json:"model"`
			VecB64    string            `json:"vec_b64"`
			VecDtype  string            `json:"vec_dtype"`
			VecDim    int               `json:"vec_dim"`
			Timestamp string            `json:"timestamp"`
			ModelHash *string           `json:"model_hash"`
			Extra     map[string]string `json:"extra"`
		} `json:"input"`
		PinJSON            string `json:"pin_json"`
		CanonicalBytesB64  string `json:"expected_canonical_bytes_b64"`
		ExpectedVecHash    string `json:"expected_vec_hash"`
		ExpectedSourceHash string `json:"expected_source_hash"`
	} `json:"fixtures"`
}

type negativeV2File struct {
	KeyID        string `json:"key_id"`
	PublicKeyB64 string `json:"public_key_b64"`
	Fixtures     []struct {
		Name             string  `json:"name"`
		ExpectedFailure  string  `json:"expected_failure"`
		PinJSON          string  `json:"pin_json"`
		TamperedVecB64   *string `json:"tampered_vec_b64"`
		NaNVecB64        *string `json:"nan_vec_b64"`
		VecDtype         string  `json:"vec_dtype"`
		TamperedSource   *string `json:"tampered_source"`
		ExpectedModel    string  `json:"expected_model"`
		ExpectedRecordID string  `json:"expected_record_id"`
	} `json:"fixtures"`
}

type extendedFile struct {
	Version     int    `json:"version"`
	SeedB64     string `json:"private_seed_b64"`
	VerifyCases []struct {
		Name       string  `json:"name"`
		PinJSON    *string `json:"pin_json"`
		PinJSONB64 *string `json:"pin_json_b64"`
		Keys       []struct {
			KID          string  `json:"kid"`
			PublicKeyB64 string  `json:"public_key_b64"`
			ValidFrom    *string `json:"valid_from"`
			ValidUntil   *string `json:"valid_until"`
		} `json:"keys"`
		LegacyV1             bool    `json:"legacy_v1"`
		Source               *string `json:"source"`
		SourceB64            *string `json:"source_b64"`
		VectorB64            *string `json:"vector_b64"`
		VectorDtype          string  `json:"vector_dtype"`
		ExpectedModel        string  `json:"expected_model"`
		ExpectedRecordID     string  `json:"expected_record_id"`
		ExpectedCollectionID string  `json:"expected_collection_id"`
		ExpectedTenantID     string  `json:"expected_tenant_id"`
		Expected             string  `json:"expected"`
	} `json:"verify_cases"`
	RegistryCases []struct {
		Name         string  `json:"name"`
		PublicKeyB64 string  `json:"public_key_b64"`
		ValidFrom    *string `json:"valid_from"`
		ValidUntil   *string `json:"valid_until"`
		Expected     string  `json:"expected"`
	} `json:"registry_cases"`
	HashTextCases []struct {
		Name     string  `json:"name"`
		TextB64  string  `json:"text_b64"`
		Expected *string `json:"expected"`
	} `json:"hash_text_cases"`
	HashVectorCases []struct {
		Name       string  `json:"name"`
		VectorB64  string  `json:"vector_b64"`
		InputDtype string  `json:"input_dtype"`
		HashDtype  string  `json:"hash_dtype"`
		Expected   *string `json:"expected"`
	} `json:"hash_vector_cases"`
	SignCases []struct {
		Name       string `json:"name"`
		KID        string `json:"kid"`
		Model      string `json:"model"`
		Source     string `json:"source"`
		VectorB64  string `json:"vector_b64"`
		InputDtype string `json:"input_dtype"`
		Options    struct {
			Protocol  int               `json:"protocol"`
			Dtype     string            `json:"dtype"`
			ModelHash string            `json:"model_hash"`
			Timestamp string            `json:"timestamp"`
			Extra     map[string]string `json:"extra"`
		} `json:"options"`
		Expected string `json:"expected"`
		PinJSON  string `json:"pin_json"`
	} `json:"sign_cases"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// vectorInput puts raw little-endian fixture bytes into an Input as the
// named element type. Decoded bytes are never nil, so an empty vector is
// supplied (and checked), as the fixture means.
func vectorInput(in *vectorpin.Input, raw []byte, dtype string) {
	if dtype == "f64" {
		in.VectorFloat64 = f64s(raw)
	} else {
		in.Vector = f32s(raw)
	}
}

// checkPinFields compares every getter of a parsed pin with the JSON itself,
// decoded by the host's own JSON parser.
func checkPinFields(t *testing.T, pinJSON string) {
	t.Helper()
	pin, err := vectorpin.ParsePin([]byte(pinJSON))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	defer pin.Close()
	var raw struct {
		V         int               `json:"v"`
		KID       string            `json:"kid"`
		Model     string            `json:"model"`
		ModelHash *string           `json:"model_hash"`
		SrcHash   string            `json:"source_hash"`
		VecHash   string            `json:"vec_hash"`
		VecDtype  string            `json:"vec_dtype"`
		VecDim    int               `json:"vec_dim"`
		TS        string            `json:"ts"`
		Sig       string            `json:"sig"`
		Extra     map[string]string `json:"extra"`
	}
	if err := json.Unmarshal([]byte(pinJSON), &raw); err != nil {
		t.Fatal(err)
	}
	mh, hasMH := pin.ModelHash()
	got := []any{pin.Version(), pin.KeyID(), pin.Model(), hasMH, mh, pin.SourceHash(), pin.VecHash(),
		pin.Dtype().String(), pin.VecDim(), pin.Timestamp(), pin.SignatureBase64()}
	want := []any{raw.V, raw.KID, raw.Model, raw.ModelHash != nil, deref(raw.ModelHash), raw.SrcHash, raw.VecHash,
		raw.VecDtype, raw.VecDim, raw.TS, raw.Sig}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("getter %d: got %v, want %v", i, got[i], want[i])
		}
	}
	if sig := unb64(t, raw.Sig); !bytes.Equal(sig, pin.Signature()) {
		t.Errorf("Signature() differs from sig")
	}
	extra := pin.Extra()
	if len(extra) != len(raw.Extra) {
		t.Errorf("extra: got %v, want %v", extra, raw.Extra)
	}
	keys := make([]string, 0, len(raw.Extra))
	for k, v := range raw.Extra {
		keys = append(keys, k)
		if extra[k] != v {
			t.Errorf("extra[%q] = %q, want %q", k, extra[k], v)
		}
		if got, err := pin.ExtraValue(k); err != nil || got != v {
			t.Errorf("ExtraValue(%q) = %q, %v", k, got, err)
		}
	}
	sort.Strings(keys)
	for i, e := range pin.ExtraEntries() {
		if e.Key != keys[i] {
			t.Errorf("ExtraEntries()[%d] = %q, want %q (byte order)", i, e.Key, keys[i])
		}
	}
}

func signInput(t *testing.T, kid string, protocol int, source, model string, raw []byte, dtype string, ts string,
	modelHash string, extra map[string]string) string {
	t.Helper()
	s := testSigner(t, kid)
	opts := &vectorpin.PinOptions{Protocol: protocol, Timestamp: ts, ModelHash: modelHash, Extra: extra}
	var pin *vectorpin.Pin
	var err error
	if dtype == "f64" {
		pin, err = s.PinFloat64(source, model, f64s(raw), opts)
	} else {
		pin, err = s.Pin(source, model, f32s(raw), opts)
	}
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	defer pin.Close()
	out, err := pin.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func signedBytesB64(t *testing.T, pinJSON string) string {
	t.Helper()
	pin, err := vectorpin.ParsePin([]byte(pinJSON))
	if err != nil {
		t.Fatal(err)
	}
	defer pin.Close()
	b, err := pin.SignedBytes()
	if err != nil {
		t.Fatal(err)
	}
	enc, err := vectorpin.Base64URLEncode(b)
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

func runV1(t *testing.T, rel string) int {
	var doc v1File
	loadJSON(t, rel, &doc)
	pk := unb64(t, doc.PublicKeyB64)
	if !bytes.Equal(unb64(t, doc.SeedB64), testSeed) {
		t.Fatalf("%s: unexpected seed", rel)
	}
	legacy := verifierWith(t, doc.KeyID, pk, true)
	strict := verifierWith(t, doc.KeyID, pk, false)
	n := 0
	for _, f := range doc.Fixtures {
		t.Run(f.Name, func(t *testing.T) {
			in, ex := f.Input, f.Expected
			raw := unb64(t, in.VectorB64)
			if got := signInput(t, doc.KeyID, 1, in.Source, in.Model, raw, in.VecDtype, in.Timestamp, "", nil); got != ex.PinJSON {
				t.Errorf("signed pin\n got %s\nwant %s", got, ex.PinJSON)
			}
			if got := signedBytesB64(t, ex.PinJSON); got != ex.CanonicalHeaderB64 {
				t.Errorf("signed bytes differ")
			}
			checkPinFields(t, ex.PinJSON)
			input := vectorpin.Input{Source: strPtr(in.Source)}
			vectorInput(&input, raw, in.VecDtype)
			if err := legacy.VerifyJSON([]byte(ex.PinJSON), input); err != nil {
				t.Errorf("legacy verifier: %v", err)
			}
			if got := statusName(strict.VerifyJSON([]byte(ex.PinJSON), input)); got != "UNSUPPORTED_VERSION" {
				t.Errorf("strict verifier: %s", got)
			}
			if h, err := vectorpin.HashText(in.Source); err != nil || h != ex.SourceHash {
				t.Errorf("HashText = %s, %v", h, err)
			}
			h, err := vectorpin.HashVector(f32s(raw), dtypeOf(in.VecDtype))
			if in.VecDtype == "f64" {
				h, err = vectorpin.HashVectorFloat64(f64s(raw), dtypeOf(in.VecDtype))
			}
			if err != nil || h != ex.VecHash {
				t.Errorf("vector hash = %s, %v", h, err)
			}
		})
		n++
	}
	return n
}

func runNegativeV1(t *testing.T, rel string) int {
	var f negativeV1File
	loadJSON(t, rel, &f)
	v := verifierWith(t, "test-vectors-2026-05", testPublicKey(t), true)
	if f.ExpectedError != "vector_tampered" {
		t.Fatalf("unexpected expected_error %q", f.ExpectedError)
	}
	err := v.VerifyJSON([]byte(f.PinJSON), vectorpin.Input{Vector: f32s(unb64(t, f.TamperedVectorB64))})
	if got := statusName(err); got != "VECTOR_TAMPERED" {
		t.Errorf("%s: got %s", f.Name, got)
	}
	checkDetail(t, err)
	return 1
}

func runV2(t *testing.T, rel string) int {
	var doc v2File
	loadJSON(t, rel, &doc)
	if !bytes.Equal(unb64(t, doc.PrivateB64), testSeed) {
		t.Fatalf("%s: unexpected seed", rel)
	}
	if got := string(unb64(t, doc.DomainTagB64)); got != "vectorpin/v2\x00" {
		t.Fatalf("domain tag %q", got)
	}
	v := verifierWith(t, doc.KeyID, unb64(t, doc.PublicKeyB64), false)
	n := 0
	for _, f := range doc.Fixtures {
		t.Run(f.Name, func(t *testing.T) {
			in := f.Input
			raw := unb64(t, in.VecB64)
			if got := signInput(t, doc.KeyID, 2, in.Source, in.Model, raw, in.VecDtype, in.Timestamp, deref(in.ModelHash), in.Extra); got != f.PinJSON {
				t.Errorf("signed pin\n got %s\nwant %s", got, f.PinJSON)
			}
			sb := signedBytesB64(t, f.PinJSON)
			if sb != f.CanonicalBytesB64 {
				t.Errorf("signed bytes differ")
			}
			checkPinFields(t, f.PinJSON)
			input := vectorpin.Input{Source: strPtr(in.Source), Expect: vectorpin.Expectations{Model: in.Model, RecordID: in.Extra[vectorpin.ExtraRecordID]}}
			vectorInput(&input, raw, in.VecDtype)
			if err := v.VerifyJSON([]byte(f.PinJSON), input); err != nil {
				t.Errorf("verify: %v", err)
			}
			// The same through a parsed pin.
			pin, err := vectorpin.ParsePin([]byte(f.PinJSON))
			if err != nil {
				t.Fatal(err)
			}
			defer pin.Close()
			if err := v.Verify(pin, input); err != nil {
				t.Errorf("verify parsed pin: %v", err)
			}
			var h string
			if in.VecDtype == "f64" {
				h, err = vectorpin.HashVectorFloat64(f64s(raw), vectorpin.DtypeF64)
			} else {
				h, err = vectorpin.HashVector(f32s(raw), vectorpin.DtypeF32)
			}
			if err != nil || h != f.ExpectedVecHash {
				t.Errorf("vector hash = %s, %v", h, err)
			}
			if h, err := vectorpin.HashText(in.Source); err != nil || h != f.ExpectedSourceHash {
				t.Errorf("HashText = %s, %v", h, err)
			}
		})
		n++
	}
	return n
}

func runNegativeV2(t *testing.T, rel string) int {
	var doc negativeV2File
	loadJSON(t, rel, &doc)
	v := verifierWith(t, doc.KeyID, unb64(t, doc.PublicKeyB64), false)
	n := 0
	for _, f := range doc.Fixtures {
		t.Run(f.Name, func(t *testing.T) {
			in := vectorpin.Input{Source: f.TamperedSource,
				Expect: vectorpin.Expectations{Model: f.ExpectedModel, RecordID: f.ExpectedRecordID}}
			if f.TamperedVecB64 != nil {
				vectorInput(&in, unb64(t, *f.TamperedVecB64), f.VecDtype)
			}
			if f.NaNVecB64 != nil {
				vectorInput(&in, unb64(t, *f.NaNVecB64), f.VecDtype)
			}
			err := v.VerifyJSON([]byte(f.PinJSON), in)
			if got := statusName(err); got != f.ExpectedFailure {
				t.Errorf("got %s, want %s (%v)", got, f.ExpectedFailure, err)
			}
			checkDetail(t, err)
		})
		n++
	}
	return n
}

func runUpstreamSchemaFiles(t *testing.T, dir string) int {
	n := 0
	t.Run("v1", func(t *testing.T) { n += runV1(t, path.Join(dir, "v1.json")) })
	t.Run("negative_v1", func(t *testing.T) { n += runNegativeV1(t, path.Join(dir, "negative_v1.json")) })
	t.Run("v2", func(t *testing.T) { n += runV2(t, path.Join(dir, "v2.json")) })
	t.Run("negative_v2", func(t *testing.T) { n += runNegativeV2(t, path.Join(dir, "negative_v2.json")) })
	return n
}

func TestFixturesUpstream(t *testing.T) {
	n := runUpstreamSchemaFiles(t, "upstream")
	fixtureCases.Add(int64(n))
	t.Logf("upstream fixture cases run: %d", n)
	if n != 4+1+4+17 {
		t.Fatalf("ran %d upstream cases, expected 26", n)
	}
}

func TestFixturesRegenerated(t *testing.T) {
	n := runUpstreamSchemaFiles(t, ".")
	fixtureCases.Add(int64(n))
	t.Logf("regenerated fixture cases run: %d", n)
	if n != 4+1+4+17 {
		t.Fatalf("ran %d regenerated cases, expected 26", n)
	}
}

func TestFixturesExtended(t *testing.T) {
	var doc extendedFile
	loadJSON(t, "extended.json", &doc)
	if doc.Version != 1 || !bytes.Equal(unb64(t, doc.SeedB64), testSeed) {
		t.Fatalf("unexpected extended.json header")
	}
	n := 0
	for _, c := range doc.VerifyCases {
		t.Run("verify/"+c.Name, func(t *testing.T) {
			v := newVerifier(t)
			for _, k := range c.Keys {
				if err := v.AddKeyWindow(k.KID, unb64(t, k.PublicKeyB64), deref(k.ValidFrom), deref(k.ValidUntil)); err != nil {
					t.Fatalf("add key: %v", err)
				}
			}
			if err := v.SetLegacyV1(c.LegacyV1); err != nil {
				t.Fatal(err)
			}
			var pinJSON []byte
			switch {
			case c.PinJSON != nil:
				pinJSON = []byte(*c.PinJSON)
			case c.PinJSONB64 != nil:
				pinJSON = unb64(t, *c.PinJSONB64)
			default:
				t.Fatal("case without a pin")
			}
			in := vectorpin.Input{Source: c.Source, Expect: vectorpin.Expectations{Model: c.ExpectedModel,
				RecordID: c.ExpectedRecordID, CollectionID: c.ExpectedCollectionID, TenantID: c.ExpectedTenantID}}
			if c.SourceB64 != nil {
				in.Source = strPtr(string(unb64(t, *c.SourceB64)))
			}
			if c.VectorB64 != nil {
				vectorInput(&in, unb64(t, *c.VectorB64), c.VectorDtype)
			}
			err := v.VerifyJSON(pinJSON, in)
			if got := statusName(err); got != c.Expected {
				t.Errorf("got %s, want %s (%v)", got, c.Expected, err)
			}
			checkDetail(t, err)
			// A pin that parses gives the same outcome through Verify.
			if pin, perr := vectorpin.ParsePin(pinJSON); perr == nil {
				if got := statusName(v.Verify(pin, in)); got != c.Expected {
					t.Errorf("Verify(parsed pin) gave %s, want %s", got, c.Expected)
				}
				pin.Close()
			} else if got := statusName(perr); got != c.Expected {
				t.Errorf("ParsePin gave %s, verification %s", got, c.Expected)
			}
		})
		n++
	}
	for _, c := range doc.RegistryCases {
		t.Run("registry/"+c.Name, func(t *testing.T) {
			v := newVerifier(t)
			err := v.AddKeyWindow("k", unb64(t, c.PublicKeyB64), deref(c.ValidFrom), deref(c.ValidUntil))
			if got := statusName(err); got != c.Expected {
				t.Errorf("got %s, want %s", got, c.Expected)
			}
			want := 0
			if err == nil {
				want = 1
			}
			if v.KeyCount() != want {
				t.Errorf("KeyCount %d, want %d", v.KeyCount(), want)
			}
		})
		n++
	}
	for _, c := range doc.HashTextCases {
		t.Run("hash_text/"+c.Name, func(t *testing.T) {
			h, err := vectorpin.HashText(string(unb64(t, c.TextB64)))
			if c.Expected == nil {
				if got := statusName(err); got != "INVALID_INPUT" {
					t.Errorf("got %s, want INVALID_INPUT", got)
				}
			} else if err != nil || h != *c.Expected {
				t.Errorf("got %s, %v; want %s", h, err, *c.Expected)
			}
		})
		n++
	}
	for _, c := range doc.HashVectorCases {
		t.Run("hash_vector/"+c.Name, func(t *testing.T) {
			raw := unb64(t, c.VectorB64)
			var h string
			var err error
			if c.InputDtype == "f64" {
				h, err = vectorpin.HashVectorFloat64(f64s(raw), dtypeOf(c.HashDtype))
			} else {
				h, err = vectorpin.HashVector(f32s(raw), dtypeOf(c.HashDtype))
			}
			if c.Expected == nil {
				if got := statusName(err); got != "INVALID_INPUT" {
					t.Errorf("got %s, want INVALID_INPUT", got)
				}
			} else if err != nil || h != *c.Expected {
				t.Errorf("got %s, %v; want %s", h, err, *c.Expected)
			}
		})
		n++
	}
	for _, c := range doc.SignCases {
		t.Run("sign/"+c.Name, func(t *testing.T) {
			s, err := vectorpin.NewSignerFromSeed(c.KID, testSeed)
			if err == nil {
				defer s.Close()
				opts := &vectorpin.PinOptions{Protocol: c.Options.Protocol, Dtype: dtypeOf(c.Options.Dtype),
					ModelHash: c.Options.ModelHash, Timestamp: c.Options.Timestamp, Extra: c.Options.Extra}
				raw := unb64(t, c.VectorB64)
				var pin *vectorpin.Pin
				if c.InputDtype == "f64" {
					pin, err = s.PinFloat64(c.Source, c.Model, f64s(raw), opts)
				} else {
					pin, err = s.Pin(c.Source, c.Model, f32s(raw), opts)
				}
				if err == nil {
					defer pin.Close()
					got, jerr := pin.JSON()
					if jerr != nil || string(got) != c.PinJSON {
						t.Errorf("pin\n got %s\nwant %s", got, c.PinJSON)
					}
				} else if pin != nil {
					t.Errorf("a failed Pin returned a pin")
				}
			}
			if got := statusName(err); got != c.Expected {
				t.Errorf("got %s, want %s (%v)", got, c.Expected, err)
			}
			checkDetail(t, err)
		})
		n++
	}
	fixtureCases.Add(int64(n))
	t.Logf("extended fixture cases run: %d", n)
	if n == 0 || n != len(doc.VerifyCases)+len(doc.RegistryCases)+len(doc.HashTextCases)+len(doc.HashVectorCases)+len(doc.SignCases) {
		t.Fatalf("ran %d extended cases", n)
	}
	if len(doc.VerifyCases) == 0 || len(doc.SignCases) == 0 || len(doc.RegistryCases) == 0 ||
		len(doc.HashTextCases) == 0 || len(doc.HashVectorCases) == 0 {
		t.Fatalf("a section of extended.json is empty")
	}
}
