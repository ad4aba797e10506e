// The C entry points for signers: creation from every key source, the
// signer's public identity, and saving its key files.
#include <sodium.h>

#include "c_api/support.hpp"
#include "key_encoding.hpp"
#include "key_files.hpp"

using vectorpin::Error;
using vectorpin::Status;
using namespace vectorpin::capi;

namespace {

Status make_signer(vectorpin_signer** out, vectorpin::Signer* impl) {
  *out = new vectorpin_signer{impl};
  return VECTORPIN_OK;
}

Status signer_from_seed(vectorpin_signer** out_signer, std::string_view kid, const vectorpin::Seed& seed, Error& e) {
  vectorpin::Signer* impl = nullptr;
  Status st = vectorpin::Signer::from_seed(kid, seed, impl, e);
  if (st != VECTORPIN_OK) return st;
  return make_signer(out_signer, impl);
}

}  // namespace

extern "C" {

vectorpin_status vectorpin_signer_generate(vectorpin_signer** out_signer, const char* kid, size_t kid_len,
                                           vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out_signer);
  *out_signer = nullptr;
  VP_ARG_SPAN(err, kid, kid_len);
  return guarded(err, [&](Error& e) {
    vectorpin::Seed seed;
    randombytes_buf(seed.bytes.data(), seed.bytes.size());
    return signer_from_seed(out_signer, view(kid, kid_len), seed, e);
  });
}

vectorpin_status vectorpin_signer_from_seed(vectorpin_signer** out_signer, const char* kid, size_t kid_len,
                                            const uint8_t* seed, size_t seed_len, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out_signer);
  *out_signer = nullptr;
  VP_ARG_SPAN(err, kid, kid_len);
  VP_ARG_SPAN(err, seed, seed_len);
  VP_ARG_CHECK(err, seed_len == VECTORPIN_SEED_BYTES, "seed must be 32 bytes");
  return guarded(err, [&](Error& e) {
    vectorpin::Seed s;
    std::memcpy(s.bytes.data(), seed, s.bytes.size());
    return signer_from_seed(out_signer, view(kid, kid_len), s, e);
  });
}

vectorpin_status vectorpin_signer_from_private_key(vectorpin_signer** out_signer, const char* kid, size_t kid_len,
                                                   const uint8_t* key_data, size_t key_data_len,
                                                   vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out_signer);
  *out_signer = nullptr;
  VP_ARG_SPAN(err, kid, kid_len);
  VP_ARG_SPAN(err, key_data, key_data_len);
  return guarded(err, [&](Error& e) {
    vectorpin::Seed seed;
    Status st = vectorpin::decode_private_key(view(key_data, key_data_len), seed, e);
    if (st != VECTORPIN_OK) return st;
    return signer_from_seed(out_signer, view(kid, kid_len), seed, e);
  });
}

vectorpin_status vectorpin_signer_load_file(vectorpin_signer** out_signer, const char* kid, size_t kid_len,
                                            const char* path, size_t path_len, uint32_t flags, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out_signer);
  *out_signer = nullptr;
  VP_ARG_SPAN(err, kid, kid_len);
  VP_ARG_SPAN(err, path, path_len);
  VP_ARG_CHECK(err, (flags & ~VECTORPIN_LOAD_ALLOW_INSECURE_PERMISSIONS) == 0, "unknown flags");
  return guarded(err, [&](Error& e) {
    std::string data;
    Status st = vectorpin::read_key_file(view(path, path_len), true,
                                         (flags & VECTORPIN_LOAD_ALLOW_INSECURE_PERMISSIONS) != 0, data, e);
    if (st != VECTORPIN_OK) return st;
    vectorpin::Seed seed;
    st = vectorpin::decode_private_key(data, seed, e);
    sodium_memzero(&data[0], data.size());
    if (st != VECTORPIN_OK) return st;
    return signer_from_seed(out_signer, view(kid, kid_len), seed, e);
  });
}

vectorpin_status vectorpin_signer_external(vectorpin_signer** out_signer, const char* kid, size_t kid_len,
                                           const uint8_t* public_key, size_t public_key_len,
                                           vectorpin_sign_callback callback, void* user_data, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out_signer);
  *out_signer = nullptr;
  VP_ARG_SPAN(err, kid, kid_len);
  VP_ARG_SPAN(err, public_key, public_key_len);
  VP_ARG_NOT_NULL(err, callback);
  return guarded(err, [&](Error& e) {
    vectorpin::PublicKey pk;
    if (public_key_len != pk.size()) return vectorpin::fail(e, VECTORPIN_INVALID_ARGUMENT, "public key must be 32 bytes");
    std::memcpy(pk.data(), public_key, pk.size());
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

vectorpin_status vectorpin_signer_kid(const vectorpin_signer* signer, const char** out, size_t* out_len,
                                      vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, signer);
  VP_ARG_NOT_NULL(err, out);
  VP_ARG_NOT_NULL(err, out_len);
  *out = signer->impl->kid().c_str();
  *out_len = signer->impl->kid().size();
  return ok(err);
}

vectorpin_status vectorpin_signer_public_key(const vectorpin_signer* signer, uint8_t* out, size_t out_cap,
                                             vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, signer);
  VP_ARG_NOT_NULL(err, out);
  return guarded(err, [&](Error& e) {
    const auto& pk = signer->impl->public_key();
    return write_bytes(out, out_cap, pk.data(), pk.size(), e);
  });
}

vectorpin_status vectorpin_signer_fingerprint(const vectorpin_signer* signer, char* out, size_t out_cap,
                                              vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, signer);
  VP_ARG_NOT_NULL(err, out);
  return guarded(err, [&](Error& e) { return write_text(out, out_cap, vectorpin::fingerprint(signer->impl->public_key()), e); });
}

vectorpin_status vectorpin_signer_save(const vectorpin_signer* signer, const char* dir, size_t dir_len,
                                       uint32_t flags, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, signer);
  VP_ARG_SPAN(err, dir, dir_len);
  VP_ARG_CHECK(err, (flags & ~VECTORPIN_SAVE_PEM) == 0, "unknown flags");
  return guarded(err, [&](Error& e) {
    return vectorpin::save_key_files(*signer->impl, view(dir, dir_len), (flags & VECTORPIN_SAVE_PEM) != 0, e);
  });
}

}  // extern "C"
