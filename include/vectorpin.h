/*
 * vectorpin.h — the public C interface of libvectorpin.
 *
 * VectorPin binds an embedding vector to its source text and to the model that
 * produced it with an Ed25519-signed JSON attestation (a "pin"), and verifies
 * later that none of them changed. This header is the whole public surface:
 * pure C99, usable from C++ and from every FFI host.
 *
 * Conventions (they hold for every function below):
 *
 *  - Argument order: the handle acted on, then outputs, then inputs, then
 *    options, and last an optional `vectorpin_error*`.
 *  - Text is passed as (pointer, length) in UTF-8; it need not be
 *    NUL-terminated. Vectors are (element pointer, element count). A NULL
 *    pointer with length 0 is an empty input where the function takes one.
 *    For the optional inputs of verification (source, vector) a NULL pointer
 *    means "not supplied"; to supply an empty source pass any non-NULL
 *    pointer with length 0.
 *  - Every fallible function returns a `vectorpin_status`. If the caller
 *    passes a non-NULL `vectorpin_error*`, it is filled on every return (code
 *    OK and an empty message on success). There is no hidden global or
 *    thread-local error state.
 *  - Handles are created through an out parameter and released by a NULL-safe
 *    `*_free`. Memory the library allocates for the caller (`char**` / `uint8_t**`
 *    outputs) is released with `vectorpin_free`.
 *  - Misuse (NULL where a value is required, a wrong buffer size) returns
 *    VECTORPIN_INVALID_ARGUMENT; the library never aborts and no C++
 *    exception crosses this interface.
 *
 * Thread safety: see docs/THREADING.md. In short: a verifier and a signer may
 * be used from many threads at once; adding keys to a verifier or changing
 * its options needs exclusive access; a pin handle is immutable and may be
 * shared; option and expectation builders are single-threaded.
 */
#ifndef VECTORPIN_H
#define VECTORPIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  if defined(VECTORPIN_BUILDING_SHARED)
#    define VECTORPIN_API __declspec(dllexport)
#  elif defined(VECTORPIN_USING_SHARED)
#    define VECTORPIN_API __declspec(dllimport)
#  else
#    define VECTORPIN_API
#  endif
#elif defined(__GNUC__)
#  define VECTORPIN_API __attribute__((visibility("default")))
#else
#  define VECTORPIN_API
#endif

/* ------------------------------------------------------------------------ */
/* Versions and constants                                                    */
/* ------------------------------------------------------------------------ */

#define VECTORPIN_VERSION_MAJOR 0
#define VECTORPIN_VERSION_MINOR 1
#define VECTORPIN_VERSION_PATCH 0
#define VECTORPIN_VERSION_STRING "0.1.0"
/* major * 10000 + minor * 100 + patch */
#define VECTORPIN_VERSION_NUMBER 100
/* Bumped whenever a change breaks binary compatibility; bindings refuse a
 * library whose ABI version differs from the one they were written for. */
#define VECTORPIN_ABI_VERSION 1

/* Protocol version written by default. */
#define VECTORPIN_PROTOCOL_VERSION 2

#define VECTORPIN_PUBLIC_KEY_BYTES 32
#define VECTORPIN_SEED_BYTES 32
#define VECTORPIN_SIGNATURE_BYTES 64
/* "sha256:" + 64 hex digits + NUL */
#define VECTORPIN_HASH_STRING_BUFFER_BYTES 72
/* "xxxx:xxxx:xxxx:xxxx" + NUL */
#define VECTORPIN_FINGERPRINT_BUFFER_BYTES 20
/* "YYYY-MM-DDTHH:MM:SSZ" + NUL */
#define VECTORPIN_TIMESTAMP_BUFFER_BYTES 21
#define VECTORPIN_MAX_PIN_JSON_BYTES 65536
#define VECTORPIN_MAX_VEC_DIM 1048576
#define VECTORPIN_MAX_EXTRA_ENTRIES 32
#define VECTORPIN_MAX_EXTRA_KEY_BYTES 128
#define VECTORPIN_MAX_EXTRA_VALUE_BYTES 1024
#define VECTORPIN_ERROR_MESSAGE_BYTES 256

