package vectorpin

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// Internal tests: they reach the unexported ABI check and limits.

// The names the package prints are the library's, and every status has
// exactly one sentinel that errors.Is matches and no other does.
func TestStatusNamesAndSentinels(t *testing.T) {
	sentinels := map[Status]*Error{
		StatusUnsupportedVersion: ErrUnsupportedVersion, StatusUnknownKey: ErrUnknownKey,
		StatusKeyExpired: ErrKeyExpired, StatusParseError: ErrParseError,
		StatusSignatureInvalid: ErrSignatureInvalid, StatusVectorTampered: ErrVectorTampered,
		StatusSourceMismatch: ErrSourceMismatch, StatusModelMismatch: ErrModelMismatch,
		StatusShapeMismatch: ErrShapeMismatch, StatusRecordMismatch: ErrRecordMismatch,
		StatusCollectionMismatch: ErrCollectionMismatch, StatusTenantMismatch: ErrTenantMismatch,
		StatusInvalidArgument: ErrInvalidArgument, StatusInvalidInput: ErrInvalidInput,
		StatusInvalidKey: ErrInvalidKey, StatusDuplicateKeyID: ErrDuplicateKeyID,
		StatusBufferTooSmall: ErrBufferTooSmall, StatusOutOfMemory: ErrOutOfMemory,
		StatusIOError: ErrIOError, StatusFileExists: ErrFileExists,
		StatusInsecurePermissions: ErrInsecurePermissions, StatusExternalSignerFailed: ErrExternalSignerFailed,
		StatusNotFound: ErrNotFound, StatusInternalError: ErrInternalError,
	}
	// Every number 1..12 and 100..111 the library names must have a sentinel.
	named := 0
	for n := 0; n < 300; n++ {
		s := Status(n)
		name := s.String()
		if name == "UNKNOWN_STATUS" {
			if _, ok := sentinels[s]; ok {
				t.Errorf("status %d has a sentinel but no library name", n)
			}
			continue
		}
		if n == 0 {
			if name != "OK" {
				t.Errorf("status 0 is %q", name)
			}
			continue
		}
		named++
		if _, ok := sentinels[s]; !ok {
			t.Errorf("library status %d (%s) has no sentinel", n, name)
		}
		if want := n >= 1 && n <= 12; s.IsVerificationFailure() != want {
			t.Errorf("%s: IsVerificationFailure = %v", name, !want)
		}
	}
	if named != len(sentinels) || named != 24 {
		t.Errorf("library names %d statuses, package has %d sentinels", named, len(sentinels))
	}
	// Spot-check the constants against the library's names.
	for s, want := range map[Status]string{StatusSignatureInvalid: "SIGNATURE_INVALID", StatusTenantMismatch: "TENANT_MISMATCH",
		StatusInternalError: "INTERNAL_ERROR", StatusDuplicateKeyID: "DUPLICATE_KEY_ID"} {
		if s.String() != want {
			t.Errorf("%d is %s, want %s", s, s, want)
		}
	}
	for s, sent := range sentinels {
		err := fmt.Errorf("wrapped: %w", &Error{Status: s, Offset: 3, Message: "detail"})
		for s2, sent2 := range sentinels {
			if got := errors.Is(err, sent2); got != (s == s2) {
				t.Errorf("errors.Is(%s error, Err for %s) = %v", s, s2, got)
			}
		}
		var e *Error
		if !errors.As(err, &e) || e.Status != s || e.Offset != 3 {
			t.Errorf("errors.As lost the status of %s", s)
		}
		if !strings.Contains(err.Error(), s.String()) || !strings.Contains(err.Error(), "detail") {
			t.Errorf("message %q", err.Error())
		}
		if sent.Status != s {
			t.Errorf("sentinel for %s has status %s", s, sent.Status)
		}
		// A non-sentinel error with the same status is not a target.
		if errors.Is(sent, &Error{Status: s}) {
			t.Errorf("errors.Is matched a non-sentinel target")
		}
	}
	if errors.Is(ErrClosed, ErrInvalidArgument) {
		t.Errorf("bare ErrClosed must not carry a status")
	}
}

func TestABICheckAndLimits(t *testing.T) {
	if err := checkABI(ABIVersion); err != nil {
		t.Fatal(err)
	}
	err := checkABI(ABIVersion + 1)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("ABI version %d", ABIVersion+1)) ||
		!strings.Contains(err.Error(), fmt.Sprintf("needs ABI version %d", ABIVersion)) {
		t.Fatalf("mismatch message: %v", err)
	}
	if LibraryABIVersion() != ABIVersion {
		t.Errorf("library ABI %d", LibraryABIVersion())
	}
	if LibraryVersion() == "" || LibraryVersionNumber() == 0 {
		t.Errorf("library version %q %d", LibraryVersion(), LibraryVersionNumber())
	}
	want := map[string]uint64{
		"PublicKeyBytes": PublicKeyBytes, "SeedBytes": SeedBytes, "SignatureBytes": SignatureBytes,
		"MaxPinJSONBytes": MaxPinJSONBytes, "MaxVecDim": MaxVecDim, "MaxExtraEntries": MaxExtraEntries,
		"MaxExtraKeyBytes": MaxExtraKeyBytes, "MaxExtraValueBytes": MaxExtraValueBytes,
		"hashStringBytes": hashStringBytes, "fingerprintBytes": fingerprintBytes,
		"timestampBufferBytes": timestampBufferBytes, "errorMessageBytes": 256,
		"ProtocolVersion": ProtocolVersion, "DefaultPreparedKeyLimit": DefaultPreparedKeyLimit,
	}
	got := libraryLimits()
	if len(got) != len(want) {
		t.Fatalf("limits: %v", got)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: library %d, package %d", k, got[k], w)
		}
	}
	if uint64(MaxBatchThreads) != uint64(libraryBatchMaxThreads()) {
		t.Errorf("MaxBatchThreads differs from the library's")
	}
}
