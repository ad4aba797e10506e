// The C entry points for pins: signing options, signing, parsing, the wire
// form and read access to a pin's fields.
#include "base64.hpp"
#include "c_api/support.hpp"

using vectorpin::Error;
using vectorpin::Status;
using namespace vectorpin::capi;

namespace {

vectorpin_pin* new_pin_handle(vectorpin::Pin&& pin) {
  auto* p = new vectorpin_pin();
  p->pin = std::move(pin);
  p->sig_text = vectorpin::base64url_encode(p->pin.sig.data(), p->pin.sig.size());
  return p;
}

template <typename T>
Status signer_pin(const vectorpin_signer* signer, vectorpin_pin** out_pin, const char* source, size_t source_len,
                  const char* model, size_t model_len, const T* vector, size_t dim, vectorpin::Dtype input,
                  const vectorpin_pin_options* options, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out_pin);
  *out_pin = nullptr;
  VP_ARG_NOT_NULL(err, signer);
  VP_ARG_SPAN(err, source, source_len);
  VP_ARG_SPAN(err, model, model_len);
  VP_ARG_SPAN(err, vector, dim);
  return guarded(err, [&](Error& e) {
    static const vectorpin::PinOptions kDefaults;
    vectorpin::Pin pin;
    Status st = signer->impl->pin(view(source, source_len), view(model, model_len), vector, dim, input,
                                  options ? options->impl : kDefaults, pin, e);
    if (st != VECTORPIN_OK) return st;
    *out_pin = new_pin_handle(std::move(pin));
    return st;
  });
}

// An optional text setting: (NULL, 0) unsets it, anything else sets it.
Status set_optional_text(bool& has, std::string& slot, const char* text, size_t len, vectorpin_error* err) {
  return guarded(err, [&](Error&) {
    has = text != nullptr;
    slot.assign(view(text, len));
    return VECTORPIN_OK;
  });
}

}  // namespace

extern "C" {

/* ---- options ---- */

vectorpin_status vectorpin_pin_options_new(vectorpin_pin_options** out_options, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out_options);
  *out_options = nullptr;
  return guarded(err, [&](Error&) {
    *out_options = new vectorpin_pin_options();
    return VECTORPIN_OK;
  });
}

void vectorpin_pin_options_free(vectorpin_pin_options* options) { delete options; }

vectorpin_status vectorpin_pin_options_set_protocol(vectorpin_pin_options* options, int version,
                                                    vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, options);
  if (version != 1 && version != 2) return report(err, VECTORPIN_INVALID_INPUT, "protocol version must be 1 or 2");
  options->impl.protocol = version;
  return ok(err);
}

vectorpin_status vectorpin_pin_options_set_dtype(vectorpin_pin_options* options, vectorpin_dtype dtype,
                                                 vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, options);
  const int raw = enum_bits(dtype);
  vectorpin::Dtype d{};
  VP_ARG_CHECK(err, raw == VECTORPIN_DTYPE_DEFAULT || to_dtype(raw, d), "dtype must be DEFAULT, F32 or F64");
  options->impl.has_dtype = raw != VECTORPIN_DTYPE_DEFAULT;
  if (options->impl.has_dtype) options->impl.dtype = d;
  return ok(err);
}

vectorpin_status vectorpin_pin_options_set_model_hash(vectorpin_pin_options* options, const char* model_hash,
                                                      size_t model_hash_len, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, options);
  VP_ARG_SPAN(err, model_hash, model_hash_len);
  return set_optional_text(options->impl.has_model_hash, options->impl.model_hash, model_hash, model_hash_len, err);
}

vectorpin_status vectorpin_pin_options_set_timestamp(vectorpin_pin_options* options, const char* ts, size_t ts_len,
                                                     vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, options);
  VP_ARG_SPAN(err, ts, ts_len);
  return set_optional_text(options->impl.has_timestamp, options->impl.timestamp, ts, ts_len, err);
}

vectorpin_status vectorpin_pin_options_set_extra(vectorpin_pin_options* options, const char* key, size_t key_len,
                                                 const char* value, size_t value_len, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, options);
  VP_ARG_SPAN(err, key, key_len);
  VP_ARG_SPAN(err, value, value_len);
  return guarded(err, [&](Error&) {
    options->impl.set_extra(std::string(view(key, key_len)), std::string(view(value, value_len)));
    return VECTORPIN_OK;
  });
}

/* ---- signing and parsing ---- */

vectorpin_status vectorpin_signer_pin_f32(const vectorpin_signer* signer, vectorpin_pin** out_pin, const char* source,
                                          size_t source_len, const char* model, size_t model_len, const float* vector,
                                          size_t dim, const vectorpin_pin_options* options, vectorpin_error* err) {
  return signer_pin(signer, out_pin, source, source_len, model, model_len, vector, dim, vectorpin::Dtype::F32,
                    options, err);
}

vectorpin_status vectorpin_signer_pin_f64(const vectorpin_signer* signer, vectorpin_pin** out_pin, const char* source,
                                          size_t source_len, const char* model, size_t model_len,
                                          const double* vector, size_t dim, const vectorpin_pin_options* options,
                                          vectorpin_error* err) {
  return signer_pin(signer, out_pin, source, source_len, model, model_len, vector, dim, vectorpin::Dtype::F64,
                    options, err);
}

