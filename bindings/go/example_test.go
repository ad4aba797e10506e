package vectorpin_test

import (
	"errors"
	"fmt"

	vectorpin "github.com/vectorpin/vectorpin/bindings/go"
)

// exampleSeed is the public test key of the fixture files; never sign real
// data with it. Real programs use GenerateSigner or LoadSigner.
func exampleSeed() []byte {
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = byte(i)
	}
	return seed
}

// Pin an embedding, then verify it against the text and vector it claims.
func Example() {
	signer, err := vectorpin.NewSignerFromSeed("docs-2026", exampleSeed())
	if err != nil {
		panic(err)
	}
	defer signer.Close()

	text := "The quick brown fox."
	embedding := []float32{0.12, -0.5, 0.33}
	pin, err := signer.Pin(text, "text-embedding-3-large", embedding, &vectorpin.PinOptions{
		Timestamp: "2026-05-05T12:00:00Z",
		Extra:     map[string]string{vectorpin.ExtraRecordID: "doc-42"},
	})
	if err != nil {
		panic(err)
	}
	defer pin.Close()
	stored, _ := pin.JSON() // what goes into the vector store next to the embedding

	verifier, err := vectorpin.NewVerifier()
	if err != nil {
		panic(err)
	}
	defer verifier.Close()
	if err := verifier.AddKey("docs-2026", signer.PublicKey()); err != nil {
		panic(err)
	}
	err = verifier.VerifyJSON(stored, vectorpin.Input{
		Source: &text,
		Vector: embedding,
		Expect: vectorpin.Expectations{RecordID: "doc-42"},
	})
	fmt.Println("verified:", err == nil)

	embedding[1] = -0.49 // someone edits the stored vector
	err = verifier.VerifyJSON(stored, vectorpin.Input{Vector: embedding})
	fmt.Println("tampered:", errors.Is(err, vectorpin.ErrVectorTampered))
	// Output:
	// verified: true
	// tampered: true
}

func ExampleSigner_Pin() {
	signer, err := vectorpin.NewSignerFromSeed("docs-2026", exampleSeed())
	if err != nil {
		panic(err)
	}
	defer signer.Close()
	pin, err := signer.PinFloat64("hello", "m", []float64{1, 2}, &vectorpin.PinOptions{
		Dtype:     vectorpin.DtypeF32, // hash as float32, as upstream stores do
		Timestamp: "2026-05-05T12:00:00Z",
	})
	if err != nil {
		panic(err)
	}
	defer pin.Close()
	fmt.Println(signer.Fingerprint())
	fmt.Println(pin.Version(), pin.KeyID(), pin.Dtype(), pin.VecDim(), pin.Timestamp())
	// Output:
	// 5647:5aa7:5463:474c
	// 2 docs-2026 f32 2 2026-05-05T12:00:00Z
}

func ExampleHashText() {
	// The source hash is over the NFC form: decomposed and precomposed
	// spellings of the same text hash alike.
	a, _ := vectorpin.HashText("cafe\u0301")
	b, _ := vectorpin.HashText("caf\u00e9")
	fmt.Println(a == b, len(a))
	// Output: true 71
}

func ExampleVerifier_Verify() {
	signer, _ := vectorpin.NewSignerFromSeed("k1", exampleSeed())
	defer signer.Close()
	pin, _ := signer.Pin("text", "model-a", []float32{1, 2, 3}, nil)
	defer pin.Close()

	verifier, _ := vectorpin.NewVerifier()
	defer verifier.Close()
	_ = verifier.AddKey("k1", signer.PublicKey())

	err := verifier.Verify(pin, vectorpin.Input{Expect: vectorpin.Expectations{Model: "model-b"}})
	var e *vectorpin.Error
	if errors.As(err, &e) {
		fmt.Println(e.Status, e.Status.IsVerificationFailure())
	}
	fmt.Println(errors.Is(err, vectorpin.ErrModelMismatch))
	// Output:
	// MODEL_MISMATCH true
	// true
}

func ExampleVerifier_VerifyBatch() {
	signer, _ := vectorpin.NewSignerFromSeed("k1", exampleSeed())
	defer signer.Close()
	verifier, _ := vectorpin.NewVerifier()
	defer verifier.Close()
	_ = verifier.AddKey("k1", signer.PublicKey())

	var items []vectorpin.BatchItem
	for i, t := range []string{"first", "second", "third"} {
		text := t // each item needs its own string
		pin, _ := signer.Pin(text, "m", []float32{float32(i), 1}, nil)
		js, _ := pin.JSON()
		pin.Close()
		items = append(items, vectorpin.BatchItem{PinJSON: js, Input: vectorpin.Input{Source: &text}})
	}
	wrong := "changed"
	items[1].Input.Source = &wrong

	results, err := verifier.VerifyBatch(items, 0)
	if err != nil {
		panic(err)
	}
	for i, r := range results {
		fmt.Println(i, r == nil, errors.Is(r, vectorpin.ErrSourceMismatch))
	}
	// Output:
	// 0 true false
	// 1 false true
	// 2 true false
}

func ExampleBatch() {
	signer, _ := vectorpin.NewSignerFromSeed("k1", exampleSeed())
	defer signer.Close()
	verifier, _ := vectorpin.NewVerifier()
	defer verifier.Close()
	_ = verifier.AddKey("k1", signer.PublicKey())
	pin, _ := signer.Pin("text", "m", []float32{1, 2}, nil)
	js, _ := pin.JSON()
	pin.Close()

	batch, err := verifier.NewBatch(2)
	if err != nil {
		panic(err)
	}
	defer batch.Close()
	// In a real audit, submit while rows stream in and collect whenever
	// Pending grows past a bound.
	_ = batch.Submit(100, js, vectorpin.Input{Vector: []float32{1, 2}})
	_ = batch.Submit(101, js, vectorpin.Input{Vector: []float32{1, 3}})
	for batch.Pending() > 0 {
		r, ok, err := batch.Next(true)
		if err != nil || !ok {
			panic(err)
		}
		fmt.Println(r.Cookie, r.Err == nil)
	}
	// Output:
	// 100 true
	// 101 false
}
