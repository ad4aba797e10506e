// Eight field elements and eight points at once, one per 64-bit lane of an
// AVX-512 register, with the 52-bit multiply-accumulate of AVX-512 IFMA.
// Included only by engine_ifma.cpp, inside its target("avx512ifma") region.
// Variable time, public data only, like the rest of the engine.
//
// The limbs are the scalar engine's (radix 2^51, types.hpp), so a lane is
// loaded from a table entry as it is stored and stored back into a scalar
// Projective with no conversion. IFMA multiplies only the low 52 bits of
// its inputs, so here every multiplication input must have limbs < 2^52:
//  - carry() returns limbs < 2^51 + 2^16 for any input limbs < 2^63, and
//    every function below that returns an element ends with it;
//  - the scalar engine's reduced limbs (< 2^51 + 2^14, what its tables
//    hold) qualify as they are.
#pragma once

#include <immintrin.h>

#include "ed25519/types.hpp"

namespace vectorpin {
namespace ed25519 {
namespace lanes {

constexpr int kLanes = 8;

struct Fe8 {
  __m512i v[5];
};

// Shifts by a constant in the compiler's vector notation: GCC 12's
// _mm512_slli_epi64 and _mm512_srli_epi64 (like _mm512_i64gather_epi64,
// hence the masked gather below) draw a false -Wuninitialized from their
// _mm512_undefined_epi32() argument.
typedef unsigned long long U64x8 __attribute__((vector_size(64)));
inline __m512i shl(__m512i x, int n) { return reinterpret_cast<__m512i>(reinterpret_cast<U64x8>(x) << n); }
inline __m512i shr(__m512i x, int n) { return reinterpret_cast<__m512i>(reinterpret_cast<U64x8>(x) >> n); }

inline __m512i times19(__m512i x) { return _mm512_add_epi64(_mm512_add_epi64(shl(x, 4), shl(x, 1)), x); }

// One carry pass, all limbs at once: each limb keeps its low 51 bits and
// takes the carry of the limb below (limb 0 that of limb 4, times 19, as
// 2^255 = 19 mod p). Input limbs < 2^63 give carries < 2^12, so output
// limbs are < 2^51 + 19 * 2^12 < 2^51 + 2^17; input limbs < 2^62 (what
// mul leaves) give < 2^51 + 2^16.
inline Fe8 carry(const Fe8& x) {
  const __m512i m = _mm512_set1_epi64(static_cast<long long>(kMask51));
  __m512i c[5];
  for (int i = 0; i < 5; ++i) c[i] = shr(x.v[i], 51);
  Fe8 r;
  r.v[0] = _mm512_add_epi64(_mm512_and_si512(x.v[0], m), times19(c[4]));
  for (int i = 1; i < 5; ++i) r.v[i] = _mm512_add_epi64(_mm512_and_si512(x.v[i], m), c[i - 1]);
  return r;
}

inline Fe8 add(const Fe8& f, const Fe8& g) {
  Fe8 r;
  for (int i = 0; i < 5; ++i) r.v[i] = _mm512_add_epi64(f.v[i], g.v[i]);
  return carry(r);
}

// f + 4p - g, so no limb goes negative (g's limbs are < 2^53 - 76).
inline Fe8 sub(const Fe8& f, const Fe8& g) {
  const __m512i k0 = _mm512_set1_epi64((1LL << 53) - 76);
  const __m512i k1 = _mm512_set1_epi64((1LL << 53) - 4);
  Fe8 r;
  r.v[0] = _mm512_sub_epi64(_mm512_add_epi64(f.v[0], k0), g.v[0]);
  for (int i = 1; i < 5; ++i) r.v[i] = _mm512_sub_epi64(_mm512_add_epi64(f.v[i], k1), g.v[i]);
  return carry(r);
}

// f * g for limbs < 2^52. A limb product f_i g_j < 2^104 comes as a low
// part (< 2^52) at column i + j and a high part (< 2^52) worth 2^52 =
// 2 * 2^51, so twice it at column i + j + 1. A column then holds at most
// 5 low and 5 doubled high parts: < 15 * 2^52 < 2^56. Columns 5..9 fold
// into 0..4 times 19 (< 2^61), leaving columns < 2^62 for carry().
inline Fe8 mul(const Fe8& f, const Fe8& g) {
  __m512i lo[9], hi[9];
  for (int c = 0; c < 9; ++c) lo[c] = hi[c] = _mm512_setzero_si512();
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 5; ++j) {
      lo[i + j] = _mm512_madd52lo_epu64(lo[i + j], f.v[i], g.v[j]);
      hi[i + j] = _mm512_madd52hi_epu64(hi[i + j], f.v[i], g.v[j]);
    }
  }
  __m512i col[10];
  col[0] = lo[0];
  for (int c = 1; c < 9; ++c) col[c] = _mm512_add_epi64(lo[c], shl(hi[c - 1], 1));
  col[9] = shl(hi[8], 1);
  Fe8 r;
  for (int c = 0; c < 5; ++c) r.v[c] = _mm512_add_epi64(col[c], times19(col[c + 5]));
  return carry(r);
}

inline Fe8 sq(const Fe8& f) { return mul(f, f); }

inline Fe8 splat(const Fe& f) {
  Fe8 r;
  for (int i = 0; i < 5; ++i) r.v[i] = _mm512_set1_epi64(static_cast<long long>(f.v[i]));
  return r;
}

// Lane j's element from the five limbs at address base[j] + offset.
inline Fe8 gather(__m512i base, long long offset) {
  const __m512i at = _mm512_add_epi64(base, _mm512_set1_epi64(offset));
  Fe8 r;
  for (int i = 0; i < 5; ++i)
    r.v[i] = _mm512_mask_i64gather_epi64(_mm512_setzero_si512(), 0xff, _mm512_add_epi64(at, _mm512_set1_epi64(8 * i)),
                                         nullptr, 1);
  return r;
}

inline Fe8 blend(__mmask8 take_g, const Fe8& f, const Fe8& g) {
  Fe8 r;
  for (int i = 0; i < 5; ++i) r.v[i] = _mm512_mask_blend_epi64(take_g, f.v[i], g.v[i]);
  return r;
}

// Lane j's limbs into out[j].
inline void scatter(Fe* out, const Fe8& f, int n) {
  alignas(64) uint64_t limb[5][kLanes];
  for (int i = 0; i < 5; ++i) _mm512_store_si512(limb[i], f.v[i]);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < 5; ++i) out[j].v[i] = limb[i][j];
}

