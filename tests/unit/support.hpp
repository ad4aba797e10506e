// Helpers shared by the unit tests: fixture locations, base64url through the
// public API, and RAII owners for handles.
#pragma once

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "vectorpin.h"

namespace test {

using nlohmann::json;

inline std::string vectors_dir() {
  const char* d = std::getenv("VECTORPIN_TESTVECTORS");
  return d ? d : VECTORPIN_TESTVECTORS_DEFAULT;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline json load_json(const std::string& path) { return json::parse(read_file(path)); }

inline std::string unb64(const std::string& text) {
  uint8_t* out = nullptr;
  size_t n = 0;
  if (vectorpin_base64url_decode(&out, &n, text.data(), text.size(), nullptr) != VECTORPIN_OK)
    throw std::runtime_error("bad base64url in a fixture");
  std::string s(reinterpret_cast<char*>(out), n);
  vectorpin_free(out);
  return s;
}

inline std::string b64(const std::string& bytes) {
  char* out = nullptr;
  size_t n = 0;
  EXPECT_EQ(vectorpin_base64url_encode(&out, &n, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), nullptr), VECTORPIN_OK);
  std::string s(out, n);
  vectorpin_free(out);
  return s;
}

// Elements from their little-endian bytes, whatever the host's byte order.
template <typename T>
std::vector<T> values(const std::string& bytes) {
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  std::vector<T> v(bytes.size() / sizeof(T));
  for (size_t k = 0; k < v.size(); ++k) {
    Bits bits = 0;
    for (size_t i = sizeof(T); i-- > 0;) bits = (bits << 8) | static_cast<unsigned char>(bytes[k * sizeof(T) + i]);
    std::memcpy(&v[k], &bits, sizeof bits);
  }
  return v;
}

inline std::vector<uint8_t> test_seed() {
  std::vector<uint8_t> s(32);
  for (int i = 0; i < 32; ++i) s[i] = static_cast<uint8_t>(i);
  return s;
}

struct Deleter {
  void operator()(vectorpin_signer* p) const { vectorpin_signer_free(p); }
  void operator()(vectorpin_verifier* p) const { vectorpin_verifier_free(p); }
  void operator()(vectorpin_pin* p) const { vectorpin_pin_free(p); }
  void operator()(vectorpin_pin_options* p) const { vectorpin_pin_options_free(p); }
  void operator()(vectorpin_expectations* p) const { vectorpin_expectations_free(p); }
};
using Signer = std::unique_ptr<vectorpin_signer, Deleter>;
using Verifier = std::unique_ptr<vectorpin_verifier, Deleter>;
using Pin = std::unique_ptr<vectorpin_pin, Deleter>;
using Options = std::unique_ptr<vectorpin_pin_options, Deleter>;
using Expectations = std::unique_ptr<vectorpin_expectations, Deleter>;

inline Signer test_signer(const std::string& kid = "test-vectors-v2-2026-05") {
  vectorpin_signer* s = nullptr;
  auto seed = test_seed();
  EXPECT_EQ(vectorpin_signer_from_seed(&s, kid.data(), kid.size(), seed.data(), seed.size(), nullptr), VECTORPIN_OK);
  return Signer(s);
}

inline Verifier verifier_with(const std::string& kid, const std::string& public_key, bool legacy = false) {
  vectorpin_verifier* v = nullptr;
  EXPECT_EQ(vectorpin_verifier_new(&v, nullptr), VECTORPIN_OK);
  EXPECT_EQ(vectorpin_verifier_add_key(v, kid.data(), kid.size(), reinterpret_cast<const uint8_t*>(public_key.data()),
                                       public_key.size(), nullptr, 0, nullptr, 0, nullptr),
            VECTORPIN_OK);
  EXPECT_EQ(vectorpin_verifier_set_legacy_v1(v, legacy, nullptr), VECTORPIN_OK);
  return Verifier(v);
}

inline std::string to_json(const vectorpin_pin* pin) {
  char* out = nullptr;
  size_t n = 0;
  EXPECT_EQ(vectorpin_pin_to_json(pin, &out, &n, nullptr), VECTORPIN_OK);
  std::string s(out, n);
  vectorpin_free(out);
  return s;
}

inline std::string signed_bytes(const vectorpin_pin* pin) {
  uint8_t* out = nullptr;
  size_t n = 0;
  EXPECT_EQ(vectorpin_pin_signed_bytes(pin, &out, &n, nullptr), VECTORPIN_OK);
  std::string s(reinterpret_cast<char*>(out), n);
  vectorpin_free(out);
  return s;
}

inline std::string test_public_key() { return unb64("A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"); }

}  // namespace test
