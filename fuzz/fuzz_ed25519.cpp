// Differential: the project's Ed25519 verification against libsodium
// 1.0.18's crypto_sign_verify_detached, on every variant this build and
// CPU have, without and (when the input asks) with a prepared key. Any
// difference in the answer is a finding.
//
// Framing: byte 0 is a mode.
//  - mode bit 0 clear, "raw": public key (32 bytes), signature (64), then
//    the message; short inputs are padded with zeros.
//  - mode bit 0 set, "built": a key from the next 32 bytes (a seed) signs
//    the message that follows 1 count byte and that many 3-byte edits; each
//    edit XORs a byte into key || signature || message at a position, so a
//    valid signature is a few changes away from every input. Mode bits 2-4
//    then may swap in a special point for A (bit 2) or R (bit 3) from a
//    list of small-order and non-canonical encodings chosen by byte 1 of the
//    seed, or add L to S (bit 4).
//  - mode bit 5 set: the prepared-key path is compared too (slower), also
//    in the two steps a batch takes (begin_prepared, finish_prepared).
#include <cstring>
#include <memory>
#include <vector>

#include <sodium.h>

#include "ed25519/ed25519.hpp"
#include "fuzz_common.hpp"

namespace ed = vectorpin::ed25519;

namespace {

// Encodings libsodium treats specially: torsion points, their sign-flipped
// spellings, and non-canonical y's at and just above p.
const uint8_t kSpecial[12][32] = {
    {0x01},
    {0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80},
    {0x00},
    {0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80},
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0xf3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
     0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
     0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x85},
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
     0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
     0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0xfa},
};

const uint8_t kOrderL[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                             0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                             0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};

// A valid signature under a fixed second key, checked in the same group
// as the input so that lanes hold different keys and digits.
const uint8_t kOtherMessage[] = {'l', 'a', 'n', 'e'};
struct Other {
  uint8_t pk[32], sig[64];
  std::unique_ptr<ed::PreparedKey> key;
  Other() {
    uint8_t seed[32] = {7}, sk[64];
    crypto_sign_seed_keypair(pk, sk, seed);
    crypto_sign_detached(sig, nullptr, kOtherMessage, sizeof kOtherMessage, sk);
    key = ed::prepare_key(pk);
  }
};
const Other& other() {
  static const Other o;
  return o;
}
const ed::PreparedKey& other_key() { return *other().key; }
const uint8_t* other_sig() { return other().sig; }

void compare(const uint8_t pk[32], const uint8_t sig[64], const std::vector<uint8_t>& msg, bool prepared) {
  const bool want = crypto_sign_verify_detached(sig, msg.data(), msg.size(), pk) == 0;
  const ed::Impl impls[4] = {ed::Impl::Portable, ed::Impl::Split, ed::Impl::Bmi2, ed::Impl::Ifma};
  for (ed::Impl impl : impls) {
    if (!ed::force_impl(impl)) continue;
    FUZZ_CHECK(ed::verify_unprepared(pk, sig, msg.data(), msg.size()) == want);
    if (prepared) {
      auto key = ed::prepare_key(pk);
      FUZZ_CHECK(ed::verify_prepared(*key, sig, msg.data(), msg.size()) == want);
      // The batch path's two steps, the check three times in one group
      // (so the shared inversion runs, and the IFMA variant's lanes) with
      // a fixed valid signature under another key between them.
      ed::PendingCheck checks[4];
      bool in_group[4] = {false, false, false, false};
      if (ed::begin_prepared(*key, sig, msg.data(), msg.size(), checks[0])) {
        checks[2] = checks[3] = checks[0];
        FUZZ_CHECK(ed::begin_prepared(other_key(), other_sig(), kOtherMessage, sizeof kOtherMessage, checks[1]));
        ed::finish_prepared(checks, 4, in_group);
        FUZZ_CHECK(in_group[1]);
      }
      in_group[1] = want;
      FUZZ_CHECK(in_group[0] == want && in_group[2] == want && in_group[3] == want);
    }
  }
  ed::force_impl(ed::Impl::Auto);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool ready = sodium_init() >= 0;
  FUZZ_CHECK(ready);
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  ++data;
  --size;
  const bool prepared = (mode & 0x20) != 0;
  uint8_t pk[32] = {0}, sig[64] = {0};
  std::vector<uint8_t> msg;

  if ((mode & 1) == 0) {
    std::memcpy(pk, data, size < 32 ? size : 32);
    if (size > 32) std::memcpy(sig, data + 32, size - 32 < 64 ? size - 32 : 64);
    if (size > 96) msg.assign(data + 96, data + size);
    compare(pk, sig, msg, prepared);
    return 0;
  }

  uint8_t seed[32] = {0};
  std::memcpy(seed, data, size < 32 ? size : 32);
  size_t at = size < 32 ? size : 32;
  size_t edits = at < size ? data[at++] % 8 : 0;
  std::vector<uint8_t> edit_bytes;
  while (edits-- > 0 && at + 3 <= size) {
    edit_bytes.insert(edit_bytes.end(), data + at, data + at + 3);
    at += 3;
  }
  msg.assign(data + at, data + size);
  uint8_t sk[64];
  crypto_sign_seed_keypair(pk, sk, seed);
  crypto_sign_detached(sig, nullptr, msg.data(), msg.size(), sk);
  sodium_memzero(sk, sizeof sk);

  const size_t special = seed[1] % 12;
  if ((mode & 0x04) != 0) std::memcpy(pk, kSpecial[special], 32);
  if ((mode & 0x08) != 0) std::memcpy(sig, kSpecial[(special + seed[2]) % 12], 32);
  if ((mode & 0x10) != 0) {
    unsigned carry = 0;
    for (int i = 0; i < 32; ++i) {
      carry += sig[32 + i] + kOrderL[i];
      sig[32 + i] = static_cast<uint8_t>(carry);
      carry >>= 8;
    }
  }
  for (size_t i = 0; i + 3 <= edit_bytes.size(); i += 3) {
    const size_t span = 96 + msg.size();
    const size_t pos = ((size_t(edit_bytes[i]) << 8) | edit_bytes[i + 1]) % span;
    const uint8_t x = edit_bytes[i + 2];
    if (pos < 32) pk[pos] ^= x;
    else if (pos < 96) sig[pos - 32] ^= x;
    else msg[pos - 96] ^= x;
  }
  compare(pk, sig, msg, prepared);
  return 0;
}
