/* A stand-in for a future, incompatible libvectorpin (it reports the next
 * ABI number): the binding must refuse it at load with a clear message
 * instead of calling into it. */
#include <stdint.h>

#include "vectorpin.h"

__attribute__((visibility("default"))) uint32_t vectorpin_abi_version(void) { return VECTORPIN_ABI_VERSION + 1; }
