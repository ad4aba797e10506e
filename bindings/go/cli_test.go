package vectorpin_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	vectorpin "github.com/vectorpin/vectorpin/bindings/go"
)

// Key files written by the `vectorpin` CLI load in the binding and the other
// way round. The CLI comes from VECTORPIN_CLI (set by ctest).

func cliPath(t *testing.T) string {
	p := os.Getenv("VECTORPIN_CLI")
	if p == "" {
		skipOrFail(t, "VECTORPIN_CLI is not set (ctest sets it to the built vectorpin program)")
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("VECTORPIN_CLI: %v", err)
	}
	return p
}

type cliVerdict struct {
	OK     bool    `json:"ok"`
	Error  *string `json:"error"`
	Detail *string `json:"detail"`
}

func runCLI(t *testing.T, args ...string) ([]byte, int) {
	t.Helper()
	cmd := exec.Command(cliPath(t), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("running the CLI: %v", err)
	}
	if code > 1 {
		t.Fatalf("CLI %v exited %d: %s", args, code, stderr.String())
	}
	return out, code
}

func cliVerify(t *testing.T, args ...string) (cliVerdict, int) {
	t.Helper()
	out, code := runCLI(t, append([]string{"verify-pin"}, args...)...)
	var v cliVerdict
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("CLI output %q: %v", out, err)
	}
	return v, code
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCLIKeysIntoBinding(t *testing.T) {
	cli := cliPath(t)
	for _, pemFlag := range []bool{false, true} {
		dir := t.TempDir()
		args := []string{"keygen", "--key-id", "cli-key", "--output", dir}
		if pemFlag {
			args = append(args, "--pem")
		}
		if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
			t.Fatalf("keygen: %v: %s", err, out)
		}
		signer, err := vectorpin.LoadSigner("cli-key", filepath.Join(dir, "cli-key.priv"), 0)
		if err != nil {
			t.Fatalf("pem=%v: loading the CLI's private key: %v", pemFlag, err)
		}
		pubFile, err := os.ReadFile(filepath.Join(dir, "cli-key.pub"))
		if err != nil {
			t.Fatal(err)
		}
		pub, err := vectorpin.DecodePublicKey(pubFile)
		if err != nil || !bytes.Equal(pub, signer.PublicKey()) {
			t.Fatalf("pem=%v: the CLI's public key file does not match its private key (%v)", pemFlag, err)
		}
		if !pemFlag && len(pubFile) != 32 {
			t.Errorf("raw .pub is %d bytes", len(pubFile))
		}

		// A pin from the binding with the CLI's key verifies in the CLI.
		vec := []float32{0.5, -0.25, 1e-3, 42}
		pin, err := signer.Pin("hello from go", "m", vec, &vectorpin.PinOptions{Extra: map[string]string{vectorpin.ExtraRecordID: "r1"}})
		if err != nil {
			t.Fatal(err)
		}
		js, _ := pin.JSON()
		pin.Close()
		signer.Close()
		pinFile := filepath.Join(dir, "pin.json")
		srcFile := filepath.Join(dir, "source.txt")
		vecFile := filepath.Join(dir, "vector.json")
		writeFile(t, pinFile, js)
		writeFile(t, srcFile, []byte("hello from go"))
		vj, _ := json.Marshal(vec)
		writeFile(t, vecFile, vj)
		pubPath := filepath.Join(dir, "cli-key.pub")
		v, code := cliVerify(t, "--public-key", pubPath, "--key-id", "cli-key", "--pin", pinFile,
			"--source", srcFile, "--vector", vecFile, "--record-id", "r1")
		if !v.OK || code != 0 {
			t.Errorf("pem=%v: CLI rejects the binding's pin: %+v", pemFlag, v)
		}
		// The CLI must see tampering too, or the check above proves nothing.
		writeFile(t, srcFile, []byte("hello from elsewhere"))
		v, code = cliVerify(t, "--public-key", pubPath, "--key-id", "cli-key", "--pin", pinFile, "--source", srcFile)
		if v.OK || code != 1 || v.Error == nil || *v.Error != "SOURCE_MISMATCH" {
			t.Errorf("CLI on a changed source: %+v exit %d", v, code)
		}
	}
}

func TestBindingKeysIntoCLI(t *testing.T) {
	for _, pemFormat := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "keys")
		s, err := vectorpin.GenerateSigner("go-key")
		if err != nil {
			t.Fatal(err)
		}
		if pemFormat {
			err = s.SavePEM(dir)
		} else {
			err = s.Save(dir)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		priv := filepath.Join(dir, "go-key.priv")
		pub := filepath.Join(dir, "go-key.pub")
		if st, err := os.Stat(priv); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("private key file mode: %v %v", st.Mode(), err)
		}
		if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o700 {
			t.Errorf("key directory mode: %v %v", st.Mode(), err)
		}
		// The CLI pins with the binding's private key ...
		src := filepath.Join(dir, "src.txt")
		vec := filepath.Join(dir, "vec.json")
		writeFile(t, src, []byte("café source"))
		writeFile(t, vec, []byte("[0.125, -2.5, 3]"))
		out, _ := runCLI(t, "pin", "--private-key", priv, "--key-id", "go-key", "--model", "cli-model",
			"--source", src, "--vector", vec, "--record-id", "rec-7")
		// ... and the binding verifies that pin with the binding's public key.
		ver := newVerifier(t)
		if err := ver.AddKey("go-key", s.PublicKey()); err != nil {
			t.Fatal(err)
		}
		source := "café source"
		in := vectorpin.Input{Source: &source, VectorFloat64: []float64{0.125, -2.5, 3},
			Expect: vectorpin.Expectations{Model: "cli-model", RecordID: "rec-7"}}
		if err := ver.VerifyJSON(bytes.TrimSpace(out), in); err != nil {
			t.Errorf("pem=%v: the CLI's pin fails in the binding: %v", pemFormat, err)
		}
		in.VectorFloat64 = []float64{0.125, -2.5, 3.0000001}
		if err := ver.VerifyJSON(bytes.TrimSpace(out), in); !errors.Is(err, vectorpin.ErrVectorTampered) {
			t.Errorf("tampered vector: %v", err)
		}
		// The CLI verifies with the binding's public key file.
		pinFile := filepath.Join(dir, "pin.json")
		writeFile(t, pinFile, out)
		v, code := cliVerify(t, "--public-key", pub, "--key-id", "go-key", "--pin", pinFile, "--source", src,
			"--vector", vec, "--expect-model", "cli-model")
		if !v.OK || code != 0 {
			t.Errorf("pem=%v: CLI verify with the binding's .pub: %+v", pemFormat, v)
		}
		// Saving twice never overwrites.
		if err := s.Save(dir); !errors.Is(err, vectorpin.ErrFileExists) {
			t.Errorf("second Save: %v", err)
		}
	}
}
