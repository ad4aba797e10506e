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
 *    options, and last an optional `vectorpin_error*` (every function that
 *    can fail takes one).
 *  - Output names: a new handle is `out_<handle>`; a caller-provided buffer
 *    is `out` with its capacity `out_cap` (too small gives
 *    VECTORPIN_BUFFER_TOO_SMALL); library-owned results are `out` /
 *    `out_len` (or `out_key`, `out_value`, ...), pointing into a handle or
 *    allocated for the caller as documented per function.
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
 *  - Misuse returns VECTORPIN_INVALID_ARGUMENT before any work is done:
 *    NULL for a handle or output the function needs, a NULL pointer with a
 *    non-zero length, an unknown enum value or flag bit, a struct version
 *    the library does not know. The library never aborts and no C++
 *    exception crosses this interface. A test calls every (pointer,
 *    length) pair of every function declared here with (NULL, n > 0).
 *  - Every function returning a vectorpin_status is marked
 *    VECTORPIN_WARN_UNUSED_RESULT: ignoring a status is a bug.
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

/* Compilers that can warn when a status is ignored do so. In C++17 this is
 * [[nodiscard]] (silenced by a cast to void); in C with GCC or Clang the
 * warn_unused_result attribute. */
#if defined(__cplusplus) && __cplusplus >= 201703L
#  define VECTORPIN_WARN_UNUSED_RESULT [[nodiscard]]
#elif defined(__GNUC__) || defined(__clang__)
#  define VECTORPIN_WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#else
#  define VECTORPIN_WARN_UNUSED_RESULT
#endif

/* ------------------------------------------------------------------------ */
/* Versions and constants                                                    */
/* ------------------------------------------------------------------------ */

/* The release version. These three lines are the only place it is written:
 * CMake, the pkg-config file and the package files of the bindings read it
 * from here (a test fails when a copy drifts). */
#define VECTORPIN_VERSION_MAJOR 0
#define VECTORPIN_VERSION_MINOR 1
#define VECTORPIN_VERSION_PATCH 0
#define VECTORPIN_STRINGIFY_(x) #x
#define VECTORPIN_STRINGIFY(x) VECTORPIN_STRINGIFY_(x)
#define VECTORPIN_VERSION_STRING                   \
  VECTORPIN_STRINGIFY(VECTORPIN_VERSION_MAJOR) "." \
  VECTORPIN_STRINGIFY(VECTORPIN_VERSION_MINOR) "." \
  VECTORPIN_STRINGIFY(VECTORPIN_VERSION_PATCH)
/* major * 10000 + minor * 100 + patch */
#define VECTORPIN_VERSION_NUMBER                                                              \
  (VECTORPIN_VERSION_MAJOR * 10000 + VECTORPIN_VERSION_MINOR * 100 + VECTORPIN_VERSION_PATCH)
/* Bumped whenever a change breaks binary compatibility; it is the SONAME's
 * number (libvectorpin.so.2) and bindings refuse a library whose ABI
 * version differs from the one they were written for. Frozen at 1.0. */
#define VECTORPIN_ABI_VERSION 2

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
/* Keys a new verifier prepares at most (vectorpin_verifier_set_prepared_key_limit). */
#define VECTORPIN_DEFAULT_PREPARED_KEY_LIMIT 128

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
VECTORPIN_API size_t vectorpin_default_prepared_key_limit(void);

/* ------------------------------------------------------------------------ */
/* Status codes and errors                                                   */
/* ------------------------------------------------------------------------ */

/* Every status, once: X(NAME, number). Numbers are part of the ABI: never
 * renumbered, never reused. 1..99 are verification outcomes named as in the
 * protocol; 100 and up are errors of the calling program or its
 * environment. The enum below, vectorpin_status_name() and the lists in
 * every binding come from this table (a test fails on drift). */
