// The same engine compiled for x86-64 with BMI2 and ADX (MULX for the
// 64x64->128 products, which leaves the flags alone and so schedules
// better), chosen at run time when the CPU has them. Standard headers come
// before the target region, as in engine_ifma.cpp.
#include <cstring>
#include <vector>

#include "ed25519/types.hpp"
#include "ed25519/variant.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("bmi2,adx"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("bmi2,adx")
#endif
#define ED25519_VARIANT bmi2
#include "ed25519/engine_impl.hpp"
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

namespace vectorpin {
namespace ed25519 {

namespace {
const VariantOps kBmi2 = bmi2::make_ops(Impl::Bmi2);
}
const VariantOps* const kBmi2Ops = &kBmi2;

// CPUID leaf 7: EBX bit 8 is BMI2, bit 19 is ADX.
bool bmi2_cpu_supported() {
  static const bool supported = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (__get_cpuid_max(0, nullptr) < 7) return false;
    __cpuid_count(7, 0, a, b, c, d);
    return ((b >> 8) & 1) != 0 && ((b >> 19) & 1) != 0;
  }();
  return supported;
}

}  // namespace ed25519
}  // namespace vectorpin

#else

namespace vectorpin {
namespace ed25519 {
const VariantOps* const kBmi2Ops = nullptr;
bool bmi2_cpu_supported() { return false; }
}  // namespace ed25519
}  // namespace vectorpin

#endif
