// Ed25519 key material in its encodings: raw bytes, base64url text, and the
// RFC 8410 DER structures inside PEM (PKCS#8 private keys, SubjectPublicKeyInfo
// public keys). Also the strength check every registered public key passes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "error.hpp"

namespace vectorpin {

using PublicKey = std::array<uint8_t, 32>;

// A 32-byte seed that wipes itself when it goes out of scope.
struct Seed {
  std::array<uint8_t, 32> bytes{};
  Seed() = default;
  Seed(const Seed&) = delete;
  Seed& operator=(const Seed&) = delete;
  ~Seed();
};

// Canonical encoding, on the curve, not of small order, in the prime-order
// subgroup. False for every key libsodium's strict verify would refuse.
bool is_strong_public_key(const PublicKey& pk);

// Raw 32 bytes, base64url text, or "PUBLIC KEY" PEM; strength-checked.
// Failures are VECTORPIN_INVALID_KEY.
Status decode_public_key(std::string_view data, PublicKey& out, Error& err);

// Raw 32-byte seed or "PRIVATE KEY" PEM (PKCS#8 v1, or v2 with a matching
// public key). Failures are VECTORPIN_INVALID_KEY.
Status decode_private_key(std::string_view data, Seed& out, Error& err);

std::string public_key_pem(const PublicKey& pk);
// The caller wipes the returned text.
std::string private_key_pem(const Seed& seed);

// "5647:5aa7:5463:474c"
std::string fingerprint(const PublicKey& pk);

}  // namespace vectorpin