// The point types of types.hpp, eight at a time.
struct Point8 {
  Fe8 X, Y, Z, T;
};
struct Projective8 {
  Fe8 X, Y, Z;
};
struct Completed8 {
  Fe8 X, Y, Z, T;
};

inline Point8 to_point(const Completed8& c) { return Point8{mul(c.X, c.T), mul(c.Y, c.Z), mul(c.Z, c.T), mul(c.X, c.Y)}; }
inline Projective8 to_projective(const Completed8& c) { return Projective8{mul(c.X, c.T), mul(c.Y, c.Z), mul(c.Z, c.T)}; }

// 2p, as point.hpp's dbl (dbl-2008-hwcd).
inline Completed8 dbl(const Projective8& p) {
  const Fe8 xx = sq(p.X);
  const Fe8 yy = sq(p.Y);
  const Fe8 zz = sq(p.Z);
  const Fe8 zz2 = add(zz, zz);
  const Fe8 xy2 = sq(add(p.X, p.Y));
  Completed8 r;
  r.Y = add(yy, xx);
  r.Z = sub(yy, xx);
  r.X = sub(xy2, r.Y);
  r.T = sub(zz2, r.Z);
  return r;
}

// p + q in the lanes outside `negative` and p - q in those inside, for
// affine q (y+x, y-x, 2dxy), as point.hpp's add and sub (madd-2008-hwcd):
// -q swaps y+x with y-x and negates 2dxy.
inline Completed8 add_signed(const Point8& p, const Fe8& ypx, const Fe8& ymx, const Fe8& xy2d, __mmask8 negative) {
  const Fe8 plus = blend(negative, ypx, ymx);
  const Fe8 minus = blend(negative, ymx, ypx);
  const Fe8 a = mul(sub(p.Y, p.X), minus);
  const Fe8 b = mul(add(p.Y, p.X), plus);
  const Fe8 c = mul(p.T, xy2d);
  const Fe8 z2 = add(p.Z, p.Z);
  const Fe8 zp = add(z2, c);
  const Fe8 zm = sub(z2, c);
  return Completed8{sub(b, a), add(b, a), blend(negative, zp, zm), blend(negative, zm, zp)};
}

}  // namespace lanes
}  // namespace ed25519
}  // namespace vectorpin
