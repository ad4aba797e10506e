// Arithmetic modulo p = 2^255 - 19 on five 51-bit limbs (radix 2^51) with
// 128-bit products. Verification only: nothing here is constant-time, and
// nothing here may ever see a secret.
//
// Limb bounds, which every caller relies on:
//  - "reduced": each limb < 2^51 + 2^14 (what mul, sq, sub, carry return);
//  - add returns the plain limb sum, so the sum of two reduced values has
//    limbs < 2^53 - 76, still fine as an input to mul, sq and sub;
//  - mul and sq accept limbs < 2^54, sub accepts a subtrahend with limbs
//    below 2^53 - 76 (it adds 4p before subtracting).
//
// A variant compiled with ED25519_SPLIT_PRODUCTS defined takes mul and sq
// from field_split.hpp instead (64-bit multiplies only, same limbs and
// bounds), for targets without a native 64x64->128 multiply.
//
// Included by each instruction-set variant of the engine, so every function
// is inline and lives in the variant's namespace (see engine_impl.hpp); the
// types are shared (types.hpp), so a table built by one variant serves all.
#pragma once

#include <cstdint>
#include <cstring>

#include "ed25519/inline.hpp"
#include "ed25519/types.hpp"
#if defined(ED25519_SPLIT_PRODUCTS)
#include "ed25519/field_split.hpp"
#endif

