// The engine for x86-64 CPUs with AVX-512 IFMA, chosen at run time: the
// portable engine compiled for that target, except that a batch's points
// h * (-A) + s * B are computed eight at a time, one per vector lane
// (lanes_ifma.hpp), each lane walking its own digits through its own key's
// table. The lanes run the scalar engine's comb (engine_impl.hpp) step for
// step, with the same formulas, so each lane's point is the one the scalar
// engine computes, up to the projective scale that encoding removes; the
// differential tests check every answer against libsodium on this variant
// as on the others.
//
// Standard headers come first, outside the target region below, so that
// none of their inline code is compiled for AVX-512 and then shared with
// callers on CPUs without it.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "ed25519/types.hpp"
#include "ed25519/variant.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx512ifma,bmi2,adx"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512ifma,bmi2,adx")
#endif
#define ED25519_VARIANT ifma
#include "ed25519/engine_impl.hpp"
#include "ed25519/lanes_ifma.hpp"

namespace vectorpin {
namespace ed25519 {
namespace ifma {
namespace {

using namespace lanes;

// Fewer checks than this go through the scalar comb, one at a time: a
// lane group costs the same however many of its lanes are used, and below
// this many it measured no faster.
constexpr size_t kMinLanes = 3;

// A zero digit adds this entry, the identity (y+x = y-x = 1, 2dxy = 0), so
// that every lane can take the same addition.
const Affine kIdentityEntry = {{{1, 0, 0, 0, 0}}, {{1, 0, 0, 0, 0}}, {{0, 0, 0, 0, 0}}};

constexpr long long kYpx = offsetof(Affine, ypx), kYmx = offsetof(Affine, ymx), kXy2d = offsetof(Affine, xy2d);

// Adds, in each lane j, the entry of tables[j]'s row `row` for digit d[j].
void add_digits(Point8& acc, const CombTable* const tables[kLanes], int row, const int8_t d[kLanes]) {
  alignas(64) long long at[kLanes];
  __mmask8 negative = 0;
  for (int j = 0; j < kLanes; ++j) {
    const int v = d[j];
    const Affine* e = v == 0 ? &kIdentityEntry : &tables[j]->entry[row][(v < 0 ? -v : v) - 1];
    at[j] = static_cast<long long>(reinterpret_cast<uintptr_t>(e));
    if (v < 0) negative = static_cast<__mmask8>(negative | (1u << j));
  }
  const __m512i base = _mm512_load_si512(at);
  acc = to_point(add_signed(acc, gather(base, kYpx), gather(base, kYmx), gather(base, kXy2d), negative));
}

void times_pow2(Point8& acc, int n) {
  Projective8 p{acc.X, acc.Y, acc.Z};
  for (int i = 1; i < n; ++i) p = to_projective(dbl(p));
  acc = to_point(dbl(p));
}

// Eight checks (n of them real; the other lanes repeat check 0).
void comb_lanes(Projective* out, const PendingCheck* checks, const CombTable& base, size_t n) {
  const CombTable* neg_a[kLanes];
  const CombTable* b[kLanes];
  int8_t eh[kLanes][kCombDigits], es[kLanes][kCombDigits];
  for (size_t j = 0; j < kLanes; ++j) {
    const PendingCheck& c = checks[j < n ? j : 0];
    neg_a[j] = c.neg_a;
    b[j] = &base;
    recode_comb(eh[j], c.h);
    recode_comb(es[j], c.s);
  }
  Point8 acc{splat(fe_zero()), splat(fe_one()), splat(fe_one()), splat(fe_zero())};
  for (int r = kCombPasses - 1; r >= 0; --r) {
    if (r != kCombPasses - 1) times_pow2(acc, kCombBits);
    for (int k = 0; k < kCombRows; ++k) {
      int8_t dh[kLanes], ds[kLanes];
      for (int j = 0; j < kLanes; ++j) {
        dh[j] = eh[j][kCombPasses * k + r];
        ds[j] = es[j][kCombPasses * k + r];
      }
      add_digits(acc, neg_a, k, dh);
      add_digits(acc, b, k, ds);
    }
  }
  Fe x[kLanes], y[kLanes], z[kLanes];
  scatter(x, acc.X, static_cast<int>(n));
  scatter(y, acc.Y, static_cast<int>(n));
  scatter(z, acc.Z, static_cast<int>(n));
  for (size_t j = 0; j < n; ++j) out[j] = Projective{x[j], y[j], z[j]};
}

void comb_points_lanes(Projective* out, const PendingCheck* checks, const CombTable& base, size_t n) {
  while (n >= kMinLanes) {
    const size_t now = n < size_t(kLanes) ? n : size_t(kLanes);
    comb_lanes(out, checks, base, now);
    out += now;
    checks += now;
    n -= now;
  }
  comb_points(out, checks, base, n);
}

}  // namespace
}  // namespace ifma

namespace {
VariantOps make_ifma_ops() {
  VariantOps o = ifma::make_ops(Impl::Ifma);
  o.comb_points = &ifma::comb_points_lanes;
  return o;
}
const VariantOps kIfma = make_ifma_ops();
}  // namespace
const VariantOps* const kIfmaOps = &kIfma;

}  // namespace ed25519
}  // namespace vectorpin

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

namespace vectorpin {
namespace ed25519 {

// CPUID leaf 7: EBX bit 16 is AVX512F, bit 21 AVX512IFMA, bit 31 AVX512VL
// (BMI2 and ADX as engine_bmi2.cpp reads them); leaf 1 ECX bit 27 is
// OSXSAVE, and XCR0 must show the OS saving the AVX-512 state (bits 5-7)
// as well as SSE and AVX (bits 1-2).
bool ifma_cpu_supported() {
  static const bool supported = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (__get_cpuid_max(0, nullptr) < 7) return false;
    __cpuid(1, a, b, c, d);
    if (((c >> 27) & 1) == 0) return false;
    unsigned lo = 0, hi = 0;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xe6) != 0xe6) return false;
    __cpuid_count(7, 0, a, b, c, d);
    const unsigned need = (1u << 8) | (1u << 16) | (1u << 19) | (1u << 21) | (1u << 31);
    return (b & need) == need;
  }();
  return supported;
}

}  // namespace ed25519
}  // namespace vectorpin

#else

namespace vectorpin {
namespace ed25519 {
const VariantOps* const kIfmaOps = nullptr;
bool ifma_cpu_supported() { return false; }
}  // namespace ed25519
}  // namespace vectorpin

#endif
