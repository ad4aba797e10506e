// The C entry points for public keys: decoding, fingerprints, PEM.
#include "c_api/support.hpp"
#include "key_encoding.hpp"

using vectorpin::Error;
using vectorpin::Status;
using namespace vectorpin::capi;

namespace {

Status read_public_key(const uint8_t* pk, size_t len, vectorpin::PublicKey& out, Error& e) {
  if (len != out.size()) return vectorpin::fail(e, VECTORPIN_INVALID_ARGUMENT, "public key must be 32 bytes");
  std::memcpy(out.data(), pk, out.size());
  if (!vectorpin::is_strong_public_key(out))
    return vectorpin::fail(e, VECTORPIN_INVALID_KEY, "public key is weak or malformed");
  return VECTORPIN_OK;
}

}  // namespace

extern "C" {

vectorpin_status vectorpin_public_key_decode(uint8_t* out, size_t out_cap, const uint8_t* data, size_t data_len,
                                             vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out);
  VP_ARG_SPAN(err, data, data_len);
  return guarded(err, [&](Error& e) {
    vectorpin::PublicKey pk;
    Status st = need_capacity(out_cap, pk.size(), e);
    if (st != VECTORPIN_OK) return st;
    st = vectorpin::decode_public_key(view(data, data_len), pk, e);
    if (st != VECTORPIN_OK) return st;
    return write_bytes(out, out_cap, pk.data(), pk.size(), e);
  });
}

vectorpin_status vectorpin_public_key_fingerprint(char* out, size_t out_cap, const uint8_t* public_key,
                                                  size_t public_key_len, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out);
  VP_ARG_SPAN(err, public_key, public_key_len);
  return guarded(err, [&](Error& e) {
    vectorpin::PublicKey pk;
    Status st = read_public_key(public_key, public_key_len, pk, e);
    if (st != VECTORPIN_OK) return st;
    return write_text(out, out_cap, vectorpin::fingerprint(pk), e);
  });
}

vectorpin_status vectorpin_public_key_pem(char** out, size_t* out_len, const uint8_t* public_key,
                                          size_t public_key_len, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out);
  VP_ARG_NOT_NULL(err, out_len);
  VP_ARG_SPAN(err, public_key, public_key_len);
  *out = nullptr;
  *out_len = 0;
  return guarded(err, [&](Error& e) {
    vectorpin::PublicKey pk;
    Status st = read_public_key(public_key, public_key_len, pk, e);
    if (st != VECTORPIN_OK) return st;
    return copy_out(vectorpin::public_key_pem(pk), out, out_len);
  });
}

}  // extern "C"
