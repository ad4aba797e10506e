// The same engine compiled for x86-64 with BMI2 and ADX (MULX for the
// 64x64->128 products, which leaves the flags alone and so schedules
// better), chosen at run time when the CPU has them.
#include <cstring>
#include <vector>

#include "ed25519/types.hpp"
#include "ed25519/variant.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#pragma GCC push_options
#pragma GCC target("bmi2,adx")
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("bmi2,adx"))), apply_to = function)
#endif
#define ED25519_VARIANT bmi2
#include "ed25519/engine_impl.hpp"
#if defined(__clang__)
#pragma clang attribute pop
#endif
#pragma GCC pop_options

namespace vectorpin {
namespace ed25519 {

namespace {
const VariantOps kBmi2 = bmi2::make_ops(Impl::Bmi2);
}
const VariantOps* const kBmi2Ops = &kBmi2;

bool bmi2_cpu_supported() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("adx");
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
