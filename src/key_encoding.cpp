#include "key_encoding.hpp"

#include <cstring>
#include <vector>

#include <sodium.h>

#include "base64.hpp"
#include "sha256.hpp"

namespace vectorpin {
namespace {

// The fixed DER prefixes of RFC 8410 structures for Ed25519 (OID 1.3.101.112).
// Ed25519 keys have exactly one DER encoding, so a byte comparison is a
// complete and strict parser.
constexpr uint8_t kSpkiPrefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
constexpr uint8_t kPkcs8V1Prefix[] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                                      0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
// OneAsymmetricKey (v2) carrying the public key as [1] IMPLICIT BIT STRING.
constexpr uint8_t kPkcs8V2Prefix[] = {0x30, 0x51, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06,
                                      0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
constexpr uint8_t kPkcs8V2PublicTag[] = {0x81, 0x21, 0x00};

std::string_view trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Extracts the DER body of a single PEM block with the given label.
Status pem_decode(std::string_view text, std::string_view label, std::vector<uint8_t>& der, Error& err) {
  std::string begin = "-----BEGIN " + std::string(label) + "-----";
  std::string end = "-----END " + std::string(label) + "-----";
  text = trim(text);
  if (!starts_with(text, begin))
    return fail(err, VECTORPIN_INVALID_KEY, "expected a PEM block starting with " + begin);
  if (text.size() < begin.size() + end.size() || text.substr(text.size() - end.size()) != end)
    return fail(err, VECTORPIN_INVALID_KEY, "PEM block does not end with " + end);
  std::string_view body = text.substr(begin.size(), text.size() - begin.size() - end.size());
  std::string joined;
  for (char c : body) {
    if (c == '\n' || c == '\r') continue;
    joined += c;
  }
  Error b64;
  Status st = base64_decode(joined, der, b64);
  sodium_memzero(&joined[0], joined.size());  // may be private key material
  if (st != VECTORPIN_OK) return fail(err, VECTORPIN_INVALID_KEY, "PEM body is not valid base64: " + b64.message);
  return VECTORPIN_OK;
}

std::string pem_encode(std::string_view label, const uint8_t* der, size_t len) {
  std::string b64 = base64_encode(der, len);
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  out += "-----END " + std::string(label) + "-----\n";
  sodium_memzero(&b64[0], b64.size());
  return out;
}

bool looks_like_pem(std::string_view data) { return starts_with(trim(data), "-----BEGIN "); }

// An Ed25519 key in any accepted encoding is well under 1 KiB; anything much
// larger is refused before it is scanned or decoded.
constexpr size_t kMaxKeyTextBytes = 16 * 1024;

Status check_size(std::string_view data, Error& err) {
  if (data.size() <= kMaxKeyTextBytes) return VECTORPIN_OK;
  return fail(err, VECTORPIN_INVALID_KEY,
              "key data of " + std::to_string(data.size()) + " bytes is too large to be an Ed25519 key");
}

}  // namespace

Seed::~Seed() { sodium_memzero(bytes.data(), bytes.size()); }

bool is_strong_public_key(const PublicKey& pk) { return crypto_core_ed25519_is_valid_point(pk.data()) == 1; }

Status decode_public_key(std::string_view data, PublicKey& out, Error& err) {
  if (check_size(data, err) != VECTORPIN_OK) return err.code;
  std::vector<uint8_t> bytes;
  if (data.size() == 32) {
    bytes.assign(data.begin(), data.end());
  } else if (looks_like_pem(data)) {
    std::vector<uint8_t> der;
    Status st = pem_decode(data, "PUBLIC KEY", der, err);
    if (st != VECTORPIN_OK) return st;
    if (der.size() != sizeof kSpkiPrefix + 32 || std::memcmp(der.data(), kSpkiPrefix, sizeof kSpkiPrefix) != 0)
      return fail(err, VECTORPIN_INVALID_KEY, "PEM public key is not an Ed25519 SubjectPublicKeyInfo (RFC 8410)");
    bytes.assign(der.begin() + sizeof kSpkiPrefix, der.end());
  } else {
    Error b64;
    if (base64url_decode(trim(data), bytes, b64) != VECTORPIN_OK)
      return fail(err, VECTORPIN_INVALID_KEY,
                  "public key is neither 32 raw bytes, base64url text, nor a PEM block (" + b64.message + ")");
    if (bytes.size() != 32)
      return fail(err, VECTORPIN_INVALID_KEY,
                  "base64url public key decodes to " + std::to_string(bytes.size()) + " bytes, not 32");
  }
  std::memcpy(out.data(), bytes.data(), 32);
  if (!is_strong_public_key(out))
    return fail(err, VECTORPIN_INVALID_KEY,
                "public key is not a canonical Ed25519 point of prime order (weak or malformed key)");
  return VECTORPIN_OK;
}

Status decode_private_key(std::string_view data, Seed& out, Error& err) {
  if (check_size(data, err) != VECTORPIN_OK) return err.code;
  if (data.size() == 32) {
    std::memcpy(out.bytes.data(), data.data(), 32);
    return VECTORPIN_OK;
  }
  if (!looks_like_pem(data))
    return fail(err, VECTORPIN_INVALID_KEY,
                "private key is neither a raw 32-byte seed nor a PEM block (got " + std::to_string(data.size()) +
                    " bytes)");
  std::vector<uint8_t> der;
  Status st = pem_decode(data, "PRIVATE KEY", der, err);
  if (st != VECTORPIN_OK) return st;
  struct Wipe {
    std::vector<uint8_t>& v;
    ~Wipe() { sodium_memzero(v.data(), v.size()); }
  } wipe{der};
  const size_t p = sizeof kPkcs8V1Prefix;
  if (der.size() == p + 32 && std::memcmp(der.data(), kPkcs8V1Prefix, p) == 0) {
    std::memcpy(out.bytes.data(), der.data() + p, 32);
    return VECTORPIN_OK;
  }
  if (der.size() == p + 32 + sizeof kPkcs8V2PublicTag + 32 && std::memcmp(der.data(), kPkcs8V2Prefix, p) == 0 &&
      std::memcmp(der.data() + p + 32, kPkcs8V2PublicTag, sizeof kPkcs8V2PublicTag) == 0) {
    std::memcpy(out.bytes.data(), der.data() + p, 32);
    uint8_t pk[32], sk[64];
    crypto_sign_seed_keypair(pk, sk, out.bytes.data());
    sodium_memzero(sk, sizeof sk);
    if (std::memcmp(pk, der.data() + p + 32 + sizeof kPkcs8V2PublicTag, 32) != 0)
      return fail(err, VECTORPIN_INVALID_KEY, "PKCS#8 public key does not match its private key");
    return VECTORPIN_OK;
  }
  return fail(err, VECTORPIN_INVALID_KEY, "PEM private key is not an Ed25519 PKCS#8 key (RFC 8410)");
}

std::string public_key_pem(const PublicKey& pk) {
  uint8_t der[sizeof kSpkiPrefix + 32];
  std::memcpy(der, kSpkiPrefix, sizeof kSpkiPrefix);
  std::memcpy(der + sizeof kSpkiPrefix, pk.data(), 32);
  return pem_encode("PUBLIC KEY", der, sizeof der);
}

std::string private_key_pem(const Seed& seed) {
  uint8_t der[sizeof kPkcs8V1Prefix + 32];
  std::memcpy(der, kPkcs8V1Prefix, sizeof kPkcs8V1Prefix);
  std::memcpy(der + sizeof kPkcs8V1Prefix, seed.bytes.data(), 32);
  std::string pem = pem_encode("PRIVATE KEY", der, sizeof der);
  sodium_memzero(der, sizeof der);
  return pem;
}

std::string fingerprint(const PublicKey& pk) {
  std::string hex = hash_string(sha256(pk.data(), pk.size())).substr(7, 16);
  return hex.substr(0, 4) + ":" + hex.substr(4, 4) + ":" + hex.substr(8, 4) + ":" + hex.substr(12, 4);
}

}  // namespace vectorpin
