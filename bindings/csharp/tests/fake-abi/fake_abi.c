/* A stand-in for a future, incompatible libvectorpin: the binding must refuse
 * it at load with a clear message instead of calling into it. */
#include <stdint.h>

__attribute__((visibility("default"))) uint32_t vectorpin_abi_version(void) { return 2; }