/* The same values as functions, for hosts that cannot see macros. */
VECTORPIN_API const char *vectorpin_version_string(void);
VECTORPIN_API uint32_t vectorpin_version_number(void);
VECTORPIN_API uint32_t vectorpin_abi_version(void);
VECTORPIN_API uint32_t vectorpin_protocol_version(void);
VECTORPIN_API size_t vectorpin_public_key_bytes(void);
VECTORPIN_API size_t vectorpin_seed_bytes(void);
VECTORPIN_API size_t vectorpin_signature_bytes(void);
VECTORPIN_API size_t vectorpin_hash_string_buffer_bytes(void);
VECTORPIN_API size_t vectorpin_fingerprint_buffer_bytes(void);
VECTORPIN_API size_t vectorpin_timestamp_buffer_bytes(void);
VECTORPIN_API size_t vectorpin_max_pin_json_bytes(void);
VECTORPIN_API size_t vectorpin_max_vec_dim(void);
VECTORPIN_API size_t vectorpin_max_extra_entries(void);
VECTORPIN_API size_t vectorpin_max_extra_key_bytes(void);
VECTORPIN_API size_t vectorpin_max_extra_value_bytes(void);
VECTORPIN_API size_t vectorpin_error_message_bytes(void);

/* ------------------------------------------------------------------------ */
/* Status codes and errors                                                   */
/* ------------------------------------------------------------------------ */

/* Numbers are part of the ABI: never renumbered, never reused.
 * 1..99 are verification outcomes named as in the protocol; 100 and up are
 * errors of the calling program or its environment. */
typedef enum vectorpin_status {
  VECTORPIN_OK = 0,
  VECTORPIN_UNSUPPORTED_VERSION = 1,
  VECTORPIN_UNKNOWN_KEY = 2,
  VECTORPIN_KEY_EXPIRED = 3,
  VECTORPIN_PARSE_ERROR = 4,
  VECTORPIN_SIGNATURE_INVALID = 5,
  VECTORPIN_VECTOR_TAMPERED = 6,
  VECTORPIN_SOURCE_MISMATCH = 7,
  VECTORPIN_MODEL_MISMATCH = 8,
  VECTORPIN_SHAPE_MISMATCH = 9,
  VECTORPIN_RECORD_MISMATCH = 10,
  VECTORPIN_COLLECTION_MISMATCH = 11,
  VECTORPIN_TENANT_MISMATCH = 12,

  VECTORPIN_INVALID_ARGUMENT = 100,   /* API misuse: NULL handle, bad size */
  VECTORPIN_INVALID_INPUT = 101,      /* data a signer or helper refuses */
  VECTORPIN_INVALID_KEY = 102,        /* malformed or weak key material */
  VECTORPIN_DUPLICATE_KEY_ID = 103,   /* kid already registered */
  VECTORPIN_BUFFER_TOO_SMALL = 104,
  VECTORPIN_OUT_OF_MEMORY = 105,
  VECTORPIN_IO_ERROR = 106,
  VECTORPIN_FILE_EXISTS = 107,        /* a key file would be overwritten */
  VECTORPIN_INSECURE_PERMISSIONS = 108, /* private key readable by others */
  VECTORPIN_EXTERNAL_SIGNER_FAILED = 109,
  VECTORPIN_NOT_FOUND = 110,          /* optional field or key absent */
  VECTORPIN_INTERNAL_ERROR = 111
} vectorpin_status;

/* Stable upper-case name ("SIGNATURE_INVALID", ...); never NULL.
 * Unknown numbers give "UNKNOWN_STATUS". */
VECTORPIN_API const char *vectorpin_status_name(int status);

/* 1 if `status` is one of the verification outcomes 1..12, else 0. */
VECTORPIN_API int vectorpin_status_is_verification_failure(int status);

/* Filled by fallible calls when the caller passes one. `message` is
 * NUL-terminated, at most VECTORPIN_ERROR_MESSAGE_BYTES - 1 bytes, never
 * quotes more than 64 characters of input, and has control characters
 * replaced. `offset` is the byte offset in the input where the problem was
 * found, or -1 where none applies. */
typedef struct vectorpin_error {
  int32_t code;
  int32_t reserved;
  int64_t offset;
  char message[VECTORPIN_ERROR_MESSAGE_BYTES];
} vectorpin_error;

/* Releases memory the library allocated for the caller. NULL-safe. */
VECTORPIN_API void vectorpin_free(void *ptr);

/* ------------------------------------------------------------------------ */
/* Element types                                                             */
/* ------------------------------------------------------------------------ */

