// Helpers shared by the hostile-input tests: the test signer and verifier,
// pin JSON surgery, and the checks every error detail must pass.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "vectorpin.h"

namespace hostile {

constexpr const char* kKid = "hostile-kid";
constexpr const char* kTs = "2026-05-05T12:00:00Z";

inline std::vector<uint8_t> test_seed() {
  std::vector<uint8_t> s(32);
  for (int i = 0; i < 32; ++i) s[i] = static_cast<uint8_t>(i);
  return s;
}

inline std::string status_name(int st) { return vectorpin_status_name(st); }

// Every detail: NUL-terminated within the buffer, at most 255 bytes, no
// control characters, every quoted segment at most 64 characters, and no
// run of the attacker's bytes longer than a quote could explain: a window of
// 67 bytes of `attacker` (64 characters plus the quote marks that may
// coincide with the attacker's own delimiters) never appears in the message.
inline void expect_bounded_detail(const vectorpin_error& e, std::string_view attacker = {}) {
  size_t n = strnlen(e.message, sizeof e.message);
  ASSERT_LT(n, sizeof e.message);
  EXPECT_LE(n, 255u);
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(e.message[i]);
    EXPECT_FALSE(c < 0x20 || c == 0x7f) << "control byte " << int(c) << " at " << i;
  }
  if (e.code != VECTORPIN_OK) EXPECT_GT(n, 0u) << "a failure carries a detail";
  std::string_view msg(e.message, n);
  size_t open = msg.find('"');
  while (open != std::string_view::npos) {
    size_t close = msg.find('"', open + 1);
    if (close == std::string_view::npos) break;
    size_t chars = 0;
    for (size_t i = open + 1; i < close; ++i)
      if ((static_cast<unsigned char>(msg[i]) & 0xc0) != 0x80) ++chars;
    EXPECT_LE(chars, 64u) << "quoted segment too long in: " << msg;
    open = msg.find('"', close + 1);
  }
  if (attacker.size() > 66) {
    size_t windows = std::min<size_t>(attacker.size() - 66, 4096);
    for (size_t i = 0; i < windows; ++i) {
      std::string_view w = attacker.substr(i, 67);
      // Windows of one repeated byte would also match the message's own text.
      if (w.find_first_not_of(w[0]) == std::string_view::npos) continue;
      ASSERT_EQ(msg.find(w), std::string_view::npos) << "detail quotes more than 64 characters: " << msg;
    }
  }
}

struct SignerHandle {
  vectorpin_signer* s = nullptr;
  ~SignerHandle() { vectorpin_signer_free(s); }
};

struct VerifierHandle {
  vectorpin_verifier* v = nullptr;
  ~VerifierHandle() { vectorpin_verifier_free(v); }
};

inline vectorpin_signer* make_signer(const char* kid = kKid) {
  auto seed = test_seed();
  vectorpin_signer* s = nullptr;
  EXPECT_EQ(vectorpin_signer_from_seed(&s, kid, std::strlen(kid), seed.data(), seed.size(), nullptr), VECTORPIN_OK);
  return s;
}

inline vectorpin_verifier* make_verifier(const char* kid = kKid) {
  vectorpin_verifier* v = nullptr;
  EXPECT_EQ(vectorpin_verifier_new(&v, nullptr), VECTORPIN_OK);
  auto seed = test_seed();
  vectorpin_signer* s = make_signer(kid);
  uint8_t pk[32];
  EXPECT_EQ(vectorpin_signer_public_key(s, pk, sizeof pk, nullptr), VECTORPIN_OK);
  vectorpin_signer_free(s);
  EXPECT_EQ(vectorpin_verifier_add_key(v, kid, std::strlen(kid), pk, 32, nullptr, 0, nullptr, 0, nullptr),
            VECTORPIN_OK);
  return v;
}

struct Extra {
  std::string key, value;
};

// A pin signed with the test key at a fixed time, as JSON.
inline std::string sign_json(const std::vector<float>& vec, const std::string& source = "hello",
                             const std::vector<Extra>& extra = {}, const std::string& model = "m") {
  SignerHandle s{make_signer()};
  vectorpin_pin_options* o = nullptr;
  EXPECT_EQ(vectorpin_pin_options_new(&o, nullptr), VECTORPIN_OK);
  EXPECT_EQ(vectorpin_pin_options_set_timestamp(o, kTs, std::strlen(kTs), nullptr), VECTORPIN_OK);
  for (const auto& x : extra) {
    vectorpin_error e;
    EXPECT_EQ(vectorpin_pin_options_set_extra(o, x.key.data(), x.key.size(), x.value.data(), x.value.size(), &e),
              VECTORPIN_OK)
        << e.message;
  }
  vectorpin_pin* pin = nullptr;
  vectorpin_error e;
  EXPECT_EQ(vectorpin_signer_pin_f32(s.s, &pin, source.data(), source.size(), model.data(), model.size(), vec.data(),
                                     vec.size(), o, &e),
            VECTORPIN_OK)
      << e.message;
  vectorpin_pin_options_free(o);
  char* out = nullptr;
  size_t len = 0;
  EXPECT_EQ(vectorpin_pin_to_json(pin, &out, &len, nullptr), VECTORPIN_OK);
  std::string json(out, len);
  vectorpin_free(out);
  vectorpin_pin_free(pin);
  return json;
}

inline std::string replace_once(std::string s, std::string_view from, std::string_view to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << "no " << from << " in " << s;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// Parses `json`; returns the status and checks the detail.
inline int parse_status(const std::string& json) {
  vectorpin_pin* pin = nullptr;
  vectorpin_error e;
  int st = vectorpin_pin_parse(&pin, json.data(), json.size(), &e);
  EXPECT_EQ(e.code, st);
  expect_bounded_detail(e, json);
  if (st != VECTORPIN_OK) EXPECT_EQ(pin, nullptr);
  vectorpin_pin_free(pin);
  return st;
}

}  // namespace hostile
