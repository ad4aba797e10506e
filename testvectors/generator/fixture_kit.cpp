#include "fixture_kit.hpp"

#include <cstring>
#include <type_traits>
#include <iostream>

#include <sodium.h>

namespace fixtures {

void die(const std::string& message) { throw cli::Failure(cli::kExitRuntime, "testvectors: " + message); }

void must(vectorpin_status st, const char* what) {
  if (st != VECTORPIN_OK) die(std::string(what) + " failed: " + vectorpin_status_name(st));
}

std::vector<uint8_t> test_seed() {
  std::vector<uint8_t> s(32);
  for (size_t i = 0; i < 32; ++i) s[i] = static_cast<uint8_t>(i);
  return s;
}

std::string b64(const std::string& bytes) {
  return cli::base64url(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}
std::string b64(const std::vector<uint8_t>& bytes) { return cli::base64url(bytes.data(), bytes.size()); }

std::string unb64(const std::string& text) {
  auto v = cli::base64url_decode(text, "fixture value");
  return std::string(v.begin(), v.end());
}

std::string test_public_key_b64() {
  auto seed = test_seed();
  uint8_t pk[32], sk[64];
  crypto_sign_seed_keypair(pk, sk, seed.data());
  sodium_memzero(sk, sizeof sk);
  return cli::base64url(pk, 32);
}

// The fixtures' vector bytes are little-endian whatever the host's byte
// order: the generator must write the same files on big-endian hosts (the
// cross tests run it on s390x).
template <typename T>
using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;

template <typename T>
std::string le_bytes(const std::vector<T>& v) {
  std::string out;
  out.reserve(v.size() * sizeof(T));
  for (T x : v) {
    Bits<T> bits;
    std::memcpy(&bits, &x, sizeof bits);
    for (size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>(bits >> (8 * i)));
  }
  return out;
}
template <typename T>
std::vector<T> from_le(const std::string& bytes) {
  std::vector<T> v(bytes.size() / sizeof(T));
  for (size_t k = 0; k < v.size(); ++k) {
    Bits<T> bits = 0;
    for (size_t i = sizeof(T); i-- > 0;) bits = (bits << 8) | static_cast<unsigned char>(bytes[k * sizeof(T) + i]);
    std::memcpy(&v[k], &bits, sizeof bits);
  }
  return v;
}
std::string f32_bytes(const std::vector<float>& v) { return le_bytes(v); }
std::string f64_bytes(const std::vector<double>& v) { return le_bytes(v); }
std::vector<float> f32_values(const std::string& bytes) { return from_le<float>(bytes); }
std::vector<double> f64_values(const std::string& bytes) { return from_le<double>(bytes); }

vectorpin_status try_sign(const PinRequest& r, std::string& pin_json, std::string* detail) {
  auto seed = test_seed();
  cli::SignerHandle signer;
  vectorpin_error err;
  vectorpin_status st = vectorpin_signer_from_seed(&signer.p, r.kid.data(), r.kid.size(), seed.data(), seed.size(), &err);
  if (st != VECTORPIN_OK) {
    if (detail) *detail = err.message;
    return st;
  }
  cli::OptionsHandle opts;
  must(vectorpin_pin_options_new(&opts.p, nullptr), "vectorpin_pin_options_new");
  must(vectorpin_pin_options_set_protocol(opts.p, r.protocol, nullptr), "vectorpin_pin_options_set_protocol");
  must(vectorpin_pin_options_set_dtype(opts.p, r.dtype, nullptr), "vectorpin_pin_options_set_dtype");
  // An option the library refuses is the request's answer, as a refused
  // signature is: signing on without it would write a fixture for a pin
  // the request did not ask for.
  auto refused = [&](vectorpin_status option_st) {
    if (option_st == VECTORPIN_OK) return false;
    st = option_st;
    if (detail) *detail = err.message;
    return true;
  };
  if (r.model_hash &&
      refused(vectorpin_pin_options_set_model_hash(opts.p, r.model_hash->data(), r.model_hash->size(), &err)))
    return st;
  if (r.timestamp && refused(vectorpin_pin_options_set_timestamp(opts.p, r.timestamp->data(), r.timestamp->size(), &err)))
    return st;
  for (const auto& [k, v] : r.extra)
    if (refused(vectorpin_pin_options_set_extra(opts.p, k.data(), k.size(), v.data(), v.size(), &err))) return st;
  cli::PinHandle pin;
  if (r.input_dtype == VECTORPIN_DTYPE_F32) {
    auto v = f32_values(r.vector_bytes);
    st = vectorpin_signer_pin_f32(signer.p, &pin.p, r.source.data(), r.source.size(), r.model.data(), r.model.size(),
                                  v.empty() ? nullptr : v.data(), v.size(), opts.p, &err);
  } else {
    auto v = f64_values(r.vector_bytes);
    st = vectorpin_signer_pin_f64(signer.p, &pin.p, r.source.data(), r.source.size(), r.model.data(), r.model.size(),
                                  v.empty() ? nullptr : v.data(), v.size(), opts.p, &err);
  }
  if (st != VECTORPIN_OK) {
    if (detail) *detail = err.message;
    return st;
  }
  cli::LibString json;
  must(vectorpin_pin_to_json(pin.p, &json.p, &json.n, nullptr), "vectorpin_pin_to_json");
  pin_json = json.str();
  return VECTORPIN_OK;
}

std::string sign(const PinRequest& r) {
  std::string pin, detail;
  vectorpin_status st = try_sign(r, pin, &detail);
  if (st != VECTORPIN_OK) die(std::string("signing failed: ") + vectorpin_status_name(st) + ": " + detail);
  return pin;
}

namespace {

cli::PinHandle parse(const std::string& pin_json) {
  cli::PinHandle pin;
  vectorpin_error err;
  if (vectorpin_pin_parse(&pin.p, pin_json.data(), pin_json.size(), &err) != VECTORPIN_OK)
    die(std::string("crafted pin does not parse: ") + err.message);
  return pin;
}

std::string field(const std::string& pin_json, vectorpin_pin_field f) {
  cli::PinHandle pin = parse(pin_json);
  const char* p;
  size_t n;
  must(vectorpin_pin_get(pin.p, &p, &n, f, nullptr), "vectorpin_pin_get");
  return std::string(p, n);
}

}  // namespace

std::string signed_bytes(const std::string& pin_json) {
  cli::PinHandle pin = parse(pin_json);
  uint8_t* bytes = nullptr;
  size_t n = 0;
  must(vectorpin_pin_signed_bytes(pin.p, &bytes, &n, nullptr), "vectorpin_pin_signed_bytes");
  std::string out(reinterpret_cast<char*>(bytes), n);
  vectorpin_free(bytes);
  return out;
}

std::string source_hash(const std::string& pin_json) { return field(pin_json, VECTORPIN_FIELD_SOURCE_HASH); }
std::string vec_hash(const std::string& pin_json) { return field(pin_json, VECTORPIN_FIELD_VEC_HASH); }

std::string resign(const std::string& pin_json) {
  std::string message = signed_bytes(pin_json);
  auto seed = test_seed();
  uint8_t pk[32], sk[64], sig[64];
  crypto_sign_seed_keypair(pk, sk, seed.data());
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const uint8_t*>(message.data()), message.size(), sk);
  sodium_memzero(sk, sizeof sk);
  std::string old_sig = field(pin_json, VECTORPIN_FIELD_SIG);
  return replace_once(pin_json, "\"" + old_sig + "\"", "\"" + cli::base64url(sig, 64) + "\"");
}

std::string replace_once(const std::string& s, const std::string& from, const std::string& to) {
  size_t at = s.find(from);
  if (at == std::string::npos || s.find(from, at + 1) != std::string::npos)
    die("replace_once: pattern not found exactly once: " + from.substr(0, 60));
  return s.substr(0, at) + to + s.substr(at + from.size());
}

}  // namespace fixtures