typedef enum vectorpin_dtype {
  VECTORPIN_DTYPE_DEFAULT = 0, /* in options: the dtype of the input vector */
  VECTORPIN_DTYPE_F32 = 1,
  VECTORPIN_DTYPE_F64 = 2
} vectorpin_dtype;

/* ------------------------------------------------------------------------ */
/* Hashing                                                                   */
/* ------------------------------------------------------------------------ */

/* out <- "sha256:" + hex(SHA-256(UTF-8(NFC(text)))); out_cap >= 72.
 * Invalid UTF-8 gives VECTORPIN_INVALID_INPUT. */
VECTORPIN_API vectorpin_status vectorpin_hash_text(char *out, size_t out_cap,
                                                   const char *text, size_t text_len,
                                                   vectorpin_error *err);

/* out <- hash of the vector's elements cast to `dtype` (F32 or F64),
 * little-endian, packed. NaN, infinities and casts that overflow give
 * VECTORPIN_INVALID_INPUT. An empty vector hashes the empty byte string. */
VECTORPIN_API vectorpin_status vectorpin_hash_vector_f32(char *out, size_t out_cap,
                                                         const float *vector, size_t dim,
                                                         vectorpin_dtype dtype,
                                                         vectorpin_error *err);
VECTORPIN_API vectorpin_status vectorpin_hash_vector_f64(char *out, size_t out_cap,
                                                         const double *vector, size_t dim,
                                                         vectorpin_dtype dtype,
                                                         vectorpin_error *err);

/* Raw SHA-256 of bytes (32 bytes into out; out_len must be >= 32). */
VECTORPIN_API vectorpin_status vectorpin_sha256(uint8_t *out, size_t out_len,
                                                const uint8_t *data, size_t data_len,
                                                vectorpin_error *err);

/* ------------------------------------------------------------------------ */
/* Encoding helpers                                                          */
/* ------------------------------------------------------------------------ */

/* URL-safe base64 without padding. Decoding is strict: padding, '+', '/',
 * whitespace and non-zero trailing bits give VECTORPIN_INVALID_INPUT. */
VECTORPIN_API vectorpin_status vectorpin_base64url_encode(char **out, size_t *out_len,
                                                          const uint8_t *data, size_t data_len,
                                                          vectorpin_error *err);
VECTORPIN_API vectorpin_status vectorpin_base64url_decode(uint8_t **out, size_t *out_len,
                                                          const char *text, size_t text_len,
                                                          vectorpin_error *err);

/* OK if `ts` is exactly YYYY-MM-DDTHH:MM:SSZ and a real UTC date-time
 * (leap years honoured, no leap second), else VECTORPIN_INVALID_INPUT. */
VECTORPIN_API vectorpin_status vectorpin_timestamp_check(const char *ts, size_t ts_len,
                                                         vectorpin_error *err);

/* The current UTC time in canonical form; out_cap >= 21. */
VECTORPIN_API vectorpin_status vectorpin_timestamp_now(char *out, size_t out_cap,
                                                       vectorpin_error *err);

/* ------------------------------------------------------------------------ */
/* Public keys                                                               */
/* ------------------------------------------------------------------------ */

/* Decodes a public key given as raw 32 bytes, as base64url text (43 chars),
 * or as an RFC 8410 SubjectPublicKeyInfo PEM ("PUBLIC KEY"). Small-order,
 * non-canonical and off-curve points give VECTORPIN_INVALID_KEY.
 * out_len must be 32. */
VECTORPIN_API vectorpin_status vectorpin_public_key_decode(uint8_t *out, size_t out_len,
                                                           const uint8_t *data, size_t data_len,
                                                           vectorpin_error *err);

/* "5647:5aa7:5463:474c": first 16 hex digits of SHA-256(public key). */
VECTORPIN_API vectorpin_status vectorpin_public_key_fingerprint(char *out, size_t out_cap,
                                                                const uint8_t *public_key,
                                                                size_t public_key_len,
                                                                vectorpin_error *err);

/* RFC 8410 SubjectPublicKeyInfo PEM text (allocated; vectorpin_free). */
VECTORPIN_API vectorpin_status vectorpin_public_key_pem(char **out, size_t *out_len,
                                                        const uint8_t *public_key,
                                                        size_t public_key_len,
                                                        vectorpin_error *err);

/* ------------------------------------------------------------------------ */
/* Signers                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct vectorpin_signer vectorpin_signer;

/* A fresh key from the operating system's CSPRNG. */
VECTORPIN_API vectorpin_status vectorpin_signer_generate(vectorpin_signer **out_signer,
                                                         const char *kid, size_t kid_len,
                                                         vectorpin_error *err);

