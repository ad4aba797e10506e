// Key material in every accepted encoding: raw bytes, base64url text, SPKI
// and PKCS#8 PEM. Whatever decodes must be a strong key that re-encodes to
// an input the decoder accepts again with the same result.
#include <cstring>

#include <sodium.h>

#include "fuzz_common.hpp"
#include "key_encoding.hpp"
#include "vectorpin.h"

using namespace vectorpin;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool ready = sodium_init() >= 0;
  FUZZ_CHECK(ready);
  std::string_view in = fuzz::as_view(data, size);

  PublicKey pk{};
  Error err;
  Status st = decode_public_key(in, pk, err);
  FUZZ_CHECK(st == VECTORPIN_OK || st == VECTORPIN_INVALID_KEY);
  if (st == VECTORPIN_OK) {
    // libsodium's own strictness agrees: canonical, on the curve, not small order.
    FUZZ_CHECK(crypto_core_ed25519_is_valid_point(pk.data()) == 1);
    FUZZ_CHECK(is_strong_public_key(pk));
    PublicKey again{};
    Error e2;
    FUZZ_CHECK(decode_public_key(public_key_pem(pk), again, e2) == VECTORPIN_OK && again == pk);
    std::string raw(reinterpret_cast<const char*>(pk.data()), pk.size());
    FUZZ_CHECK(decode_public_key(raw, again, e2) == VECTORPIN_OK && again == pk);
    FUZZ_CHECK(fingerprint(pk).size() == 19);
  } else {
    FUZZ_CHECK(err.code == VECTORPIN_INVALID_KEY && !err.message.empty());
  }

  Seed seed;
  Error perr;
  Status ps = decode_private_key(in, seed, perr);
  FUZZ_CHECK(ps == VECTORPIN_OK || ps == VECTORPIN_INVALID_KEY);
  if (ps == VECTORPIN_OK) {
    std::string pem = private_key_pem(seed);
    Seed again;
    Error e2;
    FUZZ_CHECK(decode_private_key(pem, again, e2) == VECTORPIN_OK);
    FUZZ_CHECK(again.bytes == seed.bytes);
    sodium_memzero(&pem[0], pem.size());
    // A decoded seed yields a key pair whose public half is a strong key.
    uint8_t pub[32], sk[64];
    crypto_sign_seed_keypair(pub, sk, seed.bytes.data());
    sodium_memzero(sk, sizeof sk);
    PublicKey p;
    std::memcpy(p.data(), pub, 32);
    FUZZ_CHECK(is_strong_public_key(p));
  }

  // The same bytes as the contents of a private key file, through the ABI:
  // it accepts exactly what the decoder accepts, and the signer holds the
  // key pair of the decoded seed.
  vectorpin_signer* signer = nullptr;
  vectorpin_error aerr;
  int as = vectorpin_signer_from_private_key(&signer, "fuzz", 4, data, size, &aerr);
  FUZZ_CHECK(as == ps);
  FUZZ_CHECK(aerr.code == as);
  if (as == VECTORPIN_OK) {
    uint8_t pub[32], sk[64], got[32];
    crypto_sign_seed_keypair(pub, sk, seed.bytes.data());
    sodium_memzero(sk, sizeof sk);
    FUZZ_CHECK(vectorpin_signer_public_key(signer, got, sizeof got, nullptr) == VECTORPIN_OK);
    FUZZ_CHECK(std::memcmp(pub, got, 32) == 0);
  } else {
    FUZZ_CHECK(signer == nullptr);
  }
  vectorpin_signer_free(signer);
  return 0;
}
