package vectorpin_test

import (
	"errors"
	"sync"
	"testing"

	vectorpin "github.com/vectorpin/vectorpin/bindings/go"
)

// sameOutcome compares two results by status, offset and message: the batch
// promises exactly what one-at-a-time verification gives.
func sameOutcome(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var ea, eb *vectorpin.Error
	return errors.As(a, &ea) && errors.As(b, &eb) && ea.Status == eb.Status && ea.Offset == eb.Offset && ea.Message == eb.Message
}

func batchCases(t *testing.T) (*vectorpin.Verifier, []vectorpin.BatchItem) {
	s := testSigner(t, "batch")
	v := verifierWith(t, "batch", s.PublicKey(), false)
	var items []vectorpin.BatchItem
	for _, c := range concurrencyCases(t, s) {
		items = append(items, vectorpin.BatchItem{PinJSON: c.pin, Input: c.in})
	}
	empty := ""
	items = append(items,
		vectorpin.BatchItem{PinJSON: nil},
		vectorpin.BatchItem{PinJSON: []byte("{}"), Input: vectorpin.Input{Source: &empty}},
		vectorpin.BatchItem{PinJSON: items[0].PinJSON, Input: vectorpin.Input{Source: &empty, Vector: []float32{}}},
		vectorpin.BatchItem{PinJSON: items[0].PinJSON, Input: vectorpin.Input{Expect: vectorpin.Expectations{Model: "other"}}},
	)
	return v, items
}

func TestVerifyBatchEqualsOneAtATime(t *testing.T) {
	v, items := batchCases(t)
	want := make([]error, len(items))
	failures := 0
	for i, it := range items {
		want[i] = v.VerifyJSON(it.PinJSON, it.Input)
		if want[i] != nil {
			failures++
		}
	}
	if failures == 0 || failures == len(items) {
		t.Fatalf("the batch needs both outcomes to mean anything (%d of %d fail)", failures, len(items))
	}
	for _, threads := range []int{0, 1, 3} {
		got, err := v.VerifyBatch(items, threads)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(items) {
			t.Fatalf("%d results for %d items", len(got), len(items))
		}
		for i := range items {
			if !sameOutcome(got[i], want[i]) {
				t.Errorf("threads=%d item %d: batch %v, alone %v", threads, i, got[i], want[i])
			}
		}
	}
	if got, err := v.VerifyBatch(nil, 0); err != nil || len(got) != 0 {
		t.Errorf("empty batch: %v %v", got, err)
	}
	if _, err := v.VerifyBatch(items, vectorpin.MaxBatchThreads+1); !errors.Is(err, vectorpin.ErrInvalidArgument) {
		t.Errorf("too many threads: %v", err)
	}
	bad := []vectorpin.BatchItem{{PinJSON: items[0].PinJSON, Input: vectorpin.Input{Vector: []float32{1}, VectorFloat64: []float64{1}}}}
	if _, err := v.VerifyBatch(bad, 1); !errors.Is(err, vectorpin.ErrInvalidArgument) {
		t.Errorf("item with both vectors: %v", err)
	}
}

func TestStreamingBatchEqualsOneAtATime(t *testing.T) {
	v, items := batchCases(t)
	b, err := v.NewBatch(2)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Threads() != 2 {
		t.Errorf("Threads() = %d", b.Threads())
	}
	if _, ok, err := b.Next(false); ok || err != nil {
		t.Errorf("Next on an empty batch: %v %v", ok, err)
	}
	const rounds = 5
	// A producer and a consumer goroutine, as the type allows; the
	// producer reuses its buffers at once, which Submit permits.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for r := 0; r < rounds; r++ {
			for i, it := range items {
				buf := append([]byte(nil), it.PinJSON...)
				if err := b.Submit(uint64(r*len(items)+i), buf, it.Input); err != nil {
					t.Errorf("Submit: %v", err)
					return
				}
				for j := range buf {
					buf[j] = 'x'
				}
			}
		}
	}()
	next := uint64(0)
	for next < uint64(rounds*len(items)) {
		res, ok, err := b.Next(true)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			continue // the producer has not submitted the next one yet
		}
		if res.Cookie != next {
			t.Fatalf("result %d came with cookie %d: not in submission order", next, res.Cookie)
		}
		it := items[next%uint64(len(items))]
		if want := v.VerifyJSON(it.PinJSON, it.Input); !sameOutcome(res.Err, want) {
			t.Errorf("item %d: batch %v, alone %v", next, res.Err, want)
		}
		next++
	}
	wg.Wait()
	if b.Pending() != 0 {
		t.Errorf("Pending() = %d after collecting everything", b.Pending())
	}
	// Closing with results not collected drops them.
	for i := 0; i < 10; i++ {
		if err := b.Submit(uint64(i), items[0].PinJSON, items[0].Input); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	// Now the verifier may change again.
	if err := v.AddKey("after-batch", testPublicKey(t)); err != nil {
		t.Errorf("AddKey after the batch closed: %v", err)
	}
}