#define VECTORPIN_STATUS_TABLE(X)                                   \
  X(OK, 0)                                                          \
  X(UNSUPPORTED_VERSION, 1)                                         \
  X(UNKNOWN_KEY, 2)                                                 \
  X(KEY_EXPIRED, 3)                                                 \
  X(PARSE_ERROR, 4)                                                 \
  X(SIGNATURE_INVALID, 5)                                           \
  X(VECTOR_TAMPERED, 6)                                             \
  X(SOURCE_MISMATCH, 7)                                             \
  X(MODEL_MISMATCH, 8)                                              \
  X(SHAPE_MISMATCH, 9)                                              \
  X(RECORD_MISMATCH, 10)                                            \
  X(COLLECTION_MISMATCH, 11)                                        \
  X(TENANT_MISMATCH, 12)                                            \
  X(INVALID_ARGUMENT, 100) /* API misuse: NULL handle, bad size */  \
  X(INVALID_INPUT, 101) /* data a signer or helper refuses */       \
  X(INVALID_KEY, 102) /* malformed or weak key material */          \
  X(DUPLICATE_KEY_ID, 103) /* kid already registered */             \
  X(BUFFER_TOO_SMALL, 104)                                          \
  X(OUT_OF_MEMORY, 105)                                             \
  X(IO_ERROR, 106)                                                  \
  X(FILE_EXISTS, 107) /* a key file would be overwritten */         \
  X(INSECURE_PERMISSIONS, 108) /* private key readable by others */ \
  X(EXTERNAL_SIGNER_FAILED, 109)                                    \
  X(NOT_FOUND, 110) /* optional field or key absent */              \
  X(INTERNAL_ERROR, 111)

/* The first and last verification outcome. */
#define VECTORPIN_FIRST_VERIFICATION_FAILURE 1
#define VECTORPIN_LAST_VERIFICATION_FAILURE 12

