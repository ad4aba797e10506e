/* The smallest useful verify-only consumer of the C ABI, linked statically:
 * registers one public key and verifies a pin (signature and source text).
 * docs/ABI.md reports its stripped size per architecture and how it is linked.
 *   vectorpin-verify-consumer [PIN_JSON]   exit 0: valid, 1: rejected, 2: error
 * Without an argument it checks a pin of testvectors/v2.json. */
#include <stdio.h>
#include <string.h>

#include <vectorpin.h>

static const char kKid[] = "test-vectors-v2-2026-05";
static const char kPublicKey[] = "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg";
static const char kSource[] = "hello world";
static const char kPin[] =
    "{\"kid\":\"test-vectors-v2-2026-05\",\"model\":\"test-model-v1\",\"sig\":\"UOiAisL0mR2C1OJ8-t2I8L2mS1lYJrOQxAG1dHFhbJ"
    "WWBsFzzpRLHo2dm11mVQh4n1a92Xt4bkSQnE_KFaebBg\",\"source_hash\":\"sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a"
    "5380ee9088f7ace2efcde9\",\"ts\":\"2026-05-05T12:00:00Z\",\"v\":2,\"vec_dim\":16,\"vec_dtype\":\"f32\",\"vec_hash\":\"s"
    "ha256:5f74ef6ec2c639ff447cb52256353b79599321a956d6cf9921aa9599585cb836\"}";

int main(int argc, char **argv) {
  const char *pin = argc > 1 ? argv[1] : kPin;
  uint8_t key[VECTORPIN_PUBLIC_KEY_BYTES];
  vectorpin_verifier *verifier = NULL;
  vectorpin_error err;
  vectorpin_status st = vectorpin_public_key_decode(key, sizeof key, (const uint8_t *)kPublicKey,
                                                    strlen(kPublicKey), &err);
  if (st == VECTORPIN_OK) st = vectorpin_verifier_new(&verifier, &err);
  if (st == VECTORPIN_OK)
    st = vectorpin_verifier_add_key(verifier, kKid, strlen(kKid), key, sizeof key, NULL, 0, NULL, 0, &err);
  if (st != VECTORPIN_OK) {
    fprintf(stderr, "setup failed: %s: %s\n", vectorpin_status_name(st), err.message);
    vectorpin_verifier_free(verifier);
    return 2;
  }
  st = vectorpin_verify_json_f32(verifier, pin, strlen(pin), kSource, strlen(kSource), NULL, 0, NULL, &err);
  printf("%s\n", vectorpin_status_name(st));
  vectorpin_verifier_free(verifier);
  return st == VECTORPIN_OK ? 0 : vectorpin_status_is_verification_failure(st) ? 1 : 2;
}
