/* Poses as a libvectorpin.so.N from an incompatible future release (it
 * reports the next ABI number), so that a test can watch NativeLoader refuse
 * it before anything else is called. */
#include <stdint.h>

#include "vectorpin.h"

__attribute__((visibility("default"))) uint32_t vectorpin_abi_version(void) { return VECTORPIN_ABI_VERSION + 1; }