/* From a 32-byte Ed25519 seed (seed_len must be 32). The library keeps its
 * own copy; the caller may wipe its buffer afterwards. */
VECTORPIN_API vectorpin_status vectorpin_signer_from_seed(vectorpin_signer **out_signer,
                                                          const char *kid, size_t kid_len,
                                                          const uint8_t *seed, size_t seed_len,
                                                          vectorpin_error *err);

/* From the contents of a private key file: the raw 32-byte seed, or an
 * RFC 8410 PKCS#8 PEM ("PRIVATE KEY"); detected from the content. */
VECTORPIN_API vectorpin_status vectorpin_signer_from_private_key(vectorpin_signer **out_signer,
                                                                 const char *kid, size_t kid_len,
                                                                 const uint8_t *key_data,
                                                                 size_t key_data_len,
                                                                 vectorpin_error *err);

/* Flags for vectorpin_signer_load_file. */
#define VECTORPIN_LOAD_ALLOW_INSECURE_PERMISSIONS 0x1u

/* Reads a private key file (raw or PEM). A file that group or others may
 * read or write is refused with VECTORPIN_INSECURE_PERMISSIONS unless the
 * flag above is given. */
VECTORPIN_API vectorpin_status vectorpin_signer_load_file(vectorpin_signer **out_signer,
                                                          const char *kid, size_t kid_len,
                                                          const char *path, size_t path_len,
                                                          uint32_t flags,
                                                          vectorpin_error *err);

/* Signs `message` into `signature` (64 bytes); returns 0 on success, any
 * other value on failure. Called once per pin, possibly from several
 * threads at once if the signer is shared. */
typedef int (*vectorpin_sign_callback)(void *user_data, uint8_t *signature,
                                       const uint8_t *message, size_t message_len);

/* A signer whose private key lives elsewhere (KMS, HSM). Every signature the
 * callback returns is verified against `public_key` before a pin is
 * emitted, so a faulty or mismatched backend cannot produce bad pins. */
VECTORPIN_API vectorpin_status vectorpin_signer_external(vectorpin_signer **out_signer,
                                                         const char *kid, size_t kid_len,
                                                         const uint8_t *public_key,
                                                         size_t public_key_len,
                                                         vectorpin_sign_callback callback,
                                                         void *user_data,
                                                         vectorpin_error *err);

/* Wipes the key material and releases the signer. NULL-safe. */
VECTORPIN_API void vectorpin_signer_free(vectorpin_signer *signer);

/* The key id (NFC form), valid for the signer's lifetime, NUL-terminated. */
VECTORPIN_API vectorpin_status vectorpin_signer_kid(const vectorpin_signer *signer,
                                                    const char **out, size_t *out_len);

/* 32 bytes; out_len must be >= 32. */
VECTORPIN_API vectorpin_status vectorpin_signer_public_key(const vectorpin_signer *signer,
                                                           uint8_t *out, size_t out_len);

VECTORPIN_API vectorpin_status vectorpin_signer_fingerprint(const vectorpin_signer *signer,
                                                            char *out, size_t out_cap);

/* Flags for vectorpin_signer_save. */
#define VECTORPIN_SAVE_PEM 0x1u

/* Writes `<dir>/<kid>.priv` (0600, created exclusively, never overwritten)
 * and `<dir>/<kid>.pub` (0644), creating `dir` with mode 0700 if missing.
 * Raw 32-byte files by default (the upstream CLI format), PKCS#8 / SPKI PEM
 * with VECTORPIN_SAVE_PEM. Existing files give VECTORPIN_FILE_EXISTS and
 * nothing is written. A kid that is not a safe file name (contains '/', '\\',
 * or starts with '.') gives VECTORPIN_INVALID_INPUT. External signers hold no
 * private key and give VECTORPIN_INVALID_ARGUMENT. */
VECTORPIN_API vectorpin_status vectorpin_signer_save(const vectorpin_signer *signer,
                                                     const char *dir, size_t dir_len,
                                                     uint32_t flags,
                                                     vectorpin_error *err);

/* ------------------------------------------------------------------------ */
/* Pins                                                                      */
/* ------------------------------------------------------------------------ */

typedef struct vectorpin_pin vectorpin_pin;

