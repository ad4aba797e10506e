// Command vectorpin-interop is the Go side of the cross-language test
// (contract in testvectors/README.md):
//
//	vectorpin-interop sign OUT_FILE
//	vectorpin-interop verify IN_FILE...
//
// It reads testvectors/crosslang.json from $VECTORPIN_TESTVECTORS (default:
// ./testvectors).
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	vectorpin "github.com/vectorpin/vectorpin/bindings/go"
)

const lang = "go"

type record struct {
	Name      string            `json:"name"`
	Source    string            `json:"source"`
	Model     string            `json:"model"`
	VectorB64 string            `json:"vector_b64"`
	Dtype     string            `json:"dtype"`
	Extra     map[string]string `json:"extra"`
}

type recordsFile struct {
	SeedB64 string   `json:"seed_b64"`
	Records []record `json:"records"`
}

type line struct {
	Lang         string `json:"lang"`
	KID          string `json:"kid"`
	PublicKeyB64 string `json:"public_key_b64"`
	Name         string `json:"name"`
	PinJSON      string `json:"pin_json"`
}

func loadRecords() (*recordsFile, error) {
	dir := os.Getenv("VECTORPIN_TESTVECTORS")
	if dir == "" {
		dir = "testvectors"
	}
	data, err := os.ReadFile(filepath.Join(dir, "crosslang.json"))
	if err != nil {
		return nil, fmt.Errorf("%v (set VECTORPIN_TESTVECTORS)", err)
	}
	var doc recordsFile
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("crosslang.json: %v", err)
	}
	return &doc, nil
}

// vectors decodes a record's little-endian vector as its dtype; exactly one
// of the results is non-nil.
func vectors(r *record) ([]float32, []float64, error) {
	raw, err := vectorpin.Base64URLDecode(r.VectorB64)
	if err != nil {
		return nil, nil, err
	}
	switch r.Dtype {
	case "f32":
		v := make([]float32, len(raw)/4)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
		return v, nil, nil
	case "f64":
		v := make([]float64, len(raw)/8)
		for i := range v {
			v[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
		}
		return nil, v, nil
	}
	return nil, nil, fmt.Errorf("record %q: unknown dtype", r.Name)
}

func sign(outPath string) error {
	doc, err := loadRecords()
	if err != nil {
		return err
	}
	seed, err := vectorpin.Base64URLDecode(doc.SeedB64)
	if err != nil {
		return err
	}
	signer, err := vectorpin.NewSignerFromSeed("crosslang-"+lang, seed)
	if err != nil {
		return err
	}
	defer signer.Close()
	pub, err := vectorpin.Base64URLEncode(signer.PublicKey())
	if err != nil {
		return err
	}
	out, err := os.Create(outPath)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range doc.Records {
		r := &doc.Records[i]
		f32, f64, err := vectors(r)
		if err != nil {
			return err
		}
		opts := &vectorpin.PinOptions{Protocol: 2, Extra: r.Extra}
		var pin *vectorpin.Pin
		if f64 != nil {
			pin, err = signer.PinFloat64(r.Source, r.Model, f64, opts)
		} else {
			pin, err = signer.Pin(r.Source, r.Model, f32, opts)
		}
		if err != nil {
			return fmt.Errorf("sign %s: %w", r.Name, err)
		}
		js, err := pin.JSON()
		pin.Close()
		if err != nil {
			return err
		}
		if err := enc.Encode(line{Lang: lang, KID: signer.KeyID(), PublicKeyB64: pub, Name: r.Name, PinJSON: string(js)}); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	fmt.Printf("signed %d records\n", len(doc.Records))
	if len(doc.Records) == 0 {
		return errors.New("no records in crosslang.json")
	}
	return nil
}

// check verifies one line: the pin with its record's source, vector and
// record id, then a copy of the vector with one element changed, which must
// be reported as tampering.
func check(doc *recordsFile, l *line) error {
	var rec *record
	for i := range doc.Records {
		if doc.Records[i].Name == l.Name {
			rec = &doc.Records[i]
		}
	}
	if rec == nil {
		return errors.New("unknown record")
	}
	pub, err := vectorpin.DecodePublicKey([]byte(l.PublicKeyB64))
	if err != nil {
		return err
	}
	v, err := vectorpin.NewVerifier()
	if err != nil {
		return err
	}
	defer v.Close()
	if err := v.AddKey(l.KID, pub); err != nil {
		return err
	}
	f32, f64, err := vectors(rec)
	if err != nil {
		return err
	}
	in := vectorpin.Input{Source: &rec.Source, Vector: f32, VectorFloat64: f64,
		Expect: vectorpin.Expectations{RecordID: rec.Extra[vectorpin.ExtraRecordID]}}
	if err := v.VerifyJSON([]byte(l.PinJSON), in); err != nil {
		return err
	}
	if f32 != nil {
		f32[0] += 0.5
	} else {
		f64[0] += 0.5
	}
	if err := v.VerifyJSON([]byte(l.PinJSON), in); !errors.Is(err, vectorpin.ErrVectorTampered) {
		return fmt.Errorf("tampered vector gave %v", err)
	}
	return nil
}

func verify(files []string) int {
	doc, err := loadRecords()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	passed, failed := 0, 0
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			failed++
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<16), 1<<22)
		for sc.Scan() {
			if len(sc.Bytes()) == 0 {
				continue
			}
			var l line
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				fmt.Fprintf(os.Stderr, "FAIL %s: unreadable line\n", path)
				failed++
				continue
			}
			if err := check(doc, &l); err != nil {
				fmt.Fprintf(os.Stderr, "FAIL %s/%s: %v\n", l.Lang, l.Name, err)
				failed++
			} else {
				passed++
			}
		}
		if err := sc.Err(); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
			failed++
		}
		f.Close()
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 || passed == 0 {
		return 1
	}
	return 0
}

func main() {
	if len(os.Args) >= 3 && os.Args[1] == "sign" {
		if err := sign(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) >= 3 && os.Args[1] == "verify" {
		os.Exit(verify(os.Args[2:]))
	}
	fmt.Fprintln(os.Stderr, "usage: vectorpin-interop sign OUT_FILE | verify IN_FILE...")
	os.Exit(2)
}
