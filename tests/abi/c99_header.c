/* The public header compiles as strict C99 and its functions link from C. */
#include "vectorpin.h"

#include <stdio.h>
#include <string.h>

int main(void) {
  vectorpin_error err;
  char hash[VECTORPIN_HASH_STRING_BUFFER_BYTES];
  vectorpin_status st = vectorpin_hash_text(hash, sizeof hash, "abc", 3, &err);
  if (st != VECTORPIN_OK) return 1;
  if (strcmp(hash, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") != 0) return 2;
  if (vectorpin_abi_version() != VECTORPIN_ABI_VERSION) return 3;
  if (strcmp(vectorpin_status_name(VECTORPIN_KEY_EXPIRED), "KEY_EXPIRED") != 0) return 4;
  printf("C99 consumer OK: %s\n", vectorpin_version_string());
  return 0;
}
