// The pin: its fields (pin.cpp), the rules every field obeys
// (pin_rules.cpp), its wire form and the bytes its signature covers
// (pin_codec.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "error.hpp"
#include "hashing.hpp"

namespace vectorpin {

constexpr size_t kMaxPinJsonBytes = VECTORPIN_MAX_PIN_JSON_BYTES;
constexpr uint32_t kMaxVecDim = VECTORPIN_MAX_VEC_DIM;
constexpr size_t kMaxExtraEntries = VECTORPIN_MAX_EXTRA_ENTRIES;
constexpr size_t kMaxExtraKeyBytes = VECTORPIN_MAX_EXTRA_KEY_BYTES;
constexpr size_t kMaxExtraValueBytes = VECTORPIN_MAX_EXTRA_VALUE_BYTES;

// "vectorpin/v2" followed by one NUL byte: 13 bytes.
constexpr std::string_view kV2DomainTag{"vectorpin/v2\0", 13};

// The reserved extra keys, from the header's table.
#define VECTORPIN_EXTRA_KEY_CONSTANT_(name, number, key, status) \
  constexpr std::string_view kExtraKey_##name = key;
VECTORPIN_EXTRA_KEY_TABLE(VECTORPIN_EXTRA_KEY_CONSTANT_)
#undef VECTORPIN_EXTRA_KEY_CONSTANT_
constexpr std::string_view kExtraRecordId = kExtraKey_RECORD_ID;
constexpr std::string_view kExtraCollectionId = kExtraKey_COLLECTION_ID;
constexpr std::string_view kExtraTenantId = kExtraKey_TENANT_ID;

using ExtraMap = std::vector<std::pair<std::string, std::string>>;  // sorted by key bytes

struct Pin {
  int version = 2;
  std::string kid;
  std::string model;
  bool has_model_hash = false;
  std::string model_hash;
  std::string source_hash;
  std::string vec_hash;
  Dtype dtype = Dtype::F32;
  uint32_t vec_dim = 0;
  std::string ts;
  ExtraMap extra;
  std::array<uint8_t, 64> sig{};

  // The value stored under `key`, or nullptr.
  const std::string* find_extra(std::string_view key) const;
};

// --- field rules (shared by the parser and the signer) -------------------

// kid / model: non-empty, valid UTF-8 in NFC, no control or bidi character.
Status check_identifier(const char* field, std::string_view value, Error& err);

// Entry count and sizes always; with `strict_text` (v2) also non-empty keys,
// NFC and no control or bidi characters in keys and values.
Status check_extra(const ExtraMap& extra, bool strict_text, Error& err);

// --- wire form ------------------------------------------------------------

// Every rule of the protocol's section 3; PARSE_ERROR or UNSUPPORTED_VERSION.
Status parse_pin(std::string_view json, Pin& out, Error& err);

// Keys sorted, no whitespace, raw UTF-8.
std::string pin_to_json(const Pin& pin);

// The bytes the signature covers for the pin's version.
std::string pin_signed_bytes(const Pin& pin);
// The same written into `out` (cleared first), so a caller can reuse its
// capacity.
void pin_signed_bytes_into(const Pin& pin, std::string& out);

}  // namespace vectorpin