vectorpin_status vectorpin_pin_parse(vectorpin_pin** out_pin, const char* json, size_t json_len,
                                     vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out_pin);
  *out_pin = nullptr;
  VP_ARG_SPAN(err, json, json_len);
  return guarded(err, [&](Error& e) {
    vectorpin::Pin pin;
    Status st = vectorpin::parse_pin(view(json, json_len), pin, e);
    if (st != VECTORPIN_OK) return st;
    *out_pin = new_pin_handle(std::move(pin));
    return st;
  });
}

void vectorpin_pin_free(vectorpin_pin* pin) { delete pin; }

vectorpin_status vectorpin_pin_to_json(const vectorpin_pin* pin, char** out, size_t* out_len, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, pin);
  VP_ARG_NOT_NULL(err, out);
  VP_ARG_NOT_NULL(err, out_len);
  *out = nullptr;
  *out_len = 0;
  return guarded(err, [&](Error&) { return copy_out(vectorpin::pin_to_json(pin->pin), out, out_len); });
}

vectorpin_status vectorpin_pin_signed_bytes(const vectorpin_pin* pin, uint8_t** out, size_t* out_len,
                                            vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, pin);
  VP_ARG_NOT_NULL(err, out);
  VP_ARG_NOT_NULL(err, out_len);
  *out = nullptr;
  *out_len = 0;
  return guarded(err, [&](Error&) { return copy_out(vectorpin::pin_signed_bytes(pin->pin), out, out_len); });
}

/* ---- fields ---- */

vectorpin_status vectorpin_pin_get(const vectorpin_pin* pin, const char** out, size_t* out_len,
                                   vectorpin_pin_field field, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, pin);
  VP_ARG_NOT_NULL(err, out);
  VP_ARG_NOT_NULL(err, out_len);
  *out = nullptr;
  *out_len = 0;
  const vectorpin::Pin& p = pin->pin;
  const int raw = enum_bits(field);
  VP_ARG_CHECK(err, raw >= VECTORPIN_FIELD_KID && raw <= VECTORPIN_FIELD_SIG, "unknown pin field");
  std::string_view text;
  switch (raw) {
    case VECTORPIN_FIELD_KID: text = p.kid; break;
    case VECTORPIN_FIELD_MODEL: text = p.model; break;
    case VECTORPIN_FIELD_MODEL_HASH:
      if (!p.has_model_hash) return report(err, VECTORPIN_NOT_FOUND, "the pin has no model_hash");
      text = p.model_hash;
      break;
    case VECTORPIN_FIELD_SOURCE_HASH: text = p.source_hash; break;
    case VECTORPIN_FIELD_VEC_HASH: text = p.vec_hash; break;
    case VECTORPIN_FIELD_VEC_DTYPE: text = vectorpin::dtype_name(p.dtype); break;
    case VECTORPIN_FIELD_TS: text = p.ts; break;
    default: text = pin->sig_text; break;  // VECTORPIN_FIELD_SIG
  }
  *out = text.data();  // every source is NUL-terminated
  *out_len = text.size();
  return ok(err);
}

int vectorpin_pin_version(const vectorpin_pin* pin) { return pin ? pin->pin.version : 0; }

vectorpin_dtype vectorpin_pin_dtype(const vectorpin_pin* pin) {
  if (pin == nullptr) return VECTORPIN_DTYPE_DEFAULT;
  return pin->pin.dtype == vectorpin::Dtype::F32 ? VECTORPIN_DTYPE_F32 : VECTORPIN_DTYPE_F64;
}

uint32_t vectorpin_pin_vec_dim(const vectorpin_pin* pin) { return pin ? pin->pin.vec_dim : 0; }

vectorpin_status vectorpin_pin_signature(const vectorpin_pin* pin, uint8_t* out, size_t out_cap,
                                         vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, pin);
  VP_ARG_NOT_NULL(err, out);
  return guarded(err, [&](Error& e) { return write_bytes(out, out_cap, pin->pin.sig.data(), pin->pin.sig.size(), e); });
}

size_t vectorpin_pin_extra_count(const vectorpin_pin* pin) { return pin ? pin->pin.extra.size() : 0; }

vectorpin_status vectorpin_pin_extra_at(const vectorpin_pin* pin, const char** out_key, size_t* out_key_len,
                                        const char** out_value, size_t* out_value_len, size_t index,
                                        vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, pin);
  VP_ARG_NOT_NULL(err, out_key);
  VP_ARG_NOT_NULL(err, out_key_len);
  VP_ARG_NOT_NULL(err, out_value);
  VP_ARG_NOT_NULL(err, out_value_len);
  if (index >= pin->pin.extra.size()) return report(err, VECTORPIN_NOT_FOUND, "no extra entry at this index");
  const auto& entry = pin->pin.extra[index];
  *out_key = entry.first.c_str();
  *out_key_len = entry.first.size();
  *out_value = entry.second.c_str();
  *out_value_len = entry.second.size();
  return ok(err);
}

vectorpin_status vectorpin_pin_extra_get(const vectorpin_pin* pin, const char** out_value, size_t* out_value_len,
                                         const char* key, size_t key_len, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, pin);
  VP_ARG_NOT_NULL(err, out_value);
  VP_ARG_NOT_NULL(err, out_value_len);
  VP_ARG_SPAN(err, key, key_len);
  *out_value = nullptr;
  *out_value_len = 0;
  const std::string* v = pin->pin.find_extra(view(key, key_len));
  if (v == nullptr) return report(err, VECTORPIN_NOT_FOUND, "the pin has no extra entry with this key");
  *out_value = v->c_str();
  *out_value_len = v->size();
  return ok(err);
}

}  // extern "C"