/* Options for signing; every setting is optional. */
typedef struct vectorpin_pin_options vectorpin_pin_options;

VECTORPIN_API vectorpin_status vectorpin_pin_options_new(vectorpin_pin_options **out_options,
                                                         vectorpin_error *err);
VECTORPIN_API void vectorpin_pin_options_free(vectorpin_pin_options *options);
/* 2 (default) or 1 (legacy). */
VECTORPIN_API vectorpin_status vectorpin_pin_options_set_protocol(vectorpin_pin_options *options,
                                                                  int version,
                                                                  vectorpin_error *err);
/* The dtype the vector is hashed as; DEFAULT = the input's element type. */
VECTORPIN_API vectorpin_status vectorpin_pin_options_set_dtype(vectorpin_pin_options *options,
                                                               vectorpin_dtype dtype,
                                                               vectorpin_error *err);
VECTORPIN_API vectorpin_status vectorpin_pin_options_set_model_hash(vectorpin_pin_options *options,
                                                                    const char *model_hash,
                                                                    size_t model_hash_len,
                                                                    vectorpin_error *err);
/* Canonical YYYY-MM-DDTHH:MM:SSZ; default: the time of signing. */
VECTORPIN_API vectorpin_status vectorpin_pin_options_set_timestamp(vectorpin_pin_options *options,
                                                                   const char *ts, size_t ts_len,
                                                                   vectorpin_error *err);
/* Adds or replaces one `extra` entry. The reserved keys
 * "vectorpin.record_id", "vectorpin.collection_id" and
 * "vectorpin.tenant_id" bind the pin to a record, collection and tenant. */
VECTORPIN_API vectorpin_status vectorpin_pin_options_set_extra(vectorpin_pin_options *options,
                                                               const char *key, size_t key_len,
                                                               const char *value, size_t value_len,
                                                               vectorpin_error *err);

/* Creates a pin. `kid`, `model` and every `extra` key and value are NFC
 * normalized first; the signer then refuses (VECTORPIN_INVALID_INPUT, with a
 * message naming the field) anything a verifier would refuse to parse:
 * control or bidi characters, empty kid or model, an empty vector, more than
 * VECTORPIN_MAX_VEC_DIM elements, NaN or infinity (also after a narrowing
 * cast), a malformed model_hash or timestamp, extra over its limits, a pin
 * over VECTORPIN_MAX_PIN_JSON_BYTES. Invalid UTF-8 in `source` is refused. */
VECTORPIN_API vectorpin_status vectorpin_signer_pin_f32(const vectorpin_signer *signer,
                                                        vectorpin_pin **out_pin,
                                                        const char *source, size_t source_len,
                                                        const char *model, size_t model_len,
                                                        const float *vector, size_t dim,
                                                        const vectorpin_pin_options *options,
                                                        vectorpin_error *err);
VECTORPIN_API vectorpin_status vectorpin_signer_pin_f64(const vectorpin_signer *signer,
                                                        vectorpin_pin **out_pin,
                                                        const char *source, size_t source_len,
                                                        const char *model, size_t model_len,
                                                        const double *vector, size_t dim,
                                                        const vectorpin_pin_options *options,
                                                        vectorpin_error *err);

/* Parses pin JSON with every rule of the protocol's wire form; failures are
 * VECTORPIN_PARSE_ERROR or VECTORPIN_UNSUPPORTED_VERSION (v other than 1 or
 * 2). Parsing does not check the signature: see vectorpin_verify_*. */
VECTORPIN_API vectorpin_status vectorpin_pin_parse(vectorpin_pin **out_pin,
                                                   const char *json, size_t json_len,
                                                   vectorpin_error *err);

VECTORPIN_API void vectorpin_pin_free(vectorpin_pin *pin);

/* The wire form: keys sorted by byte order, no whitespace, raw UTF-8. */
VECTORPIN_API vectorpin_status vectorpin_pin_to_json(const vectorpin_pin *pin,
                                                     char **out, size_t *out_len,
                                                     vectorpin_error *err);

/* The exact bytes the signature covers for the pin's protocol version. */
VECTORPIN_API vectorpin_status vectorpin_pin_signed_bytes(const vectorpin_pin *pin,
                                                          uint8_t **out, size_t *out_len,
                                                          vectorpin_error *err);

