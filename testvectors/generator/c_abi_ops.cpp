#include "c_abi_ops.hpp"

#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include "vectorpin.h"
#include "util/le_bytes.hpp"

namespace conformance {
namespace {

using nlohmann::json;

struct Freer {
  void operator()(void* p) const { vectorpin_free(p); }
};
struct SignerFree {
  void operator()(vectorpin_signer* p) const { vectorpin_signer_free(p); }
};
struct VerifierFree {
  void operator()(vectorpin_verifier* p) const { vectorpin_verifier_free(p); }
};
struct PinFree {
  void operator()(vectorpin_pin* p) const { vectorpin_pin_free(p); }
};
struct OptionsFree {
  void operator()(vectorpin_pin_options* p) const { vectorpin_pin_options_free(p); }
};
struct ExpectationsFree {
  void operator()(vectorpin_expectations* p) const { vectorpin_expectations_free(p); }
};

const std::string& text(const json& input, const char* key) {
  auto it = input.find(key);
  if (it == input.end() || !it->is_string()) throw std::invalid_argument(std::string("input.") + key + " must be a string");
  return it->get_ref<const std::string&>();
}

bool has(const json& input, const char* key) { return input.contains(key) && !input.at(key).is_null(); }

std::string unb64(const json& input, const char* key) {
  const std::string& t = text(input, key);
  uint8_t* out = nullptr;
  size_t n = 0;
  if (vectorpin_base64url_decode(&out, &n, t.data(), t.size(), nullptr) != VECTORPIN_OK)
    throw std::invalid_argument(std::string("input.") + key + " is not base64url");
  std::unique_ptr<uint8_t, Freer> owned(out);
  return std::string(reinterpret_cast<const char*>(out), n);
}

std::string b64(const void* data, size_t n) {
  char* out = nullptr;
  size_t len = 0;
  if (vectorpin_base64url_encode(&out, &len, static_cast<const uint8_t*>(data), n, nullptr) != VECTORPIN_OK)
    throw std::runtime_error("base64url encoding failed");
  std::unique_ptr<char, Freer> owned(out);
  return std::string(out, len);
}

vectorpin_dtype dtype_of(const std::string& name) {
  if (name == "f32") return VECTORPIN_DTYPE_F32;
  if (name == "f64") return VECTORPIN_DTYPE_F64;
  throw std::invalid_argument("dtype must be \"f32\" or \"f64\"");
}

// A vector of the request: {"dtype", "data_b64"} with little-endian elements.
struct Vector {
  vectorpin_dtype dtype = VECTORPIN_DTYPE_F32;
  std::vector<float> f32;
  std::vector<double> f64;
  size_t size() const { return dtype == VECTORPIN_DTYPE_F32 ? f32.size() : f64.size(); }
  // Never NULL, so an empty vector is "supplied and empty", not "absent".
  const float* f32_data() const { return f32.empty() ? reinterpret_cast<const float*>("") : f32.data(); }
  const double* f64_data() const { return f64.empty() ? reinterpret_cast<const double*>("") : f64.data(); }
};

Vector vector_of(const json& input, const char* key) {
  auto it = input.find(key);
  if (it == input.end() || !it->is_object()) throw std::invalid_argument(std::string("input.") + key + " must be an object");
  Vector v;
  v.dtype = dtype_of(text(*it, "dtype"));
  std::string bytes = unb64(*it, "data_b64");
  size_t width = v.dtype == VECTORPIN_DTYPE_F32 ? 4 : 8;
  if (bytes.size() % width != 0) throw std::invalid_argument("vector bytes are not a whole number of elements");
  // Decoded from little-endian whatever the host's byte order: the generator
  // checks every case this way on big-endian s390x too.
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  if (v.dtype == VECTORPIN_DTYPE_F32)
    vectorpin::util::load_le_f32(data, bytes.size() / 4, v.f32);
  else
    vectorpin::util::load_le_f64(data, bytes.size() / 8, v.f64);
  return v;
}

json failure(vectorpin_status st, const vectorpin_error& err) {
  return json{{"status", vectorpin_status_name(st)}, {"detail", std::string(err.message)}};
}

json ok() { return json{{"status", "OK"}}; }

json hash_text(const json& in) {
  std::string t = unb64(in, "text_b64");
  char out[VECTORPIN_HASH_STRING_BUFFER_BYTES];
  vectorpin_error err;
  vectorpin_status st = vectorpin_hash_text(out, sizeof out, t.data(), t.size(), &err);
  if (st != VECTORPIN_OK) return failure(st, err);
  json r = ok();
  r["hash"] = std::string(out);
  return r;
}

json hash_vector(const json& in) {
  Vector v = vector_of(in, "vector");
  vectorpin_dtype as = dtype_of(text(in, "hash_dtype"));
  char out[VECTORPIN_HASH_STRING_BUFFER_BYTES];
  vectorpin_error err;
  vectorpin_status st = v.dtype == VECTORPIN_DTYPE_F32
                            ? vectorpin_hash_vector_f32(out, sizeof out, v.f32_data(), v.size(), as, &err)
                            : vectorpin_hash_vector_f64(out, sizeof out, v.f64_data(), v.size(), as, &err);
  if (st != VECTORPIN_OK) return failure(st, err);
  json r = ok();
  r["hash"] = std::string(out);
  return r;
}

// `r` with the pin's canonical JSON added as pin_b64, or the refusal.
json with_pin_json(json r, const vectorpin_pin* pin) {
  char* written = nullptr;
  size_t written_len = 0;
  vectorpin_error err;
  vectorpin_status st = vectorpin_pin_to_json(pin, &written, &written_len, &err);
  if (st != VECTORPIN_OK) return failure(st, err);
  std::unique_ptr<char, Freer> own_written(written);
  r["pin_b64"] = b64(written, written_len);
  return r;
}

json parse(const json& in) {
  std::string pin_json = unb64(in, "pin_b64");
  vectorpin_pin* raw = nullptr;
  vectorpin_error err;
  vectorpin_status st = vectorpin_pin_parse(&raw, pin_json.data(), pin_json.size(), &err);
  if (st != VECTORPIN_OK) return failure(st, err);
  std::unique_ptr<vectorpin_pin, PinFree> pin(raw);
  uint8_t* signed_bytes = nullptr;
  size_t signed_len = 0;
  st = vectorpin_pin_signed_bytes(pin.get(), &signed_bytes, &signed_len, &err);
  if (st != VECTORPIN_OK) return failure(st, err);
  std::unique_ptr<uint8_t, Freer> own_signed(signed_bytes);
  json r = ok();
  r["signed_bytes_b64"] = b64(signed_bytes, signed_len);
  return with_pin_json(std::move(r), pin.get());
}

json sign(const json& in) {
  std::string seed = unb64(in, "seed_b64");
  const std::string& kid = text(in, "kid");
  vectorpin_signer* raw_signer = nullptr;
  vectorpin_error err;
  vectorpin_status st = vectorpin_signer_from_seed(&raw_signer, kid.data(), kid.size(),
                                                   reinterpret_cast<const uint8_t*>(seed.data()), seed.size(), &err);
  if (st != VECTORPIN_OK) return failure(st, err);
  std::unique_ptr<vectorpin_signer, SignerFree> signer(raw_signer);
  vectorpin_pin_options* raw_opts = nullptr;
  if (st = vectorpin_pin_options_new(&raw_opts, &err); st != VECTORPIN_OK) return failure(st, err);
  std::unique_ptr<vectorpin_pin_options, OptionsFree> opts(raw_opts);
  auto apply = [&](vectorpin_status s) {
    if (s != VECTORPIN_OK && st == VECTORPIN_OK) st = s;
  };
  if (has(in, "protocol")) {
    if (!in.at("protocol").is_number_integer()) throw std::invalid_argument("input.protocol must be an integer");
    apply(vectorpin_pin_options_set_protocol(opts.get(), in.at("protocol").get<int>(), &err));
  }
  if (has(in, "dtype")) apply(vectorpin_pin_options_set_dtype(opts.get(), dtype_of(text(in, "dtype")), &err));
  if (has(in, "model_hash")) {
    const std::string& h = text(in, "model_hash");
    apply(vectorpin_pin_options_set_model_hash(opts.get(), h.data(), h.size(), &err));
  }
  if (has(in, "timestamp")) {
    const std::string& ts = text(in, "timestamp");
    apply(vectorpin_pin_options_set_timestamp(opts.get(), ts.data(), ts.size(), &err));
  }
  if (has(in, "extra")) {
    if (!in.at("extra").is_object()) throw std::invalid_argument("input.extra must be an object");
    for (const auto& [k, v] : in.at("extra").items()) {
      if (!v.is_string()) throw std::invalid_argument("input.extra values must be strings");
      const std::string& s = v.get_ref<const std::string&>();
      apply(vectorpin_pin_options_set_extra(opts.get(), k.data(), k.size(), s.data(), s.size(), &err));
    }
  }
  if (st != VECTORPIN_OK) return failure(st, err);
  std::string source = unb64(in, "source_b64");
  const std::string& model = text(in, "model");
  Vector v = vector_of(in, "vector");
  vectorpin_pin* raw_pin = nullptr;
  st = v.dtype == VECTORPIN_DTYPE_F32
           ? vectorpin_signer_pin_f32(signer.get(), &raw_pin, source.data(), source.size(), model.data(), model.size(),
                                      v.f32_data(), v.size(), opts.get(), &err)
           : vectorpin_signer_pin_f64(signer.get(), &raw_pin, source.data(), source.size(), model.data(), model.size(),
                                      v.f64_data(), v.size(), opts.get(), &err);
  if (st != VECTORPIN_OK) return failure(st, err);
  std::unique_ptr<vectorpin_pin, PinFree> pin(raw_pin);
  return with_pin_json(ok(), pin.get());
}

vectorpin_status add_key(vectorpin_verifier* v, const json& key, vectorpin_error& err) {
  const std::string& kid = text(key, "kid");
  std::string pk = unb64(key, "public_key_b64");
  std::string from = has(key, "valid_from") ? text(key, "valid_from") : std::string();
  std::string until = has(key, "valid_until") ? text(key, "valid_until") : std::string();
  return vectorpin_verifier_add_key(v, kid.data(), kid.size(), reinterpret_cast<const uint8_t*>(pk.data()), pk.size(),
                                    has(key, "valid_from") ? from.data() : nullptr, from.size(),
                                    has(key, "valid_until") ? until.data() : nullptr, until.size(), &err);
}

json add_key_op(const json& in) {
  vectorpin_verifier* raw = nullptr;
  vectorpin_error err;
  if (vectorpin_status st = vectorpin_verifier_new(&raw, &err); st != VECTORPIN_OK) return failure(st, err);
  std::unique_ptr<vectorpin_verifier, VerifierFree> v(raw);
  vectorpin_status st = add_key(v.get(), in, err);
  return st == VECTORPIN_OK ? ok() : failure(st, err);
}

json verify(const json& in) {
  vectorpin_verifier* raw = nullptr;
  vectorpin_error err;
  if (vectorpin_status st = vectorpin_verifier_new(&raw, &err); st != VECTORPIN_OK) return failure(st, err);
  std::unique_ptr<vectorpin_verifier, VerifierFree> v(raw);
  if (in.contains("keys")) {
    if (!in.at("keys").is_array()) throw std::invalid_argument("input.keys must be an array");
    for (const auto& k : in.at("keys")) {
      vectorpin_status st = add_key(v.get(), k, err);
      if (st != VECTORPIN_OK) return failure(st, err);
    }
  }
  if (has(in, "legacy_v1") && in.at("legacy_v1").get<bool>())
    if (vectorpin_status st = vectorpin_verifier_set_legacy_v1(v.get(), 1, &err); st != VECTORPIN_OK)
      return failure(st, err);
  vectorpin_expectations* raw_e = nullptr;
  if (vectorpin_status st = vectorpin_expectations_new(&raw_e, &err); st != VECTORPIN_OK) return failure(st, err);
  std::unique_ptr<vectorpin_expectations, ExpectationsFree> e(raw_e);
  const std::pair<const char*, vectorpin_expectation> kExpect[] = {
      {"expect_model", VECTORPIN_EXPECT_MODEL},
      {"expect_record_id", VECTORPIN_EXPECT_RECORD_ID},
      {"expect_collection_id", VECTORPIN_EXPECT_COLLECTION_ID},
      {"expect_tenant_id", VECTORPIN_EXPECT_TENANT_ID},
  };
  for (const auto& [key, which] : kExpect) {
    if (!has(in, key)) continue;
    const std::string& value = text(in, key);
    if (vectorpin_status st = vectorpin_expectations_set(e.get(), which, value.data(), value.size(), &err);
        st != VECTORPIN_OK)
      return failure(st, err);
  }
  std::string pin = unb64(in, "pin_b64");
  std::string source;
  const char* src = nullptr;
  if (has(in, "source_b64")) {
    source = unb64(in, "source_b64");
    src = source.data();
  }
  vectorpin_status st;
  if (has(in, "vector")) {
    Vector vec = vector_of(in, "vector");
    st = vec.dtype == VECTORPIN_DTYPE_F32
             ? vectorpin_verify_json_f32(v.get(), pin.data(), pin.size(), src, source.size(), vec.f32_data(), vec.size(),
                                         e.get(), &err)
             : vectorpin_verify_json_f64(v.get(), pin.data(), pin.size(), src, source.size(), vec.f64_data(), vec.size(),
                                         e.get(), &err);
  } else {
    st = vectorpin_verify_json_f32(v.get(), pin.data(), pin.size(), src, source.size(), nullptr, 0, e.get(), &err);
  }
  return st == VECTORPIN_OK ? ok() : failure(st, err);
}

json fingerprint(const json& in) {
  std::string pk = unb64(in, "public_key_b64");
  char out[VECTORPIN_FINGERPRINT_BUFFER_BYTES];
  vectorpin_error err;
  vectorpin_status st =
      vectorpin_public_key_fingerprint(out, sizeof out, reinterpret_cast<const uint8_t*>(pk.data()), pk.size(), &err);
  if (st != VECTORPIN_OK) return failure(st, err);
  json r = ok();
  r["fingerprint"] = std::string(out);
  return r;
}

}  // namespace

json run_c_abi_op(const std::string& op, const json& input) {
  if (!input.is_object()) throw std::invalid_argument("input must be an object");
  if (op == "hash_text") return hash_text(input);
  if (op == "hash_vector") return hash_vector(input);
  if (op == "parse") return parse(input);
  if (op == "sign") return sign(input);
  if (op == "verify") return verify(input);
  if (op == "add_key") return add_key_op(input);
  if (op == "fingerprint") return fingerprint(input);
  return json{{"status", "unsupported"}};
}

}  // namespace conformance
