package vectorpin

/*
#include <vectorpin.h>
*/
import "C"

import "errors"

// Status is a vectorpin status code. The numbers are those of the C ABI and
// never change; the names come from the library (vectorpin_status_name).
type Status int32

// Every status of the C ABI. 1 to 12 are verification outcomes, named as in
// the protocol; 100 and up are errors of the calling program or its
// environment.
const (
	StatusOK                   Status = C.VECTORPIN_OK
	StatusUnsupportedVersion   Status = C.VECTORPIN_UNSUPPORTED_VERSION
	StatusUnknownKey           Status = C.VECTORPIN_UNKNOWN_KEY
	StatusKeyExpired           Status = C.VECTORPIN_KEY_EXPIRED
	StatusParseError           Status = C.VECTORPIN_PARSE_ERROR
	StatusSignatureInvalid     Status = C.VECTORPIN_SIGNATURE_INVALID
	StatusVectorTampered       Status = C.VECTORPIN_VECTOR_TAMPERED
	StatusSourceMismatch       Status = C.VECTORPIN_SOURCE_MISMATCH
	StatusModelMismatch        Status = C.VECTORPIN_MODEL_MISMATCH
	StatusShapeMismatch        Status = C.VECTORPIN_SHAPE_MISMATCH
	StatusRecordMismatch       Status = C.VECTORPIN_RECORD_MISMATCH
	StatusCollectionMismatch   Status = C.VECTORPIN_COLLECTION_MISMATCH
	StatusTenantMismatch       Status = C.VECTORPIN_TENANT_MISMATCH
	StatusInvalidArgument      Status = C.VECTORPIN_INVALID_ARGUMENT
	StatusInvalidInput         Status = C.VECTORPIN_INVALID_INPUT
	StatusInvalidKey           Status = C.VECTORPIN_INVALID_KEY
	StatusDuplicateKeyID       Status = C.VECTORPIN_DUPLICATE_KEY_ID
	StatusBufferTooSmall       Status = C.VECTORPIN_BUFFER_TOO_SMALL
	StatusOutOfMemory          Status = C.VECTORPIN_OUT_OF_MEMORY
	StatusIOError              Status = C.VECTORPIN_IO_ERROR
	StatusFileExists           Status = C.VECTORPIN_FILE_EXISTS
	StatusInsecurePermissions  Status = C.VECTORPIN_INSECURE_PERMISSIONS
	StatusExternalSignerFailed Status = C.VECTORPIN_EXTERNAL_SIGNER_FAILED
	StatusNotFound             Status = C.VECTORPIN_NOT_FOUND
	StatusInternalError        Status = C.VECTORPIN_INTERNAL_ERROR
)

// String returns the stable upper-case name, e.g. "SIGNATURE_INVALID", or
// "UNKNOWN_STATUS" for a number the library does not know.
func (s Status) String() string {
	return C.GoString(C.vectorpin_status_name(C.int(s)))
}

// IsVerificationFailure reports whether s is one of the verification
// outcomes (1 to 12): the pin, or what it was checked against, is not
// trustworthy, as opposed to a mistake of the program or its environment.
func (s Status) IsVerificationFailure() bool {
	return C.vectorpin_status_is_verification_failure(C.int(s)) != 0
}

// Error is the error type of every failing call in this package. Compare it
// with the Err* sentinels through errors.Is, or read the status with
// errors.As:
//
//	var e *vectorpin.Error
//	if errors.As(err, &e) && e.Status.IsVerificationFailure() { ... }
type Error struct {
	// Status is never StatusOK.
	Status Status
	// Offset is the byte offset in the parsed input where the problem was
	// found, or -1.
	Offset int64
	// Message is the library's detail: at most 255 bytes, quoting at most
	// 64 characters of input, with control characters replaced, so it is
	// safe to log.
	Message string

	sentinel bool
	cause    error
}

func (e *Error) Error() string {
	if e.Message == "" {
		return "vectorpin: " + e.Status.String()
	}
	return "vectorpin: " + e.Status.String() + ": " + e.Message
}

// Is makes errors.Is(err, ErrSignatureInvalid) and the like true for every
// error with that status, whatever its message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.sentinel && t.Status == e.Status
}

// Unwrap gives ErrClosed for the errors of a closed handle.
func (e *Error) Unwrap() error { return e.cause }

func sentinel(s Status) *Error { return &Error{Status: s, Offset: -1, sentinel: true} }

// Sentinels, one per status, to compare with errors.Is.
var (
	ErrUnsupportedVersion   = sentinel(StatusUnsupportedVersion)
	ErrUnknownKey           = sentinel(StatusUnknownKey)
	ErrKeyExpired           = sentinel(StatusKeyExpired)
	ErrParseError           = sentinel(StatusParseError)
	ErrSignatureInvalid     = sentinel(StatusSignatureInvalid)
	ErrVectorTampered       = sentinel(StatusVectorTampered)
	ErrSourceMismatch       = sentinel(StatusSourceMismatch)
	ErrModelMismatch        = sentinel(StatusModelMismatch)
	ErrShapeMismatch        = sentinel(StatusShapeMismatch)
	ErrRecordMismatch       = sentinel(StatusRecordMismatch)
	ErrCollectionMismatch   = sentinel(StatusCollectionMismatch)
	ErrTenantMismatch       = sentinel(StatusTenantMismatch)
	ErrInvalidArgument      = sentinel(StatusInvalidArgument)
	ErrInvalidInput         = sentinel(StatusInvalidInput)
	ErrInvalidKey           = sentinel(StatusInvalidKey)
	ErrDuplicateKeyID       = sentinel(StatusDuplicateKeyID)
	ErrBufferTooSmall       = sentinel(StatusBufferTooSmall)
	ErrOutOfMemory          = sentinel(StatusOutOfMemory)
	ErrIOError              = sentinel(StatusIOError)
	ErrFileExists           = sentinel(StatusFileExists)
	ErrInsecurePermissions  = sentinel(StatusInsecurePermissions)
	ErrExternalSignerFailed = sentinel(StatusExternalSignerFailed)
	ErrNotFound             = sentinel(StatusNotFound)
	ErrInternalError        = sentinel(StatusInternalError)
)

// ErrClosed is wrapped by the error of any call on a handle after its Close.
// That error also matches ErrInvalidArgument, the status the C library gives
// for a NULL handle.
var ErrClosed = errors.New("vectorpin: use of a closed handle")

func closedError(what string) error {
	return &Error{Status: StatusInvalidArgument, Offset: -1, Message: what + " used after Close", cause: ErrClosed}
}

// fromC turns a status and the error struct the call filled into an error.
func fromC(st C.vectorpin_status, e *C.vectorpin_error) error {
	if st == C.VECTORPIN_OK {
		return nil
	}
	err := &Error{Status: Status(st), Offset: -1}
	if e != nil {
		err.Offset = int64(e.offset)
		err.Message = C.GoString(&e.message[0])
	}
	return err
}

// misuse reports a mistake found on the Go side before any C call.
func misuse(msg string) error {
	return &Error{Status: StatusInvalidArgument, Offset: -1, Message: msg}
}
