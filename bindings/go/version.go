package vectorpin

/*
#include <vectorpin.h>
*/
import "C"

import "fmt"

// ABIVersion is the C ABI this package was written for. A library built
// with another ABI number may lay out its structs or its functions
// differently, so calling it at all could corrupt memory.
const ABIVersion = 2

// Limits of the protocol and of the C ABI, from the header the package was
// built against (a test checks that the library reports the same values;
// they are fixed for an ABI version).
const (
	ProtocolVersion      = C.VECTORPIN_PROTOCOL_VERSION
	PublicKeyBytes       = C.VECTORPIN_PUBLIC_KEY_BYTES
	SeedBytes            = C.VECTORPIN_SEED_BYTES
	SignatureBytes       = C.VECTORPIN_SIGNATURE_BYTES
	MaxPinJSONBytes      = C.VECTORPIN_MAX_PIN_JSON_BYTES
	MaxVecDim            = C.VECTORPIN_MAX_VEC_DIM
	MaxExtraEntries      = C.VECTORPIN_MAX_EXTRA_ENTRIES
	MaxExtraKeyBytes     = C.VECTORPIN_MAX_EXTRA_KEY_BYTES
	MaxExtraValueBytes   = C.VECTORPIN_MAX_EXTRA_VALUE_BYTES
	hashStringBytes      = C.VECTORPIN_HASH_STRING_BUFFER_BYTES
	fingerprintBytes     = C.VECTORPIN_FINGERPRINT_BUFFER_BYTES
	timestampBufferBytes = C.VECTORPIN_TIMESTAMP_BUFFER_BYTES
	// DefaultPreparedKeyLimit is a new Verifier's prepared-key limit.
	DefaultPreparedKeyLimit = C.VECTORPIN_DEFAULT_PREPARED_KEY_LIMIT
)

// The package refuses to run against a library with another ABI: init
// panics with the message below. A panic rather than an error from every
// constructor because nothing in the package can be used safely in that
// state, and the mismatch is a deployment mistake that should stop the
// program at start-up, not at its first pin.
func init() {
	if err := checkABI(uint32(C.vectorpin_abi_version())); err != nil {
		panic(err)
	}
}

func checkABI(got uint32) error {
	if got != ABIVersion {
		return fmt.Errorf("vectorpin: the loaded libvectorpin has ABI version %d but this Go package needs ABI version %d; "+
			"install a libvectorpin of ABI %d or a Go package matching the library", got, ABIVersion, ABIVersion)
	}
	return nil
}

// LibraryVersion is the version of the loaded C library, e.g. "0.1.0".
func LibraryVersion() string { return C.GoString(C.vectorpin_version_string()) }

// LibraryVersionNumber is major*10000 + minor*100 + patch of the loaded library.
func LibraryVersionNumber() uint32 { return uint32(C.vectorpin_version_number()) }

// LibraryABIVersion is the ABI version the loaded library reports (always
// ABIVersion once the package has loaded).
func LibraryABIVersion() uint32 { return uint32(C.vectorpin_abi_version()) }

// LibraryProtocolVersion is the protocol version the library writes by default.
func LibraryProtocolVersion() int { return int(C.vectorpin_protocol_version()) }

// libraryLimits returns the limits the loaded library reports, by the names
// of the constants above; a test compares them.
func libraryLimits() map[string]uint64 {
	return map[string]uint64{
		"PublicKeyBytes":          uint64(C.vectorpin_public_key_bytes()),
		"SeedBytes":               uint64(C.vectorpin_seed_bytes()),
		"SignatureBytes":          uint64(C.vectorpin_signature_bytes()),
		"MaxPinJSONBytes":         uint64(C.vectorpin_max_pin_json_bytes()),
		"MaxVecDim":               uint64(C.vectorpin_max_vec_dim()),
		"MaxExtraEntries":         uint64(C.vectorpin_max_extra_entries()),
		"MaxExtraKeyBytes":        uint64(C.vectorpin_max_extra_key_bytes()),
		"MaxExtraValueBytes":      uint64(C.vectorpin_max_extra_value_bytes()),
		"hashStringBytes":         uint64(C.vectorpin_hash_string_buffer_bytes()),
		"fingerprintBytes":        uint64(C.vectorpin_fingerprint_buffer_bytes()),
		"timestampBufferBytes":    uint64(C.vectorpin_timestamp_buffer_bytes()),
		"errorMessageBytes":       uint64(C.vectorpin_error_message_bytes()),
		"DefaultPreparedKeyLimit": uint64(C.vectorpin_default_prepared_key_limit()),
		"ProtocolVersion":         uint64(C.vectorpin_protocol_version()),
	}
}

func libraryBatchMaxThreads() uint32 { return uint32(C.vectorpin_batch_max_threads()) }
