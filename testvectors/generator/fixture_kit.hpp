// Building blocks for the fixture generator: the deterministic test key,
// signing through the public API, crafting pins a conforming signer refuses
// to make, and text surgery on pin JSON.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#include "json_emit.hpp"

namespace fixtures {

constexpr const char* kV1Kid = "test-vectors-2026-05";
constexpr const char* kV2Kid = "test-vectors-v2-2026-05";
constexpr const char* kTimestamp = "2026-05-05T12:00:00Z";

std::vector<uint8_t> test_seed();  // 0x00..0x1f
std::string test_public_key_b64();
std::string b64(const std::string& bytes);
std::string b64(const std::vector<uint8_t>& bytes);
std::string unb64(const std::string& text);

// Little-endian element bytes.
std::string f32_bytes(const std::vector<float>& v);
std::string f64_bytes(const std::vector<double>& v);
std::vector<float> f32_values(const std::string& bytes);
std::vector<double> f64_values(const std::string& bytes);

struct PinRequest {
  std::string kid = kV2Kid;
  std::string source = "hello world";
  std::string model = "test-model-v1";
  std::string vector_bytes;  // little-endian elements of `input_dtype`
  vectorpin_dtype input_dtype = VECTORPIN_DTYPE_F32;
  int protocol = 2;
  vectorpin_dtype dtype = VECTORPIN_DTYPE_DEFAULT;
  std::optional<std::string> model_hash;
  std::optional<std::string> timestamp = std::string(kTimestamp);
  std::map<std::string, std::string> extra;
};

// Signs through the public API with the test seed. Returns the status; on
// success `pin_json` holds the pin.
vectorpin_status try_sign(const PinRequest& r, std::string& pin_json, std::string* detail = nullptr);
std::string sign(const PinRequest& r);  // aborts on failure

std::string signed_bytes(const std::string& pin_json);
std::string source_hash(const std::string& pin_json);
std::string vec_hash(const std::string& pin_json);

// Replaces the signature of a pin that parses with a fresh one over its
// signed bytes: used to craft pins that verify although a conforming
// signer would refuse to produce them.
std::string resign(const std::string& pin_json);

// Replaces exactly one occurrence of `from`; aborts when it is not found
// exactly once (so generator mistakes cannot go unnoticed).
std::string replace_once(const std::string& s, const std::string& from, const std::string& to);

[[noreturn]] void die(const std::string& message);

// Stops the generator when a library call that cannot fail on its inputs
// does: the fixture files must never be written from a half-made pin.
void must(vectorpin_status st, const char* what);

}  // namespace fixtures
