// The C ABI: the only translation unit whose symbols are exported. Every
// entry point validates its arguments, converts between C and the core's
// types, and keeps C++ exceptions from crossing into the caller.
#include <cstdlib>
#include <cstring>
#include <new>

#include <sodium.h>

#include "base64.hpp"
#include "hashing.hpp"
#include "key_encoding.hpp"
#include "key_files.hpp"
#include "pin.hpp"
#include "sha256.hpp"
#include "signer.hpp"
#include "timestamp.hpp"
#include "verifier.hpp"
#include "vectorpin.h"

struct vectorpin_signer {
  vectorpin::Signer* impl;
};
struct vectorpin_pin {
  vectorpin::Pin pin;
  std::string sig_text;  // base64url of the signature, for vectorpin_pin_get
};
struct vectorpin_verifier {
  vectorpin::Verifier impl;
};
struct vectorpin_pin_options {
  vectorpin::PinOptions impl;
};
struct vectorpin_expectations {
  vectorpin::Expectations impl;
};

namespace {

using vectorpin::Error;
using vectorpin::Status;

// libsodium must be initialised once before use; a function-local static is
// initialised exactly once even under concurrent first calls.
bool crypto_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

void clear_error(vectorpin_error* out) {
  if (out == nullptr) return;
  out->code = VECTORPIN_OK;
  out->reserved = 0;
  out->offset = -1;
  out->message[0] = '\0';
}

// Fills `out`, cutting the message at a UTF-8 boundary. Never allocates, so
// it is safe inside a catch (std::bad_alloc) and on worker threads.
Status write_error(vectorpin_error* out, Status code, int64_t offset, const char* message, size_t n) {
  if (out == nullptr) return code;
  out->code = code;
  out->reserved = 0;
  out->offset = code == VECTORPIN_OK ? -1 : offset;
  if (n > VECTORPIN_ERROR_MESSAGE_BYTES - 1) {
    n = VECTORPIN_ERROR_MESSAGE_BYTES - 1;
    while (n > 0 && (static_cast<unsigned char>(message[n]) & 0xc0) == 0x80) --n;
  }
  if (n != 0) std::memcpy(out->message, message, n);
  out->message[n] = '\0';
  return code;
}

Status report(vectorpin_error* out, const Error& e) {
  return write_error(out, e.code, e.offset, e.message.data(), e.message.size());
}

Status report(vectorpin_error* out, Status code, const char* message) {
  return write_error(out, code, -1, message, std::strlen(message));
}

Status misuse(vectorpin_error* out, const char* message) { return report(out, VECTORPIN_INVALID_ARGUMENT, message); }

// Runs `body` (returning Status, filling Error) with exceptions contained.
template <typename F>
Status guarded(vectorpin_error* out, F&& body) {
  clear_error(out);
  if (!crypto_ready()) return report(out, VECTORPIN_INTERNAL_ERROR, "libsodium failed to initialise");
  try {
    Error e;
    Status st = body(e);
    e.code = st;  // the body's return value is authoritative
    return report(out, e);
  } catch (const std::bad_alloc&) {
    return report(out, VECTORPIN_OUT_OF_MEMORY, "out of memory");
  } catch (...) {
    return report(out, VECTORPIN_INTERNAL_ERROR, "internal error");
  }
}

// A (pointer, length) text argument is valid if the pointer is non-NULL or
// the length is zero.
bool valid_span(const void* p, size_t len) { return p != nullptr || len == 0; }

std::string_view view(const char* p, size_t len) { return len == 0 ? std::string_view() : std::string_view(p, len); }

template <typename T>
Status copy_out(const T& data, char** out, size_t* out_len) {
  char* buf = static_cast<char*>(std::malloc(data.size() + 1));
  if (buf == nullptr) return VECTORPIN_OUT_OF_MEMORY;
  if (!data.empty()) std::memcpy(buf, data.data(), data.size());
  buf[data.size()] = '\0';
  *out = buf;
  *out_len = data.size();
  return VECTORPIN_OK;
}

// An enum argument from C may hold any int; in C++ merely reading an enum
// object whose value is outside the enumeration's range is undefined, so
// entry points copy the raw bits out before looking at them.
template <typename E>
int enum_bits(const E& e) {
  static_assert(sizeof(E) == sizeof(int), "C enums are int-sized here");
  int v;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

Status to_dtype(int d, vectorpin::Dtype& out) {
  if (d == VECTORPIN_DTYPE_F32) out = vectorpin::Dtype::F32;
  else if (d == VECTORPIN_DTYPE_F64) out = vectorpin::Dtype::F64;
  else return VECTORPIN_INVALID_ARGUMENT;
  return VECTORPIN_OK;
}

// Copies NUL-terminated text into a caller buffer of `cap` bytes.
Status write_text(char* out, size_t cap, const std::string& h, Error& e) {
  if (cap < h.size() + 1)
    return vectorpin::fail(e, VECTORPIN_BUFFER_TOO_SMALL, "output buffer needs " + std::to_string(h.size() + 1) + " bytes");
  std::memcpy(out, h.c_str(), h.size() + 1);
  return VECTORPIN_OK;
}

// A digest's hash string into a caller buffer; write_text's contract
// without the temporary string (these calls are measured against raw
// SHA-256, where an allocation shows).
Status write_hash(char* out, size_t cap, const vectorpin::Sha256Digest& digest, Error& e) {
  constexpr size_t kBytes = vectorpin::kHashStringLength + 1;
  if (cap < kBytes)
    return vectorpin::fail(e, VECTORPIN_BUFFER_TOO_SMALL, "output buffer needs " + std::to_string(kBytes) + " bytes");
  vectorpin::hash_string_to(digest, out);
  out[vectorpin::kHashStringLength] = '\0';
  return VECTORPIN_OK;
}

template <typename T>
Status hash_vector_c(char* out, size_t cap, const T* v, size_t dim, int dtype, vectorpin_error* err) {
  if (out == nullptr || !valid_span(v, dim)) return misuse(err, "NULL output or vector");
  return guarded(err, [&](Error& e) {
    vectorpin::Dtype d;
    if (to_dtype(dtype, d) != VECTORPIN_OK) return vectorpin::fail(e, VECTORPIN_INVALID_ARGUMENT, "dtype must be F32 or F64");
    vectorpin::Sha256Digest digest;
    Status st = vectorpin::hash_vector(v, dim, d, digest, e);
    if (st != VECTORPIN_OK) return st;
    return write_hash(out, cap, digest, e);
  });
}

template <typename T>
Status signer_pin_c(const vectorpin_signer* signer, vectorpin_pin** out_pin, const char* source, size_t source_len,
                    const char* model, size_t model_len, const T* vector, size_t dim, vectorpin::Dtype input,
                    const vectorpin_pin_options* options, vectorpin_error* err) {
  if (out_pin != nullptr) *out_pin = nullptr;
  if (signer == nullptr || out_pin == nullptr) return misuse(err, "NULL signer or output");
  if (!valid_span(source, source_len) || !valid_span(model, model_len) || !valid_span(vector, dim))
    return misuse(err, "NULL pointer with non-zero length");
  return guarded(err, [&](Error& e) {
    static const vectorpin::PinOptions kDefaults;
    auto* p = new vectorpin_pin();
    Status st = signer->impl->pin(view(source, source_len), view(model, model_len), vector, dim, input,
                                  options ? options->impl : kDefaults, p->pin, e);
    if (st != VECTORPIN_OK) {
      delete p;
      return st;
    }
    p->sig_text = vectorpin::base64url_encode(p->pin.sig.data(), p->pin.sig.size());
    *out_pin = p;
    return st;
  });
}

template <typename T>
Status verify_c(const vectorpin_verifier* verifier, const vectorpin::Pin& pin, const char* source, size_t source_len,
                const T* vector, size_t dim, const vectorpin_expectations* expectations, Error& e) {
  vectorpin::VerifyInputs in;
  in.source = source;
  in.source_len = source_len;
  if constexpr (std::is_same_v<T, float>) in.vector_f32 = vector;
  else in.vector_f64 = vector;
  in.dim = dim;
  in.expectations = expectations ? &expectations->impl : nullptr;
  return verifier->impl.verify(pin, in, e);
}

template <typename T>
Status verify_pin_c(const vectorpin_verifier* verifier, const vectorpin_pin* pin, const char* source,
                    size_t source_len, const T* vector, size_t dim, const vectorpin_expectations* expectations,
                    vectorpin_error* err) {
  if (verifier == nullptr || pin == nullptr) return misuse(err, "NULL verifier or pin");
  if (source == nullptr && source_len != 0) return misuse(err, "NULL source with non-zero length");
  if (vector == nullptr && dim != 0) return misuse(err, "NULL vector with non-zero length");
  return guarded(err, [&](Error& e) {
    return verify_c(verifier, pin->pin, source, source_len, vector, dim, expectations, e);
  });
}

template <typename T>
Status verify_json_c(const vectorpin_verifier* verifier, const char* json, size_t json_len, const char* source,
                     size_t source_len, const T* vector, size_t dim, const vectorpin_expectations* expectations,
                     vectorpin_error* err) {
  if (verifier == nullptr || !valid_span(json, json_len)) return misuse(err, "NULL verifier or pin JSON");
  if (source == nullptr && source_len != 0) return misuse(err, "NULL source with non-zero length");
  if (vector == nullptr && dim != 0) return misuse(err, "NULL vector with non-zero length");
  return guarded(err, [&](Error& e) {
    vectorpin::Pin pin;
    Status st = vectorpin::parse_pin(view(json, json_len), pin, e);
    if (st != VECTORPIN_OK) return st;
    return verify_c(verifier, pin, source, source_len, vector, dim, expectations, e);
  });
}

Status make_signer(vectorpin_signer** out, vectorpin::Signer* impl) {
  *out = new vectorpin_signer{impl};
  return VECTORPIN_OK;
}

}  // namespace

extern "C" {

/* ---- versions and constants ---- */

const char* vectorpin_version_string(void) { return VECTORPIN_VERSION_STRING; }
uint32_t vectorpin_version_number(void) { return VECTORPIN_VERSION_NUMBER; }
uint32_t vectorpin_abi_version(void) { return VECTORPIN_ABI_VERSION; }
uint32_t vectorpin_protocol_version(void) { return VECTORPIN_PROTOCOL_VERSION; }
size_t vectorpin_public_key_bytes(void) { return VECTORPIN_PUBLIC_KEY_BYTES; }
size_t vectorpin_seed_bytes(void) { return VECTORPIN_SEED_BYTES; }
size_t vectorpin_signature_bytes(void) { return VECTORPIN_SIGNATURE_BYTES; }
size_t vectorpin_hash_string_buffer_bytes(void) { return VECTORPIN_HASH_STRING_BUFFER_BYTES; }
size_t vectorpin_fingerprint_buffer_bytes(void) { return VECTORPIN_FINGERPRINT_BUFFER_BYTES; }
size_t vectorpin_timestamp_buffer_bytes(void) { return VECTORPIN_TIMESTAMP_BUFFER_BYTES; }
size_t vectorpin_max_pin_json_bytes(void) { return VECTORPIN_MAX_PIN_JSON_BYTES; }
size_t vectorpin_max_vec_dim(void) { return VECTORPIN_MAX_VEC_DIM; }
size_t vectorpin_max_extra_entries(void) { return VECTORPIN_MAX_EXTRA_ENTRIES; }
size_t vectorpin_max_extra_key_bytes(void) { return VECTORPIN_MAX_EXTRA_KEY_BYTES; }
size_t vectorpin_max_extra_value_bytes(void) { return VECTORPIN_MAX_EXTRA_VALUE_BYTES; }
size_t vectorpin_error_message_bytes(void) { return VECTORPIN_ERROR_MESSAGE_BYTES; }

const char* vectorpin_status_name(int status) {
  switch (status) {
    case VECTORPIN_OK: return "OK";
    case VECTORPIN_UNSUPPORTED_VERSION: return "UNSUPPORTED_VERSION";
    case VECTORPIN_UNKNOWN_KEY: return "UNKNOWN_KEY";
    case VECTORPIN_KEY_EXPIRED: return "KEY_EXPIRED";
    case VECTORPIN_PARSE_ERROR: return "PARSE_ERROR";
    case VECTORPIN_SIGNATURE_INVALID: return "SIGNATURE_INVALID";
    case VECTORPIN_VECTOR_TAMPERED: return "VECTOR_TAMPERED";
    case VECTORPIN_SOURCE_MISMATCH: return "SOURCE_MISMATCH";
    case VECTORPIN_MODEL_MISMATCH: return "MODEL_MISMATCH";
    case VECTORPIN_SHAPE_MISMATCH: return "SHAPE_MISMATCH";
    case VECTORPIN_RECORD_MISMATCH: return "RECORD_MISMATCH";
    case VECTORPIN_COLLECTION_MISMATCH: return "COLLECTION_MISMATCH";
    case VECTORPIN_TENANT_MISMATCH: return "TENANT_MISMATCH";
    case VECTORPIN_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case VECTORPIN_INVALID_INPUT: return "INVALID_INPUT";
    case VECTORPIN_INVALID_KEY: return "INVALID_KEY";
    case VECTORPIN_DUPLICATE_KEY_ID: return "DUPLICATE_KEY_ID";
    case VECTORPIN_BUFFER_TOO_SMALL: return "BUFFER_TOO_SMALL";
    case VECTORPIN_OUT_OF_MEMORY: return "OUT_OF_MEMORY";
    case VECTORPIN_IO_ERROR: return "IO_ERROR";
    case VECTORPIN_FILE_EXISTS: return "FILE_EXISTS";
    case VECTORPIN_INSECURE_PERMISSIONS: return "INSECURE_PERMISSIONS";
    case VECTORPIN_EXTERNAL_SIGNER_FAILED: return "EXTERNAL_SIGNER_FAILED";
    case VECTORPIN_NOT_FOUND: return "NOT_FOUND";
    case VECTORPIN_INTERNAL_ERROR: return "INTERNAL_ERROR";
    default: return "UNKNOWN_STATUS";
  }
}

int vectorpin_status_is_verification_failure(int status) {
  return status >= VECTORPIN_UNSUPPORTED_VERSION && status <= VECTORPIN_TENANT_MISMATCH;
}

void vectorpin_free(void* ptr) { std::free(ptr); }

/* ---- hashing and encodings ---- */

vectorpin_status vectorpin_hash_text(char* out, size_t out_cap, const char* text, size_t text_len,
                                     vectorpin_error* err) {
  if (out == nullptr || !valid_span(text, text_len)) return misuse(err, "NULL output or text");
  return guarded(err, [&](Error& e) {
    vectorpin::Sha256Digest digest;
    Status st = vectorpin::hash_text_digest(view(text, text_len), digest, e);
    if (st != VECTORPIN_OK) return st;
    return write_hash(out, out_cap, digest, e);
  });
}

vectorpin_status vectorpin_hash_vector_f32(char* out, size_t out_cap, const float* vector, size_t dim,
                                           vectorpin_dtype dtype, vectorpin_error* err) {
  return hash_vector_c(out, out_cap, vector, dim, enum_bits(dtype), err);
}

vectorpin_status vectorpin_hash_vector_f64(char* out, size_t out_cap, const double* vector, size_t dim,
                                           vectorpin_dtype dtype, vectorpin_error* err) {
  return hash_vector_c(out, out_cap, vector, dim, enum_bits(dtype), err);
}

vectorpin_status vectorpin_sha256(uint8_t* out, size_t out_len, const uint8_t* data, size_t data_len,
                                  vectorpin_error* err) {
  if (out == nullptr || !valid_span(data, data_len)) return misuse(err, "NULL output or data");
  if (out_len < 32) return report(err, VECTORPIN_BUFFER_TOO_SMALL, "output buffer needs 32 bytes");
  return guarded(err, [&](Error&) {
    auto d = vectorpin::sha256(data, data_len);
    std::memcpy(out, d.data(), 32);
    return VECTORPIN_OK;
  });
}

vectorpin_status vectorpin_base64url_encode(char** out, size_t* out_len, const uint8_t* data, size_t data_len,
                                            vectorpin_error* err) {
  if (out == nullptr || out_len == nullptr || !valid_span(data, data_len)) return misuse(err, "NULL argument");
  *out = nullptr;
  *out_len = 0;
  return guarded(err, [&](Error&) { return copy_out(vectorpin::base64url_encode(data, data_len), out, out_len); });
}

vectorpin_status vectorpin_base64url_decode(uint8_t** out, size_t* out_len, const char* text, size_t text_len,
                                            vectorpin_error* err) {
  if (out == nullptr || out_len == nullptr || !valid_span(text, text_len)) return misuse(err, "NULL argument");
  *out = nullptr;
  *out_len = 0;
  return guarded(err, [&](Error& e) {
    std::vector<uint8_t> bytes;
    Status st = vectorpin::base64url_decode(view(text, text_len), bytes, e);
    if (st != VECTORPIN_OK) return st;
    return copy_out(bytes, reinterpret_cast<char**>(out), out_len);
  });
}

vectorpin_status vectorpin_timestamp_check(const char* ts, size_t ts_len, vectorpin_error* err) {
  if (!valid_span(ts, ts_len)) return misuse(err, "NULL timestamp");
  return guarded(err, [&](Error& e) {
    if (vectorpin::is_real_timestamp(view(ts, ts_len))) return VECTORPIN_OK;
    return vectorpin::fail(e, VECTORPIN_INVALID_INPUT,
                           "timestamp " + vectorpin::quote_untrusted(view(ts, ts_len)) +
                               " is not a real UTC time of the form YYYY-MM-DDTHH:MM:SSZ");
  });
}

vectorpin_status vectorpin_timestamp_now(char* out, size_t out_cap, vectorpin_error* err) {
  if (out == nullptr) return misuse(err, "NULL output");
  return guarded(err, [&](Error& e) { return write_text(out, out_cap, vectorpin::timestamp_now(), e); });
}

/* ---- public keys ---- */

vectorpin_status vectorpin_public_key_decode(uint8_t* out, size_t out_len, const uint8_t* data, size_t data_len,
                                             vectorpin_error* err) {
  if (out == nullptr || !valid_span(data, data_len)) return misuse(err, "NULL output or data");
  if (out_len != 32) return misuse(err, "public key output must be 32 bytes");
  return guarded(err, [&](Error& e) {
    vectorpin::PublicKey pk;
    Status st = vectorpin::decode_public_key(view(reinterpret_cast<const char*>(data), data_len), pk, e);
    if (st == VECTORPIN_OK) std::memcpy(out, pk.data(), 32);
    return st;
  });
}

static Status read_public_key(const uint8_t* pk, size_t len, vectorpin::PublicKey& out, Error& e) {
  if (len != 32) return vectorpin::fail(e, VECTORPIN_INVALID_ARGUMENT, "public key must be 32 bytes");
  std::memcpy(out.data(), pk, 32);
  if (!vectorpin::is_strong_public_key(out))
    return vectorpin::fail(e, VECTORPIN_INVALID_KEY, "public key is weak or malformed");
  return VECTORPIN_OK;
}

vectorpin_status vectorpin_public_key_fingerprint(char* out, size_t out_cap, const uint8_t* public_key,
                                                  size_t public_key_len, vectorpin_error* err) {
  if (out == nullptr || public_key == nullptr) return misuse(err, "NULL output or key");
  return guarded(err, [&](Error& e) {
    vectorpin::PublicKey pk;
    Status st = read_public_key(public_key, public_key_len, pk, e);
    if (st != VECTORPIN_OK) return st;
    return write_text(out, out_cap, vectorpin::fingerprint(pk), e);
  });
}

vectorpin_status vectorpin_public_key_pem(char** out, size_t* out_len, const uint8_t* public_key,
                                          size_t public_key_len, vectorpin_error* err) {
  if (out == nullptr || out_len == nullptr || public_key == nullptr) return misuse(err, "NULL argument");
  *out = nullptr;
  *out_len = 0;
  return guarded(err, [&](Error& e) {
    vectorpin::PublicKey pk;
    Status st = read_public_key(public_key, public_key_len, pk, e);
    if (st != VECTORPIN_OK) return st;
    return copy_out(vectorpin::public_key_pem(pk), out, out_len);
  });
}

/* ---- signers ---- */

vectorpin_status vectorpin_signer_generate(vectorpin_signer** out_signer, const char* kid, size_t kid_len,
                                           vectorpin_error* err) {
  if (out_signer == nullptr || !valid_span(kid, kid_len)) return misuse(err, "NULL output or kid");
  *out_signer = nullptr;
  return guarded(err, [&](Error& e) {
    vectorpin::Seed seed;
    randombytes_buf(seed.bytes.data(), seed.bytes.size());
    vectorpin::Signer* s = nullptr;
    Status st = vectorpin::Signer::from_seed(view(kid, kid_len), seed, s, e);
    if (st != VECTORPIN_OK) return st;
    return make_signer(out_signer, s);
  });
}

vectorpin_status vectorpin_signer_from_seed(vectorpin_signer** out_signer, const char* kid, size_t kid_len,
                                            const uint8_t* seed, size_t seed_len, vectorpin_error* err) {
  if (out_signer == nullptr || !valid_span(kid, kid_len) || seed == nullptr) return misuse(err, "NULL argument");
  *out_signer = nullptr;
  if (seed_len != 32) return misuse(err, "seed must be 32 bytes");
  return guarded(err, [&](Error& e) {
    vectorpin::Seed s;
    std::memcpy(s.bytes.data(), seed, 32);
    vectorpin::Signer* impl = nullptr;
    Status st = vectorpin::Signer::from_seed(view(kid, kid_len), s, impl, e);
    if (st != VECTORPIN_OK) return st;
    return make_signer(out_signer, impl);
  });
}

vectorpin_status vectorpin_signer_from_private_key(vectorpin_signer** out_signer, const char* kid, size_t kid_len,
                                                   const uint8_t* key_data, size_t key_data_len,
                                                   vectorpin_error* err) {
  if (out_signer == nullptr || !valid_span(kid, kid_len) || !valid_span(key_data, key_data_len))
    return misuse(err, "NULL argument");
  *out_signer = nullptr;
  return guarded(err, [&](Error& e) {
    vectorpin::Seed seed;
    Status st = vectorpin::decode_private_key(view(reinterpret_cast<const char*>(key_data), key_data_len), seed, e);
    if (st != VECTORPIN_OK) return st;
    vectorpin::Signer* impl = nullptr;
    st = vectorpin::Signer::from_seed(view(kid, kid_len), seed, impl, e);
    if (st != VECTORPIN_OK) return st;
    return make_signer(out_signer, impl);
  });
}

vectorpin_status vectorpin_signer_load_file(vectorpin_signer** out_signer, const char* kid, size_t kid_len,
                                            const char* path, size_t path_len, uint32_t flags, vectorpin_error* err) {
  if (out_signer == nullptr || !valid_span(kid, kid_len) || path == nullptr) return misuse(err, "NULL argument");
  *out_signer = nullptr;
  if ((flags & ~VECTORPIN_LOAD_ALLOW_INSECURE_PERMISSIONS) != 0) return misuse(err, "unknown flags");
  return guarded(err, [&](Error& e) {
    std::string data;
    Status st = vectorpin::read_key_file(view(path, path_len), true,
                                         (flags & VECTORPIN_LOAD_ALLOW_INSECURE_PERMISSIONS) != 0, data, e);
    if (st != VECTORPIN_OK) return st;
    vectorpin::Seed seed;
    st = vectorpin::decode_private_key(data, seed, e);
    sodium_memzero(&data[0], data.size());
    if (st != VECTORPIN_OK) return st;
    vectorpin::Signer* impl = nullptr;
    st = vectorpin::Signer::from_seed(view(kid, kid_len), seed, impl, e);
    if (st != VECTORPIN_OK) return st;
    return make_signer(out_signer, impl);
  });
}

vectorpin_status vectorpin_signer_external(vectorpin_signer** out_signer, const char* kid, size_t kid_len,
                                           const uint8_t* public_key, size_t public_key_len,
                                           vectorpin_sign_callback callback, void* user_data, vectorpin_error* err) {
  if (out_signer == nullptr || !valid_span(kid, kid_len) || public_key == nullptr || callback == nullptr)
    return misuse(err, "NULL argument");
  *out_signer = nullptr;
  return guarded(err, [&](Error& e) {
    vectorpin::PublicKey pk;
    if (public_key_len != 32) return vectorpin::fail(e, VECTORPIN_INVALID_ARGUMENT, "public key must be 32 bytes");
    std::memcpy(pk.data(), public_key, 32);
    vectorpin::Signer* impl = nullptr;
    Status st = vectorpin::Signer::external(view(kid, kid_len), pk, callback, user_data, impl, e);
    if (st != VECTORPIN_OK) return st;
    return make_signer(out_signer, impl);
  });
}

void vectorpin_signer_free(vectorpin_signer* signer) {
  if (signer == nullptr) return;
  delete signer->impl;  // the destructor wipes the key
  delete signer;
}

vectorpin_status vectorpin_signer_kid(const vectorpin_signer* signer, const char** out, size_t* out_len) {
  if (signer == nullptr || out == nullptr || out_len == nullptr) return VECTORPIN_INVALID_ARGUMENT;
  *out = signer->impl->kid().c_str();
  *out_len = signer->impl->kid().size();
  return VECTORPIN_OK;
}

vectorpin_status vectorpin_signer_public_key(const vectorpin_signer* signer, uint8_t* out, size_t out_len) {
  if (signer == nullptr || out == nullptr) return VECTORPIN_INVALID_ARGUMENT;
  if (out_len < 32) return VECTORPIN_BUFFER_TOO_SMALL;
  std::memcpy(out, signer->impl->public_key().data(), 32);
  return VECTORPIN_OK;
}

vectorpin_status vectorpin_signer_fingerprint(const vectorpin_signer* signer, char* out, size_t out_cap) {
  if (signer == nullptr || out == nullptr) return VECTORPIN_INVALID_ARGUMENT;
  std::string fp = vectorpin::fingerprint(signer->impl->public_key());
  if (out_cap < fp.size() + 1) return VECTORPIN_BUFFER_TOO_SMALL;
  std::memcpy(out, fp.c_str(), fp.size() + 1);
  return VECTORPIN_OK;
}

vectorpin_status vectorpin_signer_save(const vectorpin_signer* signer, const char* dir, size_t dir_len,
                                       uint32_t flags, vectorpin_error* err) {
  if (signer == nullptr || !valid_span(dir, dir_len)) return misuse(err, "NULL argument");
  if ((flags & ~VECTORPIN_SAVE_PEM) != 0) return misuse(err, "unknown flags");
  return guarded(err, [&](Error& e) {
    return vectorpin::save_key_files(*signer->impl, view(dir, dir_len), (flags & VECTORPIN_SAVE_PEM) != 0, e);
  });
}

/* ---- pin options ---- */

vectorpin_status vectorpin_pin_options_new(vectorpin_pin_options** out, vectorpin_error* err) {
  if (out == nullptr) return misuse(err, "NULL output");
  *out = nullptr;
  return guarded(err, [&](Error&) {
    *out = new vectorpin_pin_options();
    return VECTORPIN_OK;
  });
}

void vectorpin_pin_options_free(vectorpin_pin_options* options) { delete options; }

vectorpin_status vectorpin_pin_options_set_protocol(vectorpin_pin_options* options, int version,
                                                    vectorpin_error* err) {
  if (options == nullptr) return misuse(err, "NULL options");
  if (version != 1 && version != 2) return report(err, VECTORPIN_INVALID_INPUT, "protocol version must be 1 or 2");
  options->impl.protocol = version;
  clear_error(err);
  return VECTORPIN_OK;
}

vectorpin_status vectorpin_pin_options_set_dtype(vectorpin_pin_options* options, vectorpin_dtype dtype,
                                                 vectorpin_error* err) {
  if (options == nullptr) return misuse(err, "NULL options");
  const int raw = enum_bits(dtype);
  if (raw == VECTORPIN_DTYPE_DEFAULT) {
    options->impl.has_dtype = false;
  } else {
    if (to_dtype(raw, options->impl.dtype) != VECTORPIN_OK) return misuse(err, "dtype must be DEFAULT, F32 or F64");
    options->impl.has_dtype = true;
  }
  clear_error(err);
  return VECTORPIN_OK;
}

vectorpin_status vectorpin_pin_options_set_model_hash(vectorpin_pin_options* options, const char* model_hash,
                                                      size_t model_hash_len, vectorpin_error* err) {
  if (options == nullptr) return misuse(err, "NULL options");
  return guarded(err, [&](Error&) {
    options->impl.has_model_hash = model_hash != nullptr;
    options->impl.model_hash.assign(view(model_hash, model_hash_len));
    return VECTORPIN_OK;
  });
}

vectorpin_status vectorpin_pin_options_set_timestamp(vectorpin_pin_options* options, const char* ts, size_t ts_len,
                                                     vectorpin_error* err) {
  if (options == nullptr) return misuse(err, "NULL options");
  return guarded(err, [&](Error&) {
    options->impl.has_timestamp = ts != nullptr;
    options->impl.timestamp.assign(view(ts, ts_len));
    return VECTORPIN_OK;
  });
}

vectorpin_status vectorpin_pin_options_set_extra(vectorpin_pin_options* options, const char* key, size_t key_len,
                                                 const char* value, size_t value_len, vectorpin_error* err) {
  if (options == nullptr || !valid_span(key, key_len) || !valid_span(value, value_len))
    return misuse(err, "NULL argument");
  return guarded(err, [&](Error&) {
    options->impl.set_extra(std::string(view(key, key_len)), std::string(view(value, value_len)));
    return VECTORPIN_OK;
  });
}

vectorpin_status vectorpin_signer_pin_f32(const vectorpin_signer* signer, vectorpin_pin** out_pin, const char* source,
                                          size_t source_len, const char* model, size_t model_len, const float* vector,
                                          size_t dim, const vectorpin_pin_options* options, vectorpin_error* err) {
  return signer_pin_c(signer, out_pin, source, source_len, model, model_len, vector, dim, vectorpin::Dtype::F32,
                      options, err);
}

vectorpin_status vectorpin_signer_pin_f64(const vectorpin_signer* signer, vectorpin_pin** out_pin, const char* source,
                                          size_t source_len, const char* model, size_t model_len,
                                          const double* vector, size_t dim, const vectorpin_pin_options* options,
                                          vectorpin_error* err) {
  return signer_pin_c(signer, out_pin, source, source_len, model, model_len, vector, dim, vectorpin::Dtype::F64,
                      options, err);
}

/* ---- pins ---- */

vectorpin_status vectorpin_pin_parse(vectorpin_pin** out_pin, const char* json, size_t json_len,
                                     vectorpin_error* err) {
  if (out_pin == nullptr || !valid_span(json, json_len)) return misuse(err, "NULL output or JSON");
  *out_pin = nullptr;
  return guarded(err, [&](Error& e) {
    auto* p = new vectorpin_pin();
    Status st = vectorpin::parse_pin(view(json, json_len), p->pin, e);
    if (st != VECTORPIN_OK) {
      delete p;
      return st;
    }
    p->sig_text = vectorpin::base64url_encode(p->pin.sig.data(), p->pin.sig.size());
    *out_pin = p;
    return st;
  });
}

void vectorpin_pin_free(vectorpin_pin* pin) { delete pin; }

vectorpin_status vectorpin_pin_to_json(const vectorpin_pin* pin, char** out, size_t* out_len, vectorpin_error* err) {
  if (pin == nullptr || out == nullptr || out_len == nullptr) return misuse(err, "NULL argument");
  *out = nullptr;
  *out_len = 0;
  return guarded(err, [&](Error&) { return copy_out(vectorpin::pin_to_json(pin->pin), out, out_len); });
}

vectorpin_status vectorpin_pin_signed_bytes(const vectorpin_pin* pin, uint8_t** out, size_t* out_len,
                                            vectorpin_error* err) {
  if (pin == nullptr || out == nullptr || out_len == nullptr) return misuse(err, "NULL argument");
  *out = nullptr;
  *out_len = 0;
  return guarded(err, [&](Error&) {
    return copy_out(vectorpin::pin_signed_bytes(pin->pin), reinterpret_cast<char**>(out), out_len);
  });
}

vectorpin_status vectorpin_pin_get(const vectorpin_pin* pin, vectorpin_pin_field field, const char** out,
                                   size_t* out_len) {
  if (pin == nullptr || out == nullptr || out_len == nullptr) return VECTORPIN_INVALID_ARGUMENT;
  *out = nullptr;
  *out_len = 0;
  const vectorpin::Pin& p = pin->pin;
  const std::string* s = nullptr;
  switch (enum_bits(field)) {
    case VECTORPIN_FIELD_KID: s = &p.kid; break;
    case VECTORPIN_FIELD_MODEL: s = &p.model; break;
    case VECTORPIN_FIELD_MODEL_HASH:
      if (!p.has_model_hash) return VECTORPIN_NOT_FOUND;
      s = &p.model_hash;
      break;
    case VECTORPIN_FIELD_SOURCE_HASH: s = &p.source_hash; break;
    case VECTORPIN_FIELD_VEC_HASH: s = &p.vec_hash; break;
    case VECTORPIN_FIELD_VEC_DTYPE:
      *out = vectorpin::dtype_name(p.dtype);
      *out_len = 3;
      return VECTORPIN_OK;
    case VECTORPIN_FIELD_TS: s = &p.ts; break;
    case VECTORPIN_FIELD_SIG: s = &pin->sig_text; break;
    default: return VECTORPIN_INVALID_ARGUMENT;
  }
  *out = s->c_str();
  *out_len = s->size();
  return VECTORPIN_OK;
}

int vectorpin_pin_version(const vectorpin_pin* pin) { return pin ? pin->pin.version : 0; }

vectorpin_dtype vectorpin_pin_dtype(const vectorpin_pin* pin) {
  if (pin == nullptr) return VECTORPIN_DTYPE_DEFAULT;
  return pin->pin.dtype == vectorpin::Dtype::F32 ? VECTORPIN_DTYPE_F32 : VECTORPIN_DTYPE_F64;
}

uint32_t vectorpin_pin_vec_dim(const vectorpin_pin* pin) { return pin ? pin->pin.vec_dim : 0; }

vectorpin_status vectorpin_pin_signature(const vectorpin_pin* pin, uint8_t* out, size_t out_len) {
  if (pin == nullptr || out == nullptr) return VECTORPIN_INVALID_ARGUMENT;
  if (out_len < 64) return VECTORPIN_BUFFER_TOO_SMALL;
  std::memcpy(out, pin->pin.sig.data(), 64);
  return VECTORPIN_OK;
}

size_t vectorpin_pin_extra_count(const vectorpin_pin* pin) { return pin ? pin->pin.extra.size() : 0; }

vectorpin_status vectorpin_pin_extra_at(const vectorpin_pin* pin, size_t index, const char** key, size_t* key_len,
                                        const char** value, size_t* value_len) {
  if (pin == nullptr || key == nullptr || key_len == nullptr || value == nullptr || value_len == nullptr)
    return VECTORPIN_INVALID_ARGUMENT;
  if (index >= pin->pin.extra.size()) return VECTORPIN_NOT_FOUND;
  const auto& e = pin->pin.extra[index];
  *key = e.first.c_str();
  *key_len = e.first.size();
  *value = e.second.c_str();
  *value_len = e.second.size();
  return VECTORPIN_OK;
}

vectorpin_status vectorpin_pin_extra_get(const vectorpin_pin* pin, const char** value, size_t* value_len,
                                         const char* key, size_t key_len) {
  if (pin == nullptr || value == nullptr || value_len == nullptr || !valid_span(key, key_len))
    return VECTORPIN_INVALID_ARGUMENT;
  *value = nullptr;
  *value_len = 0;
  const std::string* v = pin->pin.find_extra(view(key, key_len));
  if (v == nullptr) return VECTORPIN_NOT_FOUND;
  *value = v->c_str();
  *value_len = v->size();
  return VECTORPIN_OK;
}

/* ---- verifiers ---- */

vectorpin_status vectorpin_verifier_new(vectorpin_verifier** out, vectorpin_error* err) {
  if (out == nullptr) return misuse(err, "NULL output");
  *out = nullptr;
  return guarded(err, [&](Error&) {
    *out = new vectorpin_verifier();
    return VECTORPIN_OK;
  });
}

void vectorpin_verifier_free(vectorpin_verifier* verifier) { delete verifier; }

vectorpin_status vectorpin_verifier_add_key(vectorpin_verifier* verifier, const char* kid, size_t kid_len,
                                            const uint8_t* public_key, size_t public_key_len, const char* valid_from,
                                            size_t valid_from_len, const char* valid_until, size_t valid_until_len,
                                            vectorpin_error* err) {
  if (verifier == nullptr || !valid_span(kid, kid_len) || public_key == nullptr) return misuse(err, "NULL argument");
  if (public_key_len != 32) return misuse(err, "public key must be 32 bytes; decode other forms with vectorpin_public_key_decode");
  return guarded(err, [&](Error& e) {
    vectorpin::PublicKey pk;
    std::memcpy(pk.data(), public_key, 32);
    std::optional<std::string> from, until;
    if (valid_from != nullptr) from = std::string(view(valid_from, valid_from_len));
    if (valid_until != nullptr) until = std::string(view(valid_until, valid_until_len));
    return verifier->impl.add_key(view(kid, kid_len), pk, std::move(from), std::move(until), e);
  });
}

vectorpin_status vectorpin_verifier_load_registry(vectorpin_verifier* verifier, const char* json, size_t json_len,
                                                  vectorpin_error* err) {
  if (verifier == nullptr || !valid_span(json, json_len)) return misuse(err, "NULL argument");
  return guarded(err, [&](Error& e) { return verifier->impl.load_registry(view(json, json_len), e); });
}

vectorpin_status vectorpin_verifier_set_legacy_v1(vectorpin_verifier* verifier, int enabled) {
  if (verifier == nullptr) return VECTORPIN_INVALID_ARGUMENT;
  verifier->impl.set_legacy_v1(enabled != 0);
  return VECTORPIN_OK;
}

size_t vectorpin_verifier_key_count(const vectorpin_verifier* verifier) {
  return verifier ? verifier->impl.key_count() : 0;
}

vectorpin_status vectorpin_expectations_new(vectorpin_expectations** out, vectorpin_error* err) {
  if (out == nullptr) return misuse(err, "NULL output");
  *out = nullptr;
  return guarded(err, [&](Error&) {
    *out = new vectorpin_expectations();
    return VECTORPIN_OK;
  });
}

void vectorpin_expectations_free(vectorpin_expectations* expectations) { delete expectations; }

vectorpin_status vectorpin_expectations_set(vectorpin_expectations* expectations, vectorpin_expectation which,
                                            const char* value, size_t value_len, vectorpin_error* err) {
  if (expectations == nullptr || !valid_span(value, value_len)) return misuse(err, "NULL argument");
  std::optional<std::string>* slot = nullptr;
  switch (enum_bits(which)) {
    case VECTORPIN_EXPECT_MODEL: slot = &expectations->impl.model; break;
    case VECTORPIN_EXPECT_RECORD_ID: slot = &expectations->impl.record_id; break;
    case VECTORPIN_EXPECT_COLLECTION_ID: slot = &expectations->impl.collection_id; break;
    case VECTORPIN_EXPECT_TENANT_ID: slot = &expectations->impl.tenant_id; break;
    default: return misuse(err, "unknown expectation");
  }
  return guarded(err, [&](Error&) {
    *slot = std::string(view(value, value_len));
    return VECTORPIN_OK;
  });
}

vectorpin_status vectorpin_verify_f32(const vectorpin_verifier* verifier, const vectorpin_pin* pin, const char* source,
                                      size_t source_len, const float* vector, size_t dim,
                                      const vectorpin_expectations* expectations, vectorpin_error* err) {
  return verify_pin_c(verifier, pin, source, source_len, vector, dim, expectations, err);
}

vectorpin_status vectorpin_verify_f64(const vectorpin_verifier* verifier, const vectorpin_pin* pin, const char* source,
                                      size_t source_len, const double* vector, size_t dim,
                                      const vectorpin_expectations* expectations, vectorpin_error* err) {
  return verify_pin_c(verifier, pin, source, source_len, vector, dim, expectations, err);
}

vectorpin_status vectorpin_verify_json_f32(const vectorpin_verifier* verifier, const char* pin_json,
                                           size_t pin_json_len, const char* source, size_t source_len,
                                           const float* vector, size_t dim, const vectorpin_expectations* expectations,
                                           vectorpin_error* err) {
  return verify_json_c(verifier, pin_json, pin_json_len, source, source_len, vector, dim, expectations, err);
}

vectorpin_status vectorpin_verify_json_f64(const vectorpin_verifier* verifier, const char* pin_json,
                                           size_t pin_json_len, const char* source, size_t source_len,
                                           const double* vector, size_t dim,
                                           const vectorpin_expectations* expectations, vectorpin_error* err) {
  return verify_json_c(verifier, pin_json, pin_json_len, source, source_len, vector, dim, expectations, err);
}

}  // extern "C"

/* ---- batch verification ---- */

#include "batch.hpp"

struct vectorpin_batch {
  vectorpin_batch(const vectorpin::Verifier& verifier, unsigned threads) : queue(verifier, threads) {}
  vectorpin::BatchQueue queue;
};

namespace {

static_assert(VECTORPIN_BATCH_MAX_THREADS == vectorpin::kMaxBatchThreads, "one thread limit");

void verify_batch_item_unguarded(const vectorpin_verifier* verifier, const vectorpin_batch_item& item,
                                 vectorpin_error* out);

// One item of vectorpin_verify_batch, through the very function that backs
// vectorpin_verify_json_*, so both report the same for the same inputs.
// Runs on worker threads, where an escaping exception would end the
// process, hence the catch-all (the guarded body inside already catches;
// this covers the argument checks before it).
void verify_batch_item(const vectorpin_verifier* verifier, const vectorpin_batch_item& item,
                       vectorpin_error* out) noexcept {
  try {
    verify_batch_item_unguarded(verifier, item, out);
  } catch (const std::bad_alloc&) {
    report(out, VECTORPIN_OUT_OF_MEMORY, "out of memory");
  } catch (...) {
    report(out, VECTORPIN_INTERNAL_ERROR, "internal error");
  }
}

void verify_batch_item_unguarded(const vectorpin_verifier* verifier, const vectorpin_batch_item& item,
                                 vectorpin_error* out) {
  if (item.reserved != 0) {
    report(out, VECTORPIN_INVALID_ARGUMENT, "batch item: reserved must be 0");
    return;
  }
  if (item.vector == nullptr) {
    verify_json_c(verifier, item.pin_json, item.pin_json_len, item.source, item.source_len,
                  static_cast<const float*>(nullptr), item.dim, item.expectations, out);
  } else if (item.vector_dtype == VECTORPIN_DTYPE_F32) {
    verify_json_c(verifier, item.pin_json, item.pin_json_len, item.source, item.source_len,
                  static_cast<const float*>(item.vector), item.dim, item.expectations, out);
  } else if (item.vector_dtype == VECTORPIN_DTYPE_F64) {
    verify_json_c(verifier, item.pin_json, item.pin_json_len, item.source, item.source_len,
                  static_cast<const double*>(item.vector), item.dim, item.expectations, out);
  } else {
    report(out, VECTORPIN_INVALID_ARGUMENT, "batch item: vector_dtype must be F32 or F64");
  }
}

// Two neighbouring items whose vectors have the same element type and
// length can have both vectors hashed at once (see PrehashedVectors).
bool vectors_pair_up(const vectorpin_batch_item& a, const vectorpin_batch_item& b) {
  return a.vector != nullptr && b.vector != nullptr && a.dim != 0 && a.dim == b.dim &&
         a.vector_dtype == b.vector_dtype &&
         (a.vector_dtype == VECTORPIN_DTYPE_F32 || a.vector_dtype == VECTORPIN_DTYPE_F64) &&
         a.dim <= SIZE_MAX / 8;
}

// Items `first` and, if there is one, `first + 1`, on this thread.
void verify_batch_pair(const vectorpin_verifier* verifier, const vectorpin_batch_item* items,
                       vectorpin_error* results, size_t first, size_t count) noexcept {
  if (first + 1 < count && vectors_pair_up(items[first], items[first + 1])) {
    const bool f32 = items[first].vector_dtype == VECTORPIN_DTYPE_F32;
    const vectorpin::PrehashedVectors ahead(items[first].vector, items[first + 1].vector,
                                            items[first].dim * (f32 ? 4 : 8),
                                            f32 ? vectorpin::FloatLanes::F32 : vectorpin::FloatLanes::F64);
    verify_batch_item(verifier, items[first], &results[first]);
    verify_batch_item(verifier, items[first + 1], &results[first + 1]);
    return;
  }
  verify_batch_item(verifier, items[first], &results[first]);
  if (first + 1 < count) verify_batch_item(verifier, items[first + 1], &results[first + 1]);
}

template <typename T>
Status batch_submit_c(vectorpin_batch* batch, uint64_t cookie, const char* json, size_t json_len, const char* source,
                      size_t source_len, const T* vector, size_t dim, const vectorpin_expectations* expectations,
                      vectorpin_error* err) {
  if (batch == nullptr) return misuse(err, "NULL batch");
  if (!valid_span(json, json_len)) return misuse(err, "NULL pin JSON with non-zero length");
  if (source == nullptr && source_len != 0) return misuse(err, "NULL source with non-zero length");
  if (vector == nullptr && dim != 0) return misuse(err, "NULL vector with non-zero length");
  return guarded(err, [&](Error&) {
    batch->queue.submit(cookie, view(json, json_len), source, source_len, vector, dim,
                        expectations ? &expectations->impl : nullptr);
    return VECTORPIN_OK;
  });
}

}  // namespace

extern "C" {

uint32_t vectorpin_batch_max_threads(void) { return VECTORPIN_BATCH_MAX_THREADS; }

vectorpin_status vectorpin_verify_batch(const vectorpin_verifier* verifier, vectorpin_error* results,
                                        const vectorpin_batch_item* items, size_t count, uint32_t threads,
                                        vectorpin_error* err) {
  if (verifier == nullptr) return misuse(err, "NULL verifier");
  if (count != 0 && (items == nullptr || results == nullptr))
    return misuse(err, "NULL items or results with a non-zero count");
  if (threads > VECTORPIN_BATCH_MAX_THREADS) return misuse(err, "more threads than VECTORPIN_BATCH_MAX_THREADS");
  return guarded(err, [&](Error&) {
    // Items go out two at a time, so their vectors can be hashed together.
    const size_t pairs = count / 2 + count % 2;
    vectorpin::parallel_for(pairs, vectorpin::batch_thread_count(threads, pairs),
                            [&](size_t p) { verify_batch_pair(verifier, items, results, 2 * p, count); });
    return VECTORPIN_OK;
  });
}

vectorpin_status vectorpin_batch_new(vectorpin_batch** out_batch, const vectorpin_verifier* verifier,
                                     uint32_t threads, vectorpin_error* err) {
  if (out_batch != nullptr) *out_batch = nullptr;
  if (out_batch == nullptr || verifier == nullptr) return misuse(err, "NULL output or verifier");
  if (threads > VECTORPIN_BATCH_MAX_THREADS) return misuse(err, "more threads than VECTORPIN_BATCH_MAX_THREADS");
  return guarded(err, [&](Error&) {
    *out_batch = new vectorpin_batch(verifier->impl, vectorpin::batch_thread_count(threads, SIZE_MAX));
    return VECTORPIN_OK;
  });
}

void vectorpin_batch_free(vectorpin_batch* batch) { delete batch; }

vectorpin_status vectorpin_batch_submit_f32(vectorpin_batch* batch, uint64_t cookie, const char* pin_json,
                                            size_t pin_json_len, const char* source, size_t source_len,
                                            const float* vector, size_t dim,
                                            const vectorpin_expectations* expectations, vectorpin_error* err) {
  return batch_submit_c(batch, cookie, pin_json, pin_json_len, source, source_len, vector, dim, expectations, err);
}

vectorpin_status vectorpin_batch_submit_f64(vectorpin_batch* batch, uint64_t cookie, const char* pin_json,
                                            size_t pin_json_len, const char* source, size_t source_len,
                                            const double* vector, size_t dim,
                                            const vectorpin_expectations* expectations, vectorpin_error* err) {
  return batch_submit_c(batch, cookie, pin_json, pin_json_len, source, source_len, vector, dim, expectations, err);
}

vectorpin_status vectorpin_batch_next_result(vectorpin_batch* batch, uint64_t* out_cookie, vectorpin_error* out_result,
                                             int wait) {
  if (batch == nullptr || out_result == nullptr) return misuse(out_result, "NULL batch or result");
  try {
    Error result;
    uint64_t cookie = 0;
    if (!batch->queue.next(cookie, result, wait != 0)) return report(out_result, VECTORPIN_NOT_FOUND, "no result ready");
    if (out_cookie != nullptr) *out_cookie = cookie;
    report(out_result, result);
    return VECTORPIN_OK;
  } catch (const std::bad_alloc&) {
    return report(out_result, VECTORPIN_OUT_OF_MEMORY, "out of memory");
  } catch (...) {
    return report(out_result, VECTORPIN_INTERNAL_ERROR, "internal error");
  }
}

size_t vectorpin_batch_pending(const vectorpin_batch* batch) { return batch ? batch->queue.pending() : 0; }

uint32_t vectorpin_batch_threads(const vectorpin_batch* batch) { return batch ? batch->queue.threads() : 0; }

}  // extern "C"