typedef enum vectorpin_pin_field {
  VECTORPIN_FIELD_KID = 1,
  VECTORPIN_FIELD_MODEL = 2,
  VECTORPIN_FIELD_MODEL_HASH = 3, /* VECTORPIN_NOT_FOUND when absent */
  VECTORPIN_FIELD_SOURCE_HASH = 4,
  VECTORPIN_FIELD_VEC_HASH = 5,
  VECTORPIN_FIELD_VEC_DTYPE = 6,  /* "f32" or "f64" */
  VECTORPIN_FIELD_TS = 7,
  VECTORPIN_FIELD_SIG = 8         /* base64url text */
} vectorpin_pin_field;

/* Text fields point into the pin (valid while it lives, NUL-terminated;
 * use the length: a legacy v1 extra value may hold U+0000). */
VECTORPIN_API vectorpin_status vectorpin_pin_get(const vectorpin_pin *pin,
                                                 vectorpin_pin_field field,
                                                 const char **out, size_t *out_len);
/* Protocol version (1 or 2); 0 for a NULL pin. */
VECTORPIN_API int vectorpin_pin_version(const vectorpin_pin *pin);
/* VECTORPIN_DTYPE_F32 or _F64; DEFAULT (0) for a NULL pin. */
VECTORPIN_API vectorpin_dtype vectorpin_pin_dtype(const vectorpin_pin *pin);
/* 0 for a NULL pin. */
VECTORPIN_API uint32_t vectorpin_pin_vec_dim(const vectorpin_pin *pin);
/* The raw 64-byte signature; out_len must be >= 64. */
VECTORPIN_API vectorpin_status vectorpin_pin_signature(const vectorpin_pin *pin,
                                                       uint8_t *out, size_t out_len);
VECTORPIN_API size_t vectorpin_pin_extra_count(const vectorpin_pin *pin);
/* Entries in key byte order; index < vectorpin_pin_extra_count(pin). */
VECTORPIN_API vectorpin_status vectorpin_pin_extra_at(const vectorpin_pin *pin, size_t index,
                                                      const char **key, size_t *key_len,
                                                      const char **value, size_t *value_len);
VECTORPIN_API vectorpin_status vectorpin_pin_extra_get(const vectorpin_pin *pin,
                                                       const char **value, size_t *value_len,
                                                       const char *key, size_t key_len);

/* ------------------------------------------------------------------------ */
/* Verifiers                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct vectorpin_verifier vectorpin_verifier;

/* An empty registry that accepts protocol v2 only. */
VECTORPIN_API vectorpin_status vectorpin_verifier_new(vectorpin_verifier **out_verifier,
                                                      vectorpin_error *err);
VECTORPIN_API void vectorpin_verifier_free(vectorpin_verifier *verifier);

/* Registers a 32-byte public key under `kid`. The validity window is
 * [valid_from, valid_until) on the pin's `ts`; pass NULL for an unbounded
 * side, else a canonical timestamp. Weak keys (small order, non-canonical,
 * off curve) give VECTORPIN_INVALID_KEY; a kid already present gives
 * VECTORPIN_DUPLICATE_KEY_ID. Needs exclusive access to the verifier. */
VECTORPIN_API vectorpin_status vectorpin_verifier_add_key(vectorpin_verifier *verifier,
                                                          const char *kid, size_t kid_len,
                                                          const uint8_t *public_key,
                                                          size_t public_key_len,
                                                          const char *valid_from,
                                                          size_t valid_from_len,
                                                          const char *valid_until,
                                                          size_t valid_until_len,
                                                          vectorpin_error *err);

/* Adds every key of a registry document:
 *   { "<kid>": { "public_key": "<base64url or PEM>",
 *                "valid_from": "<ts>" | null, "valid_until": "<ts>" | null }, ... }
 * All or nothing: on any error no key is added. */
VECTORPIN_API vectorpin_status vectorpin_verifier_load_registry(vectorpin_verifier *verifier,
                                                                const char *json, size_t json_len,
                                                                vectorpin_error *err);

/* Accept legacy protocol v1 pins (off by default). Needs exclusive access. */
VECTORPIN_API vectorpin_status vectorpin_verifier_set_legacy_v1(vectorpin_verifier *verifier,
                                                                int enabled);

VECTORPIN_API size_t vectorpin_verifier_key_count(const vectorpin_verifier *verifier);

/* What a caller expects of a pin beyond its signature. */
typedef struct vectorpin_expectations vectorpin_expectations;

