// Command vectorpin-shim is the Go binding's conformance shim: it answers
// the JSON-lines requests of `vectorpin conformance` (docs/CONFORMANCE.md)
// through the package's public API.
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"

	vectorpin "github.com/vectorpin/vectorpin/bindings/go"
)

type vectorIn struct {
	Dtype   string `json:"dtype"`
	DataB64 string `json:"data_b64"`
}

type keyIn struct {
	KID          string  `json:"kid"`
	PublicKeyB64 string  `json:"public_key_b64"`
	ValidFrom    *string `json:"valid_from"`
	ValidUntil   *string `json:"valid_until"`
}

type input struct {
	TextB64   string            `json:"text_b64"`
	Vector    *vectorIn         `json:"vector"`
	HashDtype string            `json:"hash_dtype"`
	PinB64    string            `json:"pin_b64"`
	SeedB64   string            `json:"seed_b64"`
	KID       string            `json:"kid"`
	Model     string            `json:"model"`
	SourceB64 *string           `json:"source_b64"`
	Protocol  int               `json:"protocol"`
	Dtype     string            `json:"dtype"`
	ModelHash string            `json:"model_hash"`
	Timestamp string            `json:"timestamp"`
	Extra     map[string]string `json:"extra"`
	Keys      []keyIn           `json:"keys"`
	LegacyV1  bool              `json:"legacy_v1"`
	Expect    vectorpin.Expectations
	keyIn
}

type request struct {
	ID    json.RawMessage `json:"id"`
	Op    string          `json:"op"`
	Input json.RawMessage `json:"input"`
}

type answer map[string]any

var b64 = base64.RawURLEncoding

func ok(fields ...string) answer {
	a := answer{"status": "OK"}
	for i := 0; i+1 < len(fields); i += 2 {
		a[fields[i]] = fields[i+1]
	}
	return a
}

// failed maps the binding's error to the protocol's status name.
func failed(err error) answer {
	var e *vectorpin.Error
	if errors.As(err, &e) {
		return answer{"status": e.Status.String(), "detail": e.Message}
	}
	return answer{"status": "ERROR", "detail": err.Error()}
}

func dtype(name string) vectorpin.Dtype {
	if name == "f64" {
		return vectorpin.DtypeF64
	}
	if name == "f32" {
		return vectorpin.DtypeF32
	}
	return vectorpin.DtypeDefault
}

