/* Uses the library as a parent project would: signs a pin and verifies it. */
#include <stdio.h>
#include <string.h>

#include "vectorpin.h"

int main(void) {
  vectorpin_error err;
  vectorpin_signer *signer = NULL;
  vectorpin_verifier *verifier = NULL;
  vectorpin_pin *pin = NULL;
  uint8_t pk[VECTORPIN_PUBLIC_KEY_BYTES];
  const float vec[2] = {0.5f, 0.25f};
  int rc = 1;
  if (vectorpin_signer_generate(&signer, "parent", 6, &err) != VECTORPIN_OK) goto done;
  if (vectorpin_signer_public_key(signer, pk, sizeof pk, &err) != VECTORPIN_OK) goto done;
  if (vectorpin_signer_pin_f32(signer, &pin, "text", 4, "m", 1, vec, 2, NULL, &err) != VECTORPIN_OK) goto done;
  if (vectorpin_verifier_new(&verifier, &err) != VECTORPIN_OK) goto done;
  if (vectorpin_verifier_add_key(verifier, "parent", 6, pk, sizeof pk, NULL, 0, NULL, 0, &err) != VECTORPIN_OK)
    goto done;
  if (vectorpin_verify_f32(verifier, pin, "text", 4, vec, 2, NULL, &err) != VECTORPIN_OK) goto done;
  printf("parent project: pin made and verified with libvectorpin %s\n", vectorpin_version_string());
  rc = 0;
done:
  if (rc != 0) fprintf(stderr, "parent project: %s\n", err.message);
  vectorpin_pin_free(pin);
  vectorpin_verifier_free(verifier);
  vectorpin_signer_free(signer);
  return rc;
}