namespace vectorpin {
namespace ed25519 {
namespace ED25519_VARIANT {

__extension__ typedef unsigned __int128 u128;  // a GCC/Clang extension, on purpose

inline Fe fe_zero() { return Fe{{0, 0, 0, 0, 0}}; }
inline Fe fe_one() { return Fe{{1, 0, 0, 0, 0}}; }

ED25519_INLINE Fe fe_add(const Fe& f, const Fe& g) {
  return Fe{{f.v[0] + g.v[0], f.v[1] + g.v[1], f.v[2] + g.v[2], f.v[3] + g.v[3], f.v[4] + g.v[4]}};
}

// One carry pass: limbs back under 2^51 + 2^14 for any input limbs < 2^63.
ED25519_INLINE Fe fe_carry(Fe h) {
  uint64_t c;
  c = h.v[0] >> 51; h.v[0] &= kMask51; h.v[1] += c;
  c = h.v[1] >> 51; h.v[1] &= kMask51; h.v[2] += c;
  c = h.v[2] >> 51; h.v[2] &= kMask51; h.v[3] += c;
  c = h.v[3] >> 51; h.v[3] &= kMask51; h.v[4] += c;
  c = h.v[4] >> 51; h.v[4] &= kMask51; h.v[0] += c * 19;
  return h;
}

// f - g, computed as f + 4p - g so no limb goes negative.
ED25519_INLINE Fe fe_sub(const Fe& f, const Fe& g) {
  constexpr uint64_t k0 = (uint64_t(1) << 53) - 76;  // 4 * (2^51 - 19)
  constexpr uint64_t k1 = (uint64_t(1) << 53) - 4;   // 4 * (2^51 - 1)
  return fe_carry(Fe{{f.v[0] + k0 - g.v[0], f.v[1] + k1 - g.v[1], f.v[2] + k1 - g.v[2], f.v[3] + k1 - g.v[3],
                      f.v[4] + k1 - g.v[4]}});
}

inline Fe fe_neg(const Fe& f) { return fe_sub(fe_zero(), f); }

// Folds five 128-bit column sums (each < 2^115) back into reduced limbs.
ED25519_INLINE Fe fe_fold(u128 r0, u128 r1, u128 r2, u128 r3, u128 r4) {
  Fe h;
  r1 += static_cast<uint64_t>(r0 >> 51);
  h.v[0] = static_cast<uint64_t>(r0) & kMask51;
  r2 += static_cast<uint64_t>(r1 >> 51);
  h.v[1] = static_cast<uint64_t>(r1) & kMask51;
  r3 += static_cast<uint64_t>(r2 >> 51);
  h.v[2] = static_cast<uint64_t>(r2) & kMask51;
  r4 += static_cast<uint64_t>(r3 >> 51);
  h.v[3] = static_cast<uint64_t>(r3) & kMask51;
  const uint64_t c = static_cast<uint64_t>(r4 >> 51);
  h.v[4] = static_cast<uint64_t>(r4) & kMask51;
  h.v[0] += c * 19;  // c < 2^60, so this stays far below 2^64
  h.v[1] += h.v[0] >> 51;
  h.v[0] &= kMask51;
  return h;
}

ED25519_INLINE Fe fe_mul(const Fe& f, const Fe& g) {
#if defined(ED25519_SPLIT_PRODUCTS)
  return fe_mul_split(f, g);
#else
  const uint64_t f0 = f.v[0], f1 = f.v[1], f2 = f.v[2], f3 = f.v[3], f4 = f.v[4];
  const uint64_t g0 = g.v[0], g1 = g.v[1], g2 = g.v[2], g3 = g.v[3], g4 = g.v[4];
  // 2^255 = 19 (mod p): a product landing at limb 5..8 wraps to limb 0..3 times 19.
  const uint64_t g1_19 = g1 * 19, g2_19 = g2 * 19, g3_19 = g3 * 19, g4_19 = g4 * 19;
  const u128 r0 = u128(f0) * g0 + u128(f1) * g4_19 + u128(f2) * g3_19 + u128(f3) * g2_19 + u128(f4) * g1_19;
  const u128 r1 = u128(f0) * g1 + u128(f1) * g0 + u128(f2) * g4_19 + u128(f3) * g3_19 + u128(f4) * g2_19;
  const u128 r2 = u128(f0) * g2 + u128(f1) * g1 + u128(f2) * g0 + u128(f3) * g4_19 + u128(f4) * g3_19;
  const u128 r3 = u128(f0) * g3 + u128(f1) * g2 + u128(f2) * g1 + u128(f3) * g0 + u128(f4) * g4_19;
  const u128 r4 = u128(f0) * g4 + u128(f1) * g3 + u128(f2) * g2 + u128(f3) * g1 + u128(f4) * g0;
  return fe_fold(r0, r1, r2, r3, r4);
#endif
}

ED25519_INLINE Fe fe_sq(const Fe& f) {
#if defined(ED25519_SPLIT_PRODUCTS)
  return fe_sq_split(f);
#else
  const uint64_t f0 = f.v[0], f1 = f.v[1], f2 = f.v[2], f3 = f.v[3], f4 = f.v[4];
  const uint64_t f0_2 = f0 * 2, f1_2 = f1 * 2;
  const uint64_t f1_38 = f1 * 38, f2_38 = f2 * 38, f3_38 = f3 * 38;
  const uint64_t f3_19 = f3 * 19, f4_19 = f4 * 19;
  const u128 r0 = u128(f0) * f0 + u128(f1_38) * f4 + u128(f2_38) * f3;
  const u128 r1 = u128(f0_2) * f1 + u128(f2_38) * f4 + u128(f3_19) * f3;
  const u128 r2 = u128(f0_2) * f2 + u128(f1) * f1 + u128(f3_38) * f4;
  const u128 r3 = u128(f0_2) * f3 + u128(f1_2) * f2 + u128(f4_19) * f4;
  const u128 r4 = u128(f0_2) * f4 + u128(f1_2) * f3 + u128(f2) * f2;
  return fe_fold(r0, r1, r2, r3, r4);
#endif
}

inline Fe fe_sq_n(Fe f, int n) {
  while (n-- > 0) f = fe_sq(f);
  return f;
}

// z^(2^250 - 1), the common trunk of inversion and the square-root power.
inline Fe fe_pow_2_250_minus_1(const Fe& z, Fe& z11) {
  Fe z2 = fe_sq(z);
  Fe z9 = fe_mul(fe_sq_n(z2, 2), z);
  z11 = fe_mul(z9, z2);
  Fe e5 = fe_mul(fe_sq(z11), z9);          // 2^5 - 1
  Fe e10 = fe_mul(fe_sq_n(e5, 5), e5);     // 2^10 - 1
  Fe e20 = fe_mul(fe_sq_n(e10, 10), e10);  // 2^20 - 1
  Fe e40 = fe_mul(fe_sq_n(e20, 20), e20);  // 2^40 - 1
  Fe e50 = fe_mul(fe_sq_n(e40, 10), e10);  // 2^50 - 1
  Fe e100 = fe_mul(fe_sq_n(e50, 50), e50); // 2^100 - 1
  Fe e200 = fe_mul(fe_sq_n(e100, 100), e100);
  return fe_mul(fe_sq_n(e200, 50), e50);   // 2^250 - 1
}

// z^(p-2) = 1/z (0 for z = 0).
inline Fe fe_invert(const Fe& z) {
  Fe z11;
  Fe t = fe_pow_2_250_minus_1(z, z11);
  return fe_mul(fe_sq_n(t, 5), z11);  // (2^250-1)*2^5 + 11 = p - 2
}

// z^((p-5)/8), the power behind the square root of a fraction.
inline Fe fe_pow_p58(const Fe& z) {
  Fe z11;
  Fe t = fe_pow_2_250_minus_1(z, z11);
  return fe_mul(fe_sq_n(t, 2), z);  // (2^250-1)*4 + 1 = (p-5)/8
}

// The encoding is little-endian whatever the host's byte order (s390x is
// big-endian). Compilers turn these into one plain load or store on
// little-endian targets and a byte-reversing one elsewhere.
inline uint64_t load_le64(const uint8_t* p) {
  uint64_t w = 0;
  for (int i = 7; i >= 0; --i) w = (w << 8) | p[i];
  return w;
}

inline void store_le64(uint8_t* p, uint64_t w) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(w >> (8 * i));
}

// Little-endian, fully reduced into [0, p).
inline void fe_tobytes(uint8_t out[32], const Fe& f) {
  Fe h = fe_carry(fe_carry(f));  // limbs < 2^51 + small, value < 2p
  // q = 1 exactly when h >= p: adding 19 then carries out of bit 255.
  uint64_t q = (h.v[0] + 19) >> 51;
  q = (h.v[1] + q) >> 51;
  q = (h.v[2] + q) >> 51;
  q = (h.v[3] + q) >> 51;
  q = (h.v[4] + q) >> 51;
  h.v[0] += 19 * q;
  h.v[1] += h.v[0] >> 51; h.v[0] &= kMask51;
  h.v[2] += h.v[1] >> 51; h.v[1] &= kMask51;
  h.v[3] += h.v[2] >> 51; h.v[2] &= kMask51;
  h.v[4] += h.v[3] >> 51; h.v[3] &= kMask51;
  h.v[4] &= kMask51;  // drops the 2^255 that stood for p
  const uint64_t w0 = h.v[0] | (h.v[1] << 51);
  const uint64_t w1 = (h.v[1] >> 13) | (h.v[2] << 38);
  const uint64_t w2 = (h.v[2] >> 26) | (h.v[3] << 25);
  const uint64_t w3 = (h.v[3] >> 39) | (h.v[4] << 12);
  store_le64(out, w0);
  store_le64(out + 8, w1);
  store_le64(out + 16, w2);
  store_le64(out + 24, w3);
}

// Reads 255 bits; the top bit of byte 31 is ignored, as libsodium does.
// Values in [p, 2^255) are accepted unreduced; callers that must refuse
// them check the bytes first.
inline Fe fe_frombytes(const uint8_t in[32]) {
  const uint64_t w0 = load_le64(in), w1 = load_le64(in + 8), w2 = load_le64(in + 16), w3 = load_le64(in + 24);
  return Fe{{w0 & kMask51, ((w0 >> 51) | (w1 << 13)) & kMask51, ((w1 >> 38) | (w2 << 26)) & kMask51,
             ((w2 >> 25) | (w3 << 39)) & kMask51, (w3 >> 12) & kMask51}};
}

inline bool fe_is_zero(const Fe& f) {
  uint8_t s[32];
  fe_tobytes(s, f);
  uint8_t acc = 0;
  for (uint8_t b : s) acc |= b;
  return acc == 0;
}

// The "sign" of the encoding: the low bit of the reduced value.
inline bool fe_is_odd(const Fe& f) {
  uint8_t s[32];
  fe_tobytes(s, f);
  return (s[0] & 1) != 0;
}

}  // namespace ED25519_VARIANT
}  // namespace ed25519
}  // namespace vectorpin
