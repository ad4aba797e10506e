package vectorpin_test

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	vectorpin "github.com/vectorpin/vectorpin/bindings/go"
)

// One Verifier (and one Signer) shared by many goroutines; run with -race.

type concCase struct {
	pin  []byte
	in   vectorpin.Input
	want string
}

func concurrencyCases(t *testing.T, s *vectorpin.Signer) []concCase {
	var cases []concCase
	for i := 0; i < 8; i++ {
		src := fmt.Sprintf("document %d", i)
		vec := []float32{float32(i), 0.5, -0.25, float32(i) * 1.5}
		vec64 := []float64{float64(i), 0.5, -0.25}
		rec := fmt.Sprintf("rec-%d", i)
		opts := &vectorpin.PinOptions{Extra: map[string]string{vectorpin.ExtraRecordID: rec}}
		p32, err := s.Pin(src, "m", vec, opts)
		if err != nil {
			t.Fatal(err)
		}
		p64, err := s.PinFloat64(src, "m", vec64, opts)
		if err != nil {
			t.Fatal(err)
		}
		j32, _ := p32.JSON()
		j64, _ := p64.JSON()
		p32.Close()
		p64.Close()
		tampered := append([]float32(nil), vec...)
		tampered[1] += 1e-3
		cases = append(cases,
			concCase{j32, vectorpin.Input{Source: strPtr(src), Vector: vec, Expect: vectorpin.Expectations{RecordID: rec}}, "OK"},
			concCase{j64, vectorpin.Input{Source: strPtr(src), VectorFloat64: vec64}, "OK"},
			concCase{j32, vectorpin.Input{Vector: tampered}, "VECTOR_TAMPERED"},
			concCase{j32, vectorpin.Input{Source: strPtr(src + "!")}, "SOURCE_MISMATCH"},
			concCase{j32, vectorpin.Input{Expect: vectorpin.Expectations{RecordID: "other"}}, "RECORD_MISMATCH"},
			concCase{j64, vectorpin.Input{VectorFloat64: vec64[:2]}, "SHAPE_MISMATCH"},
			concCase{j32[:len(j32)-1], vectorpin.Input{}, "PARSE_ERROR"},
		)
	}
	return cases
}

func TestConcurrentVerifier(t *testing.T) {
	s := testSigner(t, "conc")
	v := verifierWith(t, "conc", s.PublicKey(), false)
	cases := concurrencyCases(t, s)
	pins := make([]*vectorpin.Pin, len(cases))
	for i, c := range cases {
		if p, err := vectorpin.ParsePin(c.pin); err == nil {
			pins[i] = p
			defer p.Close()
		}
	}
	const workers, rounds = 16, 40
	var checked, wrong atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				i := (w*7 + r) % len(cases)
				c := cases[i]
				got := statusName(v.VerifyJSON(c.pin, c.in))
				if pins[i] != nil {
					// A shared parsed pin, verified from many goroutines.
					if g := statusName(v.Verify(pins[i], c.in)); g != got {
						got = "Verify/VerifyJSON disagree: " + g
					}
				}
				checked.Add(1)
				if got != c.want {
					wrong.Add(1)
					t.Errorf("case %d: got %s, want %s", i, got, c.want)
				}
			}
		}(w)
	}
	wg.Wait()
	if checked.Load() != workers*rounds || wrong.Load() != 0 {
		t.Fatalf("%d checks, %d wrong", checked.Load(), wrong.Load())
	}
}

func TestConcurrentSigners(t *testing.T) {
	seedSigner := testSigner(t, "shared")
	ext, err := vectorpin.NewExternalSigner("shared", ed25519.NewKeyFromSeed(testSeed))
	if err != nil {
		t.Fatal(err)
	}
	defer ext.Close()
	v := verifierWith(t, "shared", seedSigner.PublicKey(), false)
	var wg sync.WaitGroup
	// Room for every error the workers can send (two per round at most), so
	// a broad failure fails the test instead of blocking it.
	errs := make(chan error, 8*20*2)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for r := 0; r < 20; r++ {
				src := fmt.Sprintf("w%d r%d", w, r)
				vec := []float32{float32(w), float32(r), 1}
				opts := &vectorpin.PinOptions{Timestamp: "2026-05-05T12:00:00Z"}
				a, err := seedSigner.Pin(src, "m", vec, opts)
				if err != nil {
					errs <- err
					return
				}
				b, err := ext.Pin(src, "m", vec, opts)
				if err != nil {
					errs <- err
					return
				}
				ja, _ := a.JSON()
				jb, _ := b.JSON()
				if string(ja) != string(jb) {
					errs <- fmt.Errorf("external and seed signers disagree")
				}
				if err := v.Verify(b, vectorpin.Input{Source: &src, Vector: vec}); err != nil {
					errs <- err
				}
				a.Close()
				b.Close()
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Keys added and the verifier closed while other goroutines verify: the
// outcomes move from UNKNOWN_KEY to OK to "closed", each seen by the workers,
// and nothing else ever shows up.
func TestConcurrentMutationAndClose(t *testing.T) {
	s := testSigner(t, "late")
	pin, err := s.Pin("x", "m", []float32{1, 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pin.Close()
	v, err := vectorpin.NewVerifier()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var seenUnknown, seenOK, seenClosed, other atomic.Int64
	stop := make(chan struct{})
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := v.Verify(pin, vectorpin.Input{})
				switch {
				case err == nil:
					seenOK.Add(1)
				case errors.Is(err, vectorpin.ErrUnknownKey):
					seenUnknown.Add(1)
				case errors.Is(err, vectorpin.ErrClosed) && errors.Is(err, vectorpin.ErrInvalidArgument):
					seenClosed.Add(1)
				default:
					other.Add(1)
					t.Errorf("unexpected outcome %v", err)
					return
				}
				runtime.Gosched()
			}
		}()
	}
	waitFor := func(what string, c *atomic.Int64) {
		deadline := time.Now().Add(20 * time.Second)
		for c.Load() == 0 && other.Load() == 0 {
			if time.Now().After(deadline) {
				close(stop)
				wg.Wait()
				t.Fatalf("the workers never saw %s", what)
			}
			time.Sleep(time.Millisecond)
		}
	}
	waitFor("UNKNOWN_KEY", &seenUnknown)
	for i := 0; i < 20; i++ {
		if err := v.AddKey(fmt.Sprintf("other-%d", i), ed25519.NewKeyFromSeed(make([]byte, 32)).Public().(ed25519.PublicKey)); err != nil {
			t.Fatal(err)
		}
	}
	if err := v.AddKey("late", s.PublicKey()); err != nil {
		t.Fatal(err)
	}
	waitFor("OK", &seenOK)
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	waitFor("the closed verifier", &seenClosed)
	close(stop)
	wg.Wait()
	if err := v.Verify(pin, vectorpin.Input{}); !errors.Is(err, vectorpin.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
	if other.Load() != 0 {
		t.Fatalf("%d unexpected outcomes", other.Load())
	}
	t.Logf("outcomes: %d UNKNOWN_KEY, %d OK, %d closed", seenUnknown.Load(), seenOK.Load(), seenClosed.Load())
}