typedef enum vectorpin_expectation {
  VECTORPIN_EXPECT_MODEL = 1,
  VECTORPIN_EXPECT_RECORD_ID = 2,     /* extra "vectorpin.record_id" */
  VECTORPIN_EXPECT_COLLECTION_ID = 3, /* extra "vectorpin.collection_id" */
  VECTORPIN_EXPECT_TENANT_ID = 4      /* extra "vectorpin.tenant_id" */
} vectorpin_expectation;

VECTORPIN_API vectorpin_status vectorpin_expectations_new(vectorpin_expectations **out,
                                                          vectorpin_error *err);
VECTORPIN_API void vectorpin_expectations_free(vectorpin_expectations *expectations);
VECTORPIN_API vectorpin_status vectorpin_expectations_set(vectorpin_expectations *expectations,
                                                          vectorpin_expectation which,
                                                          const char *value, size_t value_len,
                                                          vectorpin_error *err);

/* Verifies a pin in the protocol's order; the first failure wins and is
 * the return value (VECTORPIN_OK when every check passed):
 * version accepted, kid known, ts in the key's window, signature, then the
 * vector (if `vector` is not NULL), the source (if `source` is not NULL) and
 * the expectations (if not NULL). */
VECTORPIN_API vectorpin_status vectorpin_verify_f32(const vectorpin_verifier *verifier,
                                                    const vectorpin_pin *pin,
                                                    const char *source, size_t source_len,
                                                    const float *vector, size_t dim,
                                                    const vectorpin_expectations *expectations,
                                                    vectorpin_error *err);
VECTORPIN_API vectorpin_status vectorpin_verify_f64(const vectorpin_verifier *verifier,
                                                    const vectorpin_pin *pin,
                                                    const char *source, size_t source_len,
                                                    const double *vector, size_t dim,
                                                    const vectorpin_expectations *expectations,
                                                    vectorpin_error *err);

/* The same starting from pin JSON (parse errors are outcomes too). */
VECTORPIN_API vectorpin_status vectorpin_verify_json_f32(const vectorpin_verifier *verifier,
                                                         const char *pin_json, size_t pin_json_len,
                                                         const char *source, size_t source_len,
                                                         const float *vector, size_t dim,
                                                         const vectorpin_expectations *expectations,
                                                         vectorpin_error *err);
VECTORPIN_API vectorpin_status vectorpin_verify_json_f64(const vectorpin_verifier *verifier,
                                                         const char *pin_json, size_t pin_json_len,
                                                         const char *source, size_t source_len,
                                                         const double *vector, size_t dim,
                                                         const vectorpin_expectations *expectations,
                                                         vectorpin_error *err);

/* ------------------------------------------------------------------------ */
/* Batch verification                                                        */
/* ------------------------------------------------------------------------ */

/* Two ways to verify many pins on several threads with one verifier:
 *
 *  - vectorpin_verify_batch: the whole batch is in memory; one call, one
 *    result per item in a caller-allocated array.
 *  - vectorpin_batch: a stream (an audit of a store larger than memory).
 *    Submit items one at a time, collect results in submission order,
 *    keeping as many in flight as suits the caller.
 *
 * Both give for each item exactly the status, offset and message that
 * vectorpin_verify_json_f32 / _f64 give for the same inputs, one at a time.
 * Nothing here holds on to caller memory after a call returns, and results
 * come back by polling rather than through callbacks on library threads,
 * so every FFI host can use both forms as they are.
 *
 * The verifier is shared by the worker threads: it must outlive the batch
 * call or handle, and its keys and options must not change meanwhile. */

/* The largest thread count the batch functions accept. */
#define VECTORPIN_BATCH_MAX_THREADS 256
VECTORPIN_API uint32_t vectorpin_batch_max_threads(void);

/* One item of vectorpin_verify_batch: the inputs of vectorpin_verify_json_*
 * as a plain struct. The pointers are only read during the call. */
typedef struct vectorpin_batch_item {
  const char *pin_json;
  size_t pin_json_len;
  const char *source;         /* NULL: not supplied (non-NULL + 0: empty) */
  size_t source_len;
  const void *vector;         /* NULL: not supplied; else `dim` elements */
  size_t dim;
  int32_t vector_dtype;       /* element type of `vector`: VECTORPIN_DTYPE_F32
                                 or _F64; ignored when `vector` is NULL */
  int32_t reserved;           /* must be 0 */
  const vectorpin_expectations *expectations; /* NULL: none */
} vectorpin_batch_item;

