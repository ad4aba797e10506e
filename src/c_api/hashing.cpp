// The C entry points for hashing, base64url and timestamps.
#include "base64.hpp"
#include "c_api/support.hpp"
#include "hashing.hpp"
#include "sha256.hpp"
#include "timestamp.hpp"

using vectorpin::Error;
using vectorpin::Status;
using namespace vectorpin::capi;

namespace {

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
Status hash_vector(char* out, size_t out_cap, const T* vector, size_t dim, vectorpin_dtype dtype,
                   vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out);
  VP_ARG_SPAN(err, vector, dim);
  vectorpin::Dtype d;
  VP_ARG_CHECK(err, to_dtype(enum_bits(dtype), d), "dtype must be F32 or F64");
  return guarded(err, [&](Error& e) {
    vectorpin::Sha256Digest digest;
    Status st = vectorpin::hash_vector(vector, dim, d, digest, e);
    if (st != VECTORPIN_OK) return st;
    return write_hash(out, out_cap, digest, e);
  });
}

}  // namespace

extern "C" {

vectorpin_status vectorpin_hash_text(char* out, size_t out_cap, const char* text, size_t text_len,
                                     vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out);
  VP_ARG_SPAN(err, text, text_len);
  return guarded(err, [&](Error& e) {
    vectorpin::Sha256Digest digest;
    Status st = vectorpin::hash_text_digest(view(text, text_len), digest, e);
    if (st != VECTORPIN_OK) return st;
    return write_hash(out, out_cap, digest, e);
  });
}

vectorpin_status vectorpin_hash_vector_f32(char* out, size_t out_cap, const float* vector, size_t dim,
                                           vectorpin_dtype dtype, vectorpin_error* err) {
  return hash_vector(out, out_cap, vector, dim, dtype, err);
}

vectorpin_status vectorpin_hash_vector_f64(char* out, size_t out_cap, const double* vector, size_t dim,
                                           vectorpin_dtype dtype, vectorpin_error* err) {
  return hash_vector(out, out_cap, vector, dim, dtype, err);
}

vectorpin_status vectorpin_sha256(uint8_t* out, size_t out_cap, const uint8_t* data, size_t data_len,
                                  vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out);
  VP_ARG_SPAN(err, data, data_len);
  return guarded(err, [&](Error& e) {
    auto d = vectorpin::sha256(data, data_len);
    return write_bytes(out, out_cap, d.data(), d.size(), e);
  });
}

vectorpin_status vectorpin_base64url_encode(char** out, size_t* out_len, const uint8_t* data, size_t data_len,
                                            vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out);
  VP_ARG_NOT_NULL(err, out_len);
  VP_ARG_SPAN(err, data, data_len);
  *out = nullptr;
  *out_len = 0;
  return guarded(err, [&](Error&) { return copy_out(vectorpin::base64url_encode(data, data_len), out, out_len); });
}

vectorpin_status vectorpin_base64url_decode(uint8_t** out, size_t* out_len, const char* text, size_t text_len,
                                            vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out);
  VP_ARG_NOT_NULL(err, out_len);
  VP_ARG_SPAN(err, text, text_len);
  *out = nullptr;
  *out_len = 0;
  return guarded(err, [&](Error& e) {
    std::vector<uint8_t> bytes;
    Status st = vectorpin::base64url_decode(view(text, text_len), bytes, e);
    if (st != VECTORPIN_OK) return st;
    return copy_out(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), out, out_len);
  });
}

vectorpin_status vectorpin_timestamp_check(const char* ts, size_t ts_len, vectorpin_error* err) {
  VP_ARG_SPAN(err, ts, ts_len);
  return guarded(err, [&](Error& e) {
    if (vectorpin::is_real_timestamp(view(ts, ts_len))) return VECTORPIN_OK;
    return vectorpin::fail(e, VECTORPIN_INVALID_INPUT,
                           "timestamp " + vectorpin::quote_untrusted(view(ts, ts_len)) +
                               " is not a real UTC time of the form YYYY-MM-DDTHH:MM:SSZ");
  });
}

vectorpin_status vectorpin_timestamp_now(char* out, size_t out_cap, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out);
  return guarded(err, [&](Error& e) { return write_text(out, out_cap, vectorpin::timestamp_now(), e); });
}

}  // extern "C"
