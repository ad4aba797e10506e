// The C entry points for verifiers, their key registries, expectations and
// the verification of one pin.
#include <optional>

#include "c_api/support.hpp"
#include "ed25519/ed25519.hpp"
#include "ed25519/key_slot.hpp"

static_assert(vectorpin::ed25519::TableBudget::kDefaultLimit == VECTORPIN_DEFAULT_PREPARED_KEY_LIMIT,
              "the header's default prepared-key limit is the registry's");

using vectorpin::Error;
using vectorpin::Status;
using namespace vectorpin::capi;

namespace {

template <typename T>
Status verify_pin_handle(const vectorpin_verifier* verifier, const vectorpin_pin* pin, const char* source,
                         size_t source_len, const T* vector, size_t dim, const vectorpin_expectations* expectations,
                         vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, verifier);
  VP_ARG_NOT_NULL(err, pin);
  VP_ARG_SPAN(err, source, source_len);
  VP_ARG_SPAN(err, vector, dim);
  return guarded(err, [&](Error& e) {
    return verify_pin(verifier, pin->pin, source, source_len, vector, dim, expectations, e);
  });
}

std::optional<std::string> optional_text(const char* text, size_t len) {
  if (text == nullptr) return std::nullopt;
  return std::string(view(text, len));
}

}  // namespace

extern "C" {

vectorpin_status vectorpin_verifier_new(vectorpin_verifier** out_verifier, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out_verifier);
  *out_verifier = nullptr;
  return guarded(err, [&](Error&) {
    *out_verifier = new vectorpin_verifier();
    return VECTORPIN_OK;
  });
}

void vectorpin_verifier_free(vectorpin_verifier* verifier) { delete verifier; }

vectorpin_status vectorpin_verifier_add_key(vectorpin_verifier* verifier, const char* kid, size_t kid_len,
                                            const uint8_t* public_key, size_t public_key_len, const char* valid_from,
                                            size_t valid_from_len, const char* valid_until, size_t valid_until_len,
                                            vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, verifier);
  VP_ARG_SPAN(err, kid, kid_len);
  VP_ARG_SPAN(err, public_key, public_key_len);
  VP_ARG_SPAN(err, valid_from, valid_from_len);
  VP_ARG_SPAN(err, valid_until, valid_until_len);
  VP_ARG_CHECK(err, public_key_len == VECTORPIN_PUBLIC_KEY_BYTES,
               "public key must be 32 bytes; decode other forms with vectorpin_public_key_decode");
  return guarded(err, [&](Error& e) {
    vectorpin::PublicKey pk;
    std::memcpy(pk.data(), public_key, pk.size());
    return verifier->impl.add_key(view(kid, kid_len), pk, optional_text(valid_from, valid_from_len),
                                  optional_text(valid_until, valid_until_len), e);
  });
}

vectorpin_status vectorpin_verifier_load_registry(vectorpin_verifier* verifier, const char* json, size_t json_len,
                                                  vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, verifier);
  VP_ARG_SPAN(err, json, json_len);
  return guarded(err, [&](Error& e) { return verifier->impl.load_registry(view(json, json_len), e); });
}

vectorpin_status vectorpin_verifier_set_legacy_v1(vectorpin_verifier* verifier, int enabled, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, verifier);
  verifier->impl.set_legacy_v1(enabled != 0);
  return ok(err);
}

size_t vectorpin_verifier_key_count(const vectorpin_verifier* verifier) {
  return verifier ? verifier->impl.key_count() : 0;
}

vectorpin_status vectorpin_verifier_set_prepared_key_limit(vectorpin_verifier* verifier, size_t limit,
                                                           vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, verifier);
  verifier->impl.set_prepared_key_limit(limit);
  return ok(err);
}

size_t vectorpin_verifier_prepared_key_limit(const vectorpin_verifier* verifier) {
  return verifier ? verifier->impl.prepared_key_limit() : 0;
}

size_t vectorpin_verifier_prepared_key_count(const vectorpin_verifier* verifier) {
  return verifier ? verifier->impl.prepared_key_count() : 0;
}

size_t vectorpin_prepared_key_bytes(void) { return sizeof(vectorpin::ed25519::PreparedKey); }

/* ---- expectations ---- */

vectorpin_status vectorpin_expectations_new(vectorpin_expectations** out_expectations, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out_expectations);
  *out_expectations = nullptr;
  return guarded(err, [&](Error&) {
    *out_expectations = new vectorpin_expectations();
    return VECTORPIN_OK;
  });
}

void vectorpin_expectations_free(vectorpin_expectations* expectations) { delete expectations; }

vectorpin_status vectorpin_expectations_set(vectorpin_expectations* expectations, vectorpin_expectation which,
                                            const char* value, size_t value_len, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, expectations);
  VP_ARG_SPAN(err, value, value_len);
  std::optional<std::string>* slot = nullptr;
  switch (enum_bits(which)) {
    case VECTORPIN_EXPECT_MODEL: slot = &expectations->impl.model; break;
    case VECTORPIN_EXPECT_RECORD_ID: slot = &expectations->impl.record_id; break;
    case VECTORPIN_EXPECT_COLLECTION_ID: slot = &expectations->impl.collection_id; break;
    case VECTORPIN_EXPECT_TENANT_ID: slot = &expectations->impl.tenant_id; break;
    default: break;
  }
  VP_ARG_CHECK(err, slot != nullptr, "unknown expectation");
  return guarded(err, [&](Error&) {
    *slot = std::string(view(value, value_len));
    return VECTORPIN_OK;
  });
}

/* ---- verification ---- */

vectorpin_status vectorpin_verify_f32(const vectorpin_verifier* verifier, const vectorpin_pin* pin, const char* source,
                                      size_t source_len, const float* vector, size_t dim,
                                      const vectorpin_expectations* expectations, vectorpin_error* err) {
  return verify_pin_handle(verifier, pin, source, source_len, vector, dim, expectations, err);
}

vectorpin_status vectorpin_verify_f64(const vectorpin_verifier* verifier, const vectorpin_pin* pin, const char* source,
                                      size_t source_len, const double* vector, size_t dim,
                                      const vectorpin_expectations* expectations, vectorpin_error* err) {
  return verify_pin_handle(verifier, pin, source, source_len, vector, dim, expectations, err);
}

vectorpin_status vectorpin_verify_json_f32(const vectorpin_verifier* verifier, const char* pin_json,
                                           size_t pin_json_len, const char* source, size_t source_len,
                                           const float* vector, size_t dim, const vectorpin_expectations* expectations,
                                           vectorpin_error* err) {
  return verify_json(verifier, pin_json, pin_json_len, source, source_len, vector, dim, expectations, err);
}

vectorpin_status vectorpin_verify_json_f64(const vectorpin_verifier* verifier, const char* pin_json,
                                           size_t pin_json_len, const char* source, size_t source_len,
                                           const double* vector, size_t dim,
                                           const vectorpin_expectations* expectations, vectorpin_error* err) {
  return verify_json(verifier, pin_json, pin_json_len, source, source_len, vector, dim, expectations, err);
}

}  // extern "C"