#define VECTORPIN_STATUS_ENUMERATOR_(name, number) VECTORPIN_##name = number,
typedef enum vectorpin_status {
  VECTORPIN_STATUS_TABLE(VECTORPIN_STATUS_ENUMERATOR_)
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

/* Every element type, once: X(NAME, number, wire name). The wire name is
 * the pin's `vec_dtype`. */
#define VECTORPIN_DTYPE_TABLE(X) \
  X(F32, 1, "f32")               \
  X(F64, 2, "f64")

#define VECTORPIN_DTYPE_ENUMERATOR_(name, number, wire) VECTORPIN_DTYPE_##name = number,
typedef enum vectorpin_dtype {
  VECTORPIN_DTYPE_DEFAULT = 0, /* in options: the dtype of the input vector */
  VECTORPIN_DTYPE_TABLE(VECTORPIN_DTYPE_ENUMERATOR_)
} vectorpin_dtype;

/* ------------------------------------------------------------------------ */
/* Reserved `extra` keys                                                     */
/* ------------------------------------------------------------------------ */

/* Every reserved key, once: X(NAME, expectation number, key, the status a
 * mismatch gives). A pin binds itself to a record, collection or tenant by
 * carrying the key in `extra`; a verifier checks it against an expectation
 * (vectorpin_expectations_set with VECTORPIN_EXPECT_<NAME>). */
#define VECTORPIN_EXTRA_KEY_TABLE(X)                                            \
  X(RECORD_ID, 2, "vectorpin.record_id", VECTORPIN_RECORD_MISMATCH)             \
  X(COLLECTION_ID, 3, "vectorpin.collection_id", VECTORPIN_COLLECTION_MISMATCH) \
  X(TENANT_ID, 4, "vectorpin.tenant_id", VECTORPIN_TENANT_MISMATCH)

/* ------------------------------------------------------------------------ */
/* Hashing                                                                   */
/* ------------------------------------------------------------------------ */

/* out <- "sha256:" + hex(SHA-256(UTF-8(NFC(text)))); out_cap >= 72.
 * Invalid UTF-8 gives VECTORPIN_INVALID_INPUT. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_hash_text(char *out, size_t out_cap, const char *text, size_t text_len, vectorpin_error *err);

/* out <- hash of the vector's elements cast to `dtype` (F32 or F64),
 * little-endian, packed. NaN, infinities and casts that overflow give
 * VECTORPIN_INVALID_INPUT. An empty vector hashes the empty byte string. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_hash_vector_f32(char *out, size_t out_cap, const float *vector, size_t dim, vectorpin_dtype dtype,
                          vectorpin_error *err);
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_hash_vector_f64(char *out, size_t out_cap, const double *vector, size_t dim, vectorpin_dtype dtype,
                          vectorpin_error *err);

/* Raw SHA-256 of bytes: 32 bytes into out; out_cap >= 32. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_sha256(uint8_t *out, size_t out_cap, const uint8_t *data, size_t data_len, vectorpin_error *err);

/* ------------------------------------------------------------------------ */
/* Encoding helpers                                                          */
/* ------------------------------------------------------------------------ */

/* URL-safe base64 without padding (allocated; vectorpin_free). Decoding is
 * strict: padding, '+', '/', whitespace and non-zero trailing bits give
 * VECTORPIN_INVALID_INPUT. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_base64url_encode(char **out, size_t *out_len, const uint8_t *data, size_t data_len, vectorpin_error *err);
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_base64url_decode(uint8_t **out, size_t *out_len, const char *text, size_t text_len, vectorpin_error *err);

/* OK if `ts` is exactly YYYY-MM-DDTHH:MM:SSZ and a real UTC date-time
 * (leap years honoured, no leap second), else VECTORPIN_INVALID_INPUT. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_timestamp_check(const char *ts, size_t ts_len, vectorpin_error *err);

/* The current UTC time in canonical form; out_cap >= 21. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_timestamp_now(char *out, size_t out_cap, vectorpin_error *err);

/* ------------------------------------------------------------------------ */
/* Public keys                                                               */
/* ------------------------------------------------------------------------ */

/* Decodes a public key given as raw 32 bytes, as base64url text (43 chars),
 * or as an RFC 8410 SubjectPublicKeyInfo PEM ("PUBLIC KEY") into 32 bytes
 * at out; out_cap >= 32. Small-order, non-canonical and off-curve points
 * give VECTORPIN_INVALID_KEY. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_public_key_decode(uint8_t *out, size_t out_cap, const uint8_t *data, size_t data_len,
                            vectorpin_error *err);

/* "5647:5aa7:5463:474c": first 16 hex digits of SHA-256(public key);
 * out_cap >= 20. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_public_key_fingerprint(char *out, size_t out_cap, const uint8_t *public_key, size_t public_key_len,
                                 vectorpin_error *err);

/* RFC 8410 SubjectPublicKeyInfo PEM text (allocated; vectorpin_free). */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_public_key_pem(char **out, size_t *out_len, const uint8_t *public_key, size_t public_key_len,
                         vectorpin_error *err);

/* ------------------------------------------------------------------------ */
/* Signers                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct vectorpin_signer vectorpin_signer;

/* A fresh key from the operating system's CSPRNG. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_signer_generate(vectorpin_signer **out_signer, const char *kid, size_t kid_len, vectorpin_error *err);

/* From a 32-byte Ed25519 seed (seed_len must be 32). The library keeps its
 * own copy; the caller may wipe its buffer afterwards. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_signer_from_seed(vectorpin_signer **out_signer, const char *kid, size_t kid_len, const uint8_t *seed,
                           size_t seed_len, vectorpin_error *err);

/* From the contents of a private key file: the raw 32-byte seed, or an
 * RFC 8410 PKCS#8 PEM ("PRIVATE KEY"); detected from the content. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_signer_from_private_key(vectorpin_signer **out_signer, const char *kid, size_t kid_len,
                                  const uint8_t *key_data, size_t key_data_len, vectorpin_error *err);

/* Flags for vectorpin_signer_load_file. */
#define VECTORPIN_LOAD_ALLOW_INSECURE_PERMISSIONS 0x1u

/* Reads a private key file (raw or PEM). A file that group or others may
 * read or write is refused with VECTORPIN_INSECURE_PERMISSIONS unless the
 * flag above is given. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_signer_load_file(vectorpin_signer **out_signer, const char *kid, size_t kid_len, const char *path,
                           size_t path_len, uint32_t flags, vectorpin_error *err);

/* Signs `message` into `signature` (64 bytes); returns 0 on success, any
 * other value on failure. Called once per pin, possibly from several
 * threads at once if the signer is shared. */
typedef int (*vectorpin_sign_callback)(void *user_data, uint8_t *signature,
                                       const uint8_t *message, size_t message_len);

/* A signer whose private key lives elsewhere (KMS, HSM). Every signature the
 * callback returns is verified against `public_key` before a pin is
 * emitted, so a faulty or mismatched backend cannot produce bad pins.
 * `user_data` is handed to the callback as it is (may be NULL). */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_signer_external(vectorpin_signer **out_signer, const char *kid, size_t kid_len,
                          const uint8_t *public_key, size_t public_key_len, vectorpin_sign_callback callback,
                          void *user_data, vectorpin_error *err);

/* Wipes the key material and releases the signer. NULL-safe. */
VECTORPIN_API void vectorpin_signer_free(vectorpin_signer *signer);

/* The key id (NFC form), valid for the signer's lifetime, NUL-terminated. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_signer_kid(const vectorpin_signer *signer, const char **out, size_t *out_len, vectorpin_error *err);

/* The 32-byte public key; out_cap >= 32. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_signer_public_key(const vectorpin_signer *signer, uint8_t *out, size_t out_cap, vectorpin_error *err);

/* The public key's fingerprint (see above); out_cap >= 20. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_signer_fingerprint(const vectorpin_signer *signer, char *out, size_t out_cap, vectorpin_error *err);

/* Flags for vectorpin_signer_save. */
#define VECTORPIN_SAVE_PEM 0x1u

/* Writes `<dir>/<kid>.priv` (0600, created exclusively, never overwritten)
 * and `<dir>/<kid>.pub` (0644), creating `dir` with mode 0700 if missing.
 * Raw 32-byte files by default (the upstream CLI format), PKCS#8 / SPKI PEM
 * with VECTORPIN_SAVE_PEM. Existing files give VECTORPIN_FILE_EXISTS and
 * nothing is written. A kid that is not a safe file name (contains '/', '\\',
 * or starts with '.') gives VECTORPIN_INVALID_INPUT. External signers hold no
 * private key and give VECTORPIN_INVALID_ARGUMENT. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_signer_save(const vectorpin_signer *signer, const char *dir, size_t dir_len, uint32_t flags,
                      vectorpin_error *err);

/* ------------------------------------------------------------------------ */
/* Pins                                                                      */
/* ------------------------------------------------------------------------ */

typedef struct vectorpin_pin vectorpin_pin;

/* Options for signing; every setting is optional. */
typedef struct vectorpin_pin_options vectorpin_pin_options;

VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_pin_options_new(vectorpin_pin_options **out_options, vectorpin_error *err);
VECTORPIN_API void vectorpin_pin_options_free(vectorpin_pin_options *options);
/* 2 (default) or 1 (legacy). */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_pin_options_set_protocol(vectorpin_pin_options *options, int version, vectorpin_error *err);
/* The dtype the vector is hashed as; DEFAULT = the input's element type. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_pin_options_set_dtype(vectorpin_pin_options *options, vectorpin_dtype dtype, vectorpin_error *err);
/* "sha256:<64 hex>" (checked when signing). (NULL, 0) removes it again. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_pin_options_set_model_hash(vectorpin_pin_options *options, const char *model_hash,
                                     size_t model_hash_len, vectorpin_error *err);
/* Canonical YYYY-MM-DDTHH:MM:SSZ (checked when signing); default: the time
 * of signing. (NULL, 0) restores the default. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_pin_options_set_timestamp(vectorpin_pin_options *options, const char *ts, size_t ts_len,
                                    vectorpin_error *err);
/* Adds or replaces one `extra` entry. The reserved keys of
 * VECTORPIN_EXTRA_KEY_TABLE bind the pin to a record, collection and
 * tenant. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_pin_options_set_extra(vectorpin_pin_options *options, const char *key, size_t key_len, const char *value,
                                size_t value_len, vectorpin_error *err);

/* Creates a pin. `kid`, `model` and every `extra` key and value are NFC
 * normalized first; the signer then refuses (VECTORPIN_INVALID_INPUT, with a
 * message naming the field) anything a verifier would refuse to parse:
 * control or bidi characters, empty kid or model, an empty vector, more than
 * VECTORPIN_MAX_VEC_DIM elements, NaN or infinity (also after a narrowing
 * cast), a malformed model_hash or timestamp, extra over its limits, a pin
 * over VECTORPIN_MAX_PIN_JSON_BYTES. Invalid UTF-8 in `source` is refused.
 * `options` may be NULL (all defaults). */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_signer_pin_f32(const vectorpin_signer *signer, vectorpin_pin **out_pin, const char *source,
                         size_t source_len, const char *model, size_t model_len, const float *vector, size_t dim,
                         const vectorpin_pin_options *options, vectorpin_error *err);
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_signer_pin_f64(const vectorpin_signer *signer, vectorpin_pin **out_pin, const char *source,
                         size_t source_len, const char *model, size_t model_len, const double *vector, size_t dim,
                         const vectorpin_pin_options *options, vectorpin_error *err);

/* Parses pin JSON with every rule of the protocol's wire form; failures are
 * VECTORPIN_PARSE_ERROR or VECTORPIN_UNSUPPORTED_VERSION (v other than 1 or
 * 2). Parsing does not check the signature: see vectorpin_verify_*. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_pin_parse(vectorpin_pin **out_pin, const char *json, size_t json_len, vectorpin_error *err);

VECTORPIN_API void vectorpin_pin_free(vectorpin_pin *pin);

/* The wire form: keys sorted by byte order, no whitespace, raw UTF-8
 * (allocated; vectorpin_free). */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_pin_to_json(const vectorpin_pin *pin, char **out, size_t *out_len, vectorpin_error *err);

/* The exact bytes the signature covers for the pin's protocol version
 * (allocated; vectorpin_free). */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_pin_signed_bytes(const vectorpin_pin *pin, uint8_t **out, size_t *out_len, vectorpin_error *err);

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

/* A text field. It points into the pin (valid while it lives,
 * NUL-terminated; use the length: a legacy v1 extra value may hold
 * U+0000). */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_pin_get(const vectorpin_pin *pin, const char **out, size_t *out_len, vectorpin_pin_field field,
                  vectorpin_error *err);
/* Protocol version (1 or 2); 0 for a NULL pin. */
VECTORPIN_API int vectorpin_pin_version(const vectorpin_pin *pin);
/* VECTORPIN_DTYPE_F32 or _F64; DEFAULT (0) for a NULL pin. */
VECTORPIN_API vectorpin_dtype vectorpin_pin_dtype(const vectorpin_pin *pin);
/* 0 for a NULL pin. */
VECTORPIN_API uint32_t vectorpin_pin_vec_dim(const vectorpin_pin *pin);
/* The raw 64-byte signature; out_cap >= 64. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_pin_signature(const vectorpin_pin *pin, uint8_t *out, size_t out_cap, vectorpin_error *err);
/* 0 for a NULL pin. */
VECTORPIN_API size_t vectorpin_pin_extra_count(const vectorpin_pin *pin);
/* Entries in key byte order; index < vectorpin_pin_extra_count(pin), else
 * VECTORPIN_NOT_FOUND. Both texts point into the pin. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_pin_extra_at(const vectorpin_pin *pin, const char **out_key, size_t *out_key_len, const char **out_value,
                       size_t *out_value_len, size_t index, vectorpin_error *err);
/* The value stored under `key`, or VECTORPIN_NOT_FOUND. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_pin_extra_get(const vectorpin_pin *pin, const char **out_value, size_t *out_value_len, const char *key,
                        size_t key_len, vectorpin_error *err);

/* ------------------------------------------------------------------------ */
/* Verifiers                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct vectorpin_verifier vectorpin_verifier;

/* An empty registry that accepts protocol v2 only. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_verifier_new(vectorpin_verifier **out_verifier, vectorpin_error *err);
VECTORPIN_API void vectorpin_verifier_free(vectorpin_verifier *verifier);

/* Registers a 32-byte public key under `kid`. The validity window is
 * [valid_from, valid_until) on the pin's `ts`; pass (NULL, 0) for an
 * unbounded side, else a canonical timestamp. Weak keys (small order,
 * non-canonical, off curve) give VECTORPIN_INVALID_KEY; a kid already
 * present gives VECTORPIN_DUPLICATE_KEY_ID. Needs exclusive access to the
 * verifier. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_verifier_add_key(vectorpin_verifier *verifier, const char *kid, size_t kid_len, const uint8_t *public_key,
                           size_t public_key_len, const char *valid_from, size_t valid_from_len,
                           const char *valid_until, size_t valid_until_len, vectorpin_error *err);

/* Adds every key of a registry document:
 *   { "<kid>": { "public_key": "<base64url or PEM>",
 *                "valid_from": "<ts>" | null, "valid_until": "<ts>" | null }, ... }
 * All or nothing: on any error no key is added. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_verifier_load_registry(vectorpin_verifier *verifier, const char *json, size_t json_len,
                                 vectorpin_error *err);

/* Accept legacy protocol v1 pins (off by default). Needs exclusive access. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_verifier_set_legacy_v1(vectorpin_verifier *verifier, int enabled, vectorpin_error *err);

/* 0 for a NULL verifier. */
VECTORPIN_API size_t vectorpin_verifier_key_count(const vectorpin_verifier *verifier);

/* Prepared keys. A key's first verification builds its table of multiples
 * (vectorpin_prepared_key_bytes() each, kept until the verifier is freed),
 * which makes later verifications under it several times faster; once
 * `limit` keys of this verifier are prepared, other keys verify without a
 * table, with the same answers, more slowly. The default is
 * VECTORPIN_DEFAULT_PREPARED_KEY_LIMIT; 0 prepares none. A limit applies to
 * tables built after it is set: lowering it frees nothing already built.
 * Safe while other threads verify with the verifier. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_verifier_set_prepared_key_limit(vectorpin_verifier *verifier, size_t limit, vectorpin_error *err);
/* The limit (0 for a NULL verifier). */
VECTORPIN_API size_t vectorpin_verifier_prepared_key_limit(const vectorpin_verifier *verifier);
/* Keys prepared so far, at most the limit in force when each was built
 * (0 for a NULL verifier). */
VECTORPIN_API size_t vectorpin_verifier_prepared_key_count(const vectorpin_verifier *verifier);
/* The memory one prepared key takes, in bytes (146,120 on 64-bit hosts). */
VECTORPIN_API size_t vectorpin_prepared_key_bytes(void);

/* What a caller expects of a pin beyond its signature. */
typedef struct vectorpin_expectations vectorpin_expectations;

/* The model, and one value per reserved extra key (see
 * VECTORPIN_EXTRA_KEY_TABLE): VECTORPIN_EXPECT_RECORD_ID = 2, ... */
#define VECTORPIN_EXPECTATION_ENUMERATOR_(name, number, key, status) VECTORPIN_EXPECT_##name = number,
typedef enum vectorpin_expectation {
  VECTORPIN_EXPECT_MODEL = 1,
  VECTORPIN_EXTRA_KEY_TABLE(VECTORPIN_EXPECTATION_ENUMERATOR_)
} vectorpin_expectation;

VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_expectations_new(vectorpin_expectations **out_expectations, vectorpin_error *err);
VECTORPIN_API void vectorpin_expectations_free(vectorpin_expectations *expectations);
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_expectations_set(vectorpin_expectations *expectations, vectorpin_expectation which, const char *value,
                           size_t value_len, vectorpin_error *err);

/* Verifies a pin in the protocol's order; the first failure wins and is
 * the return value (VECTORPIN_OK when every check passed):
 * version accepted, kid known, ts in the key's window, signature, then the
 * vector (if `vector` is not NULL), the source (if `source` is not NULL) and
 * the expectations (if not NULL). */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_verify_f32(const vectorpin_verifier *verifier, const vectorpin_pin *pin, const char *source,
                     size_t source_len, const float *vector, size_t dim, const vectorpin_expectations *expectations,
                     vectorpin_error *err);
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_verify_f64(const vectorpin_verifier *verifier, const vectorpin_pin *pin, const char *source,
                     size_t source_len, const double *vector, size_t dim, const vectorpin_expectations *expectations,
                     vectorpin_error *err);

/* The same starting from pin JSON (parse errors are outcomes too). */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_verify_json_f32(const vectorpin_verifier *verifier, const char *pin_json, size_t pin_json_len,
                          const char *source, size_t source_len, const float *vector, size_t dim,
                          const vectorpin_expectations *expectations, vectorpin_error *err);
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_verify_json_f64(const vectorpin_verifier *verifier, const char *pin_json, size_t pin_json_len,
                          const char *source, size_t source_len, const double *vector, size_t dim,
                          const vectorpin_expectations *expectations, vectorpin_error *err);

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
 * as a plain struct. The pointers are only read during the call.
 *
 * The struct can grow in later releases: `version` says which layout the
 * caller compiled against. Start every item from VECTORPIN_BATCH_ITEM_INIT
 * (or set version to VECTORPIN_BATCH_ITEM_VERSION and the rest to zero).
 * Every item of one call must carry the same version; the library reads the
 * array with that version's size and refuses versions it does not know. */
#define VECTORPIN_BATCH_ITEM_VERSION 1
typedef struct vectorpin_batch_item {
  uint32_t version;           /* VECTORPIN_BATCH_ITEM_VERSION */
  int32_t vector_dtype;       /* element type of `vector`: VECTORPIN_DTYPE_F32
                                 or _F64; ignored when `vector` is NULL */
  const char *pin_json;
  size_t pin_json_len;
  const char *source;         /* NULL: not supplied (non-NULL + 0: empty) */
  size_t source_len;
  const void *vector;         /* NULL: not supplied; else `dim` elements */
  size_t dim;
  const vectorpin_expectations *expectations; /* NULL: none */
} vectorpin_batch_item;
#define VECTORPIN_BATCH_ITEM_INIT {VECTORPIN_BATCH_ITEM_VERSION, 0, NULL, 0, NULL, 0, NULL, 0, NULL}

/* Verifies items[0..count) into results[0..count) on `threads` threads
 * (0: one per core; 1: only the calling thread; at most
 * VECTORPIN_BATCH_MAX_THREADS). Returns when every item has its result.
 *
 * Returns VECTORPIN_OK once every result is written, whatever the items'
 * outcomes: look at results[i].code (VECTORPIN_OK or the failure, with its
 * message and offset). An item's own misuse (a NULL pointer with a length,
 * an unknown vector_dtype, a version other than the first item's) makes its
 * result VECTORPIN_INVALID_ARGUMENT and the other items are still verified.
 * VECTORPIN_INVALID_ARGUMENT as the return value means nothing was written:
 * NULL verifier, NULL items or results with count > 0, an unknown version
 * in items[0], or too many threads. count 0 is OK and reads nothing. The
 * expectations handles are only read, so one may be shared by many items. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_verify_batch(const vectorpin_verifier *verifier, vectorpin_error *results,
                       const vectorpin_batch_item *items, size_t count, uint32_t threads, vectorpin_error *err);

/* A streaming batch: a pool of worker threads and the queue feeding it. */
typedef struct vectorpin_batch vectorpin_batch;

/* Starts `threads` workers (0: one per core, at most
 * VECTORPIN_BATCH_MAX_THREADS). `verifier` is borrowed (see above). */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_batch_new(vectorpin_batch **out_batch, const vectorpin_verifier *verifier, uint32_t threads,
                    vectorpin_error *err);

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
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_batch_submit_f32(vectorpin_batch *batch, uint64_t cookie, const char *pin_json, size_t pin_json_len,
                           const char *source, size_t source_len, const float *vector, size_t dim,
                           const vectorpin_expectations *expectations, vectorpin_error *err);
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_batch_submit_f64(vectorpin_batch *batch, uint64_t cookie, const char *pin_json, size_t pin_json_len,
                           const char *source, size_t source_len, const double *vector, size_t dim,
                           const vectorpin_expectations *expectations, vectorpin_error *err);

/* Collects the oldest submitted item's result: its cookie into *out_cookie
 * (may be NULL) and its outcome into *out_result, as vectorpin_verify_json_*
 * would fill its error. Returns VECTORPIN_OK when a result was delivered;
 * VECTORPIN_NOT_FOUND when none is pending, or when `wait` is 0 and the
 * oldest is still being verified (with `wait` non-zero the call blocks
 * until it is done); VECTORPIN_INVALID_ARGUMENT for a NULL batch or
 * out_result. The call's own status and message go to `err` like every
 * other call's; *out_result is only written when a result is delivered. */
VECTORPIN_WARN_UNUSED_RESULT VECTORPIN_API vectorpin_status
vectorpin_batch_next_result(vectorpin_batch *batch, uint64_t *out_cookie, vectorpin_error *out_result, int wait,
                            vectorpin_error *err);

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