// vectors decodes little-endian elements; exactly one result is non-nil.
func vectors(v *vectorIn) ([]float32, []float64, error) {
	raw, err := b64.DecodeString(v.DataB64)
	if err != nil {
		return nil, nil, err
	}
	if v.Dtype == "f64" {
		out := make([]float64, len(raw)/8)
		for i := range out {
			out[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
		}
		return nil, out, nil
	}
	out := make([]float32, len(raw)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return out, nil, nil
}

func bytesOf(text string) []byte {
	b, err := b64.DecodeString(text)
	if err != nil {
		panic(fmt.Sprintf("request field is not base64url: %v", err))
	}
	return b
}

func addKey(v *vectorpin.Verifier, k keyIn) error {
	from, until := "", ""
	if k.ValidFrom != nil {
		from = *k.ValidFrom
	}
	if k.ValidUntil != nil {
		until = *k.ValidUntil
	}
	return v.AddKeyWindow(k.KID, bytesOf(k.PublicKeyB64), from, until)
}

func run(op string, in *input) answer {
	switch op {
	case "hash_text":
		h, err := vectorpin.HashText(string(bytesOf(in.TextB64)))
		if err != nil {
			return failed(err)
		}
		return ok("hash", h)
	case "hash_vector":
		f32, f64, err := vectors(in.Vector)
		if err != nil {
			return failed(err)
		}
		var h string
		if f64 != nil {
			h, err = vectorpin.HashVectorFloat64(f64, dtype(in.HashDtype))
		} else {
			h, err = vectorpin.HashVector(f32, dtype(in.HashDtype))
		}
		if err != nil {
			return failed(err)
		}
		return ok("hash", h)
	case "parse":
		pin, err := vectorpin.ParsePin(bytesOf(in.PinB64))
		if err != nil {
			return failed(err)
		}
		defer pin.Close()
		signed, err := pin.SignedBytes()
		if err != nil {
			return failed(err)
		}
		written, err := pin.JSON()
		if err != nil {
			return failed(err)
		}
		return ok("signed_bytes_b64", b64.EncodeToString(signed), "pin_b64", b64.EncodeToString(written))
	case "sign":
		signer, err := vectorpin.NewSignerFromSeed(in.KID, bytesOf(in.SeedB64))
		if err != nil {
			return failed(err)
		}
		defer signer.Close()
		opts := &vectorpin.PinOptions{Protocol: in.Protocol, Dtype: dtype(in.Dtype), ModelHash: in.ModelHash,
			Timestamp: in.Timestamp, Extra: in.Extra}
		f32, f64, err := vectors(in.Vector)
		if err != nil {
			return failed(err)
		}
		source := string(bytesOf(*in.SourceB64))
		var pin *vectorpin.Pin
		if f64 != nil {
			pin, err = signer.PinFloat64(source, in.Model, f64, opts)
		} else {
			pin, err = signer.Pin(source, in.Model, f32, opts)
		}
		if err != nil {
			return failed(err)
		}
		defer pin.Close()
		written, err := pin.JSON()
		if err != nil {
			return failed(err)
		}
		return ok("pin_b64", b64.EncodeToString(written))
	case "verify":
		v, err := vectorpin.NewVerifier()
		if err != nil {
			return failed(err)
		}
		defer v.Close()
		for _, k := range in.Keys {
			if err := addKey(v, k); err != nil {
				return failed(err)
			}
		}
		if err := v.SetLegacyV1(in.LegacyV1); err != nil {
			return failed(err)
		}
		check := vectorpin.Input{Expect: in.Expect}
		if in.SourceB64 != nil {
			source := string(bytesOf(*in.SourceB64))
			check.Source = &source
		}
		if in.Vector != nil {
			f32, f64, err := vectors(in.Vector)
			if err != nil {
				return failed(err)
			}
			if f64 != nil {
				check.VectorFloat64 = f64
			} else {
				check.Vector = f32
			}
		}
		if err := v.VerifyJSON(bytesOf(in.PinB64), check); err != nil {
			return failed(err)
		}
		return ok()
	case "add_key":
		v, err := vectorpin.NewVerifier()
		if err != nil {
			return failed(err)
		}
		defer v.Close()
		key := in.keyIn
		key.KID = in.KID // "kid" decodes into the outer field
		if err := addKey(v, key); err != nil {
			return failed(err)
		}
		return ok()
	case "fingerprint":
		fp, err := vectorpin.PublicKeyFingerprint(bytesOf(in.PublicKeyB64))
		if err != nil {
			return failed(err)
		}
		return ok("fingerprint", fp)
	}
	return answer{"status": "unsupported"}
}

// decode reads the input, with the expectation fields under their wire names.
func decode(raw json.RawMessage) (*input, error) {
	in := &input{}
	if len(raw) == 0 {
		return in, nil
	}
	if err := json.Unmarshal(raw, in); err != nil {
		return nil, err
	}
	var x struct {
		Model        string `json:"expect_model"`
		RecordID     string `json:"expect_record_id"`
		CollectionID string `json:"expect_collection_id"`
		TenantID     string `json:"expect_tenant_id"`
	}
	if err := json.Unmarshal(raw, &x); err != nil {
		return nil, err
	}
	in.Expect = vectorpin.Expectations{Model: x.Model, RecordID: x.RecordID, CollectionID: x.CollectionID, TenantID: x.TenantID}
	return in, nil
}

func answerOne(req *request) (a answer) {
	defer func() {
		if r := recover(); r != nil {
			a = answer{"status": "BAD_REQUEST", "detail": fmt.Sprint(r)}
		}
	}()
	if req.Op == "hello" {
		return answer{"status": "OK", "protocol": 1, "name": "go", "implementation": "Go binding on libvectorpin " + vectorpin.LibraryVersion()}
	}
	in, err := decode(req.Input)
	if err != nil {
		return answer{"status": "BAD_REQUEST", "detail": err.Error()}
	}
	return run(req.Op, in)
}

func main() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	out := bufio.NewWriter(os.Stdout)
	for scanner.Scan() {
		var req request
		var a answer
		if err := json.Unmarshal(scanner.Bytes(), &req); err != nil {
			a = answer{"status": "BAD_REQUEST", "detail": err.Error()}
		} else {
			a = answerOne(&req)
		}
		a["id"] = req.ID
		line, _ := json.Marshal(a)
		out.Write(line)
		out.WriteByte('\n')
		out.Flush()
	}
}
