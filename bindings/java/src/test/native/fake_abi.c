/* Poses as a libvectorpin.so.1 from an incompatible future release, so that
 * a test can watch NativeLoader refuse it before anything else is called. */
#include <stdint.h>

__attribute__((visibility("default"))) uint32_t vectorpin_abi_version(void) { return 2; }
