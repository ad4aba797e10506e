// Package vectorpin binds an embedding vector to its source text and to the
// model that produced it with an Ed25519-signed JSON attestation (a "pin"),
// and verifies later that none of them changed.
//
// It is a thin cgo layer over libvectorpin's C ABI: every protocol rule
// (hashing, canonical bytes, parsing, verification order) lives in the C
// library, so pins made or checked here are the same as in every other
// language.
//
// # Use
//
// A Signer makes pins; a Verifier holds the public keys and checks pins;
// a Pin is a parsed or freshly made pin. Verification failures are error
// values that match the Err* sentinels with errors.Is (ErrSignatureInvalid,
// ErrVectorTampered, ErrRecordMismatch, ...), and every error is an *Error
// carrying the library's Status, byte offset and a message that is safe to
// log.
//
// # Resources and concurrency
//
// Signer, Verifier and Pin wrap native handles. Close them when done
// (closing twice is harmless, using one after Close returns an error
// wrapping ErrClosed); a finalizer frees a forgotten handle, but only
// whenever the garbage collector gets to it, and a Signer's key is wiped on
// Close. All three are safe for concurrent use: many goroutines may sign
// with one Signer and verify with one Verifier at the same time; adding
// keys to a Verifier waits for the verifications in progress.
//
// Many pins at once: Verifier.VerifyBatch verifies a slice of items on
// native threads and returns one result per item; Verifier.NewBatch starts a
// streaming Batch for audits larger than memory (Submit, then Next in
// submission order). Each result equals what VerifyJSON gives for the item.
//
// Vectors ([]float32, []float64) and text are handed to the library in
// place, without copying (VerifyBatch is the exception: it copies its items
// once into native memory, see its documentation). A nil vector or nil Input.Source means "not
// supplied"; an empty non-nil one is supplied and checked.
//
// # Linking
//
// By default the package links -lvectorpin and takes the header and
// library locations from the environment:
//
//	CGO_CFLAGS="-I/path/to/include" \
//	CGO_LDFLAGS="-L/path/to/lib -Wl,-rpath,/path/to/lib" go build
//
// With the library installed where pkg-config finds vectorpin.pc, build
// with -tags vectorpin_pkgconfig instead. With -tags vectorpin_static the
// program links libvectorpin.a (found through CGO_LDFLAGS=-L...) and needs
// only libsodium and libutf8proc at run time; with both tags,
// -tags vectorpin_static,vectorpin_pkgconfig, the archive's flags come from
// the installed vectorpin-static.pc.
//
// At load the package compares the library's vectorpin_abi_version() with
// ABIVersion and panics with a message naming both if they differ: a
// library of another ABI cannot be called safely at all, and a mismatch is
// a deployment mistake best caught when the program starts.
package vectorpin