/* Verifies items[0..count) into results[0..count) on `threads` threads
 * (0: one per core; 1: only the calling thread; at most
 * VECTORPIN_BATCH_MAX_THREADS). Returns when every item has its result.
 *
 * Returns VECTORPIN_OK once every result is written, whatever the items'
 * outcomes: look at results[i].code (VECTORPIN_OK or the failure, with its
 * message and offset). An item's own misuse (a NULL pointer with a length,
 * an unknown vector_dtype, reserved not 0) makes its result
 * VECTORPIN_INVALID_ARGUMENT and the other items are still verified.
 * VECTORPIN_INVALID_ARGUMENT as the return value means nothing was written:
 * NULL verifier, NULL items or results with count > 0, or too many threads.
 * count 0 is OK and reads nothing. The expectations handles are only read,
 * so one may be shared by many items. */
VECTORPIN_API vectorpin_status vectorpin_verify_batch(const vectorpin_verifier *verifier,
                                                      vectorpin_error *results,
                                                      const vectorpin_batch_item *items,
                                                      size_t count, uint32_t threads,
                                                      vectorpin_error *err);

/* A streaming batch: a pool of worker threads and the queue feeding it. */
typedef struct vectorpin_batch vectorpin_batch;

/* Starts `threads` workers (0: one per core, at most
 * VECTORPIN_BATCH_MAX_THREADS). `verifier` is borrowed (see above). */
VECTORPIN_API vectorpin_status vectorpin_batch_new(vectorpin_batch **out_batch,
                                                   const vectorpin_verifier *verifier,
                                                   uint32_t threads, vectorpin_error *err);

/* Stops the workers and drops results not yet collected. NULL-safe. Needs
 * exclusive access: no other call on the batch may be running. */
VECTORPIN_API void vectorpin_batch_free(vectorpin_batch *batch);

/* Queues one verification, with the inputs of vectorpin_verify_json_*.
 * Everything is copied before the call returns (the expectations too), so
 * the caller may reuse or free its buffers at once. `cookie` is the
 * caller's own tag, handed back with the result. Never blocks on the
 * workers; the number in flight is up to the caller (see _pending).
 * Errors concern the call, never the item: VECTORPIN_INVALID_ARGUMENT (NULL
 * batch, a NULL pointer with a length) or VECTORPIN_OUT_OF_MEMORY, and then
 * nothing was queued. */
VECTORPIN_API vectorpin_status vectorpin_batch_submit_f32(vectorpin_batch *batch, uint64_t cookie,
                                                          const char *pin_json, size_t pin_json_len,
                                                          const char *source, size_t source_len,
                                                          const float *vector, size_t dim,
                                                          const vectorpin_expectations *expectations,
                                                          vectorpin_error *err);
VECTORPIN_API vectorpin_status vectorpin_batch_submit_f64(vectorpin_batch *batch, uint64_t cookie,
                                                          const char *pin_json, size_t pin_json_len,
                                                          const char *source, size_t source_len,
                                                          const double *vector, size_t dim,
                                                          const vectorpin_expectations *expectations,
                                                          vectorpin_error *err);

/* Collects the oldest submitted item's result: its cookie into *out_cookie
 * (may be NULL) and its outcome into *out_result, as vectorpin_verify_json_*
 * would fill its error. Returns VECTORPIN_OK when a result was delivered;
 * VECTORPIN_NOT_FOUND when none is pending, or when `wait` is 0 and the
 * oldest is still being verified (with `wait` non-zero the call blocks
 * until it is done); VECTORPIN_INVALID_ARGUMENT for a NULL batch or
 * out_result. In the last two cases *out_result holds the call's own
 * status, never an item's. */
VECTORPIN_API vectorpin_status vectorpin_batch_next_result(vectorpin_batch *batch, uint64_t *out_cookie,
                                                           vectorpin_error *out_result, int wait);

/* Items submitted and not yet collected; 0 for a NULL batch. */
VECTORPIN_API size_t vectorpin_batch_pending(const vectorpin_batch *batch);

/* The number of worker threads; 0 for a NULL batch. */
VECTORPIN_API uint32_t vectorpin_batch_threads(const vectorpin_batch *batch);

/* Thread safety: submit, next_result and pending may run on different
 * threads at once (a producer feeding while a consumer collects); only
 * vectorpin_batch_free needs the batch to itself. */

#ifdef __cplusplus
}
#endif

#endif /* VECTORPIN_H */
