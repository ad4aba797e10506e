// fe_mul and fe_sq of field.hpp computed with 64x64->64 multiplies only,
// for targets where a 64x64->128 product is a library call (WebAssembly's
// wasm32 has none: each one becomes a call to compiler-rt's __multi3).
//
// Each 51-bit limb is cut at bit 26, which turns the five limbs into the
// ten of radix 2^25.5 (limb k at bit ceil(25.5 k): 0, 26, 51, 77, ...), so
// a product is a hundred 64-bit multiplies of numbers below 2^34 instead
// of twenty-five 128-bit ones. The result goes back into five 51-bit limbs:
// the representation, the bounds of field.hpp and so the tables are the
// same for every variant.
//
// Bounds: inputs have limbs < 2^54, so the low halves are < 2^26 and the
// high ones < 2^28. The largest column sum (h0: five high*high terms times
// 38 plus five smaller ones) stays below 2^63.61, and no carry step takes
// a column past 2^64. The output limbs are < 2^51 + 2^12, inside field.hpp's
// "reduced" bound of 2^51 + 2^14. tests/unit/test_ed25519.cpp checks the
// whole engine built this way against libsodium on x86-64 (the "split"
// variant).
#pragma once

#include <cstdint>

#include "ed25519/inline.hpp"
#include "ed25519/types.hpp"

namespace vectorpin {
namespace ed25519 {
namespace ED25519_VARIANT {

namespace split_detail {

constexpr uint64_t kMask26 = (uint64_t(1) << 26) - 1;
constexpr uint64_t kMask25 = (uint64_t(1) << 25) - 1;

// Ten column sums (limb k weighs 2^ceil(25.5 k)) back to five reduced
// 51-bit limbs. Two carry chains run side by side, 0->5 and 5->0 (the
// latter wrapping through 2^255 = 19), then three more steps bring limbs
// 0, 1, 5 and 6 back in range; limb 6 may keep a carry below 2^12, which
// stays below 2^51 + 2^12 once limbs 6 and 7 are joined.
ED25519_INLINE Fe fold10(uint64_t h0, uint64_t h1, uint64_t h2, uint64_t h3, uint64_t h4, uint64_t h5, uint64_t h6,
                         uint64_t h7, uint64_t h8, uint64_t h9) {
  uint64_t c;
  c = h0 >> 26; h0 &= kMask26; h1 += c;
  c = h5 >> 25; h5 &= kMask25; h6 += c;
  c = h1 >> 25; h1 &= kMask25; h2 += c;
  c = h6 >> 26; h6 &= kMask26; h7 += c;
  c = h2 >> 26; h2 &= kMask26; h3 += c;
  c = h7 >> 25; h7 &= kMask25; h8 += c;
  c = h3 >> 25; h3 &= kMask25; h4 += c;
  c = h8 >> 26; h8 &= kMask26; h9 += c;
  c = h4 >> 26; h4 &= kMask26; h5 += c;
  c = h9 >> 25; h9 &= kMask25; h0 += c * 19;
  c = h0 >> 26; h0 &= kMask26; h1 += c;
  c = h5 >> 25; h5 &= kMask25; h6 += c;
  c = h1 >> 25; h1 &= kMask25; h2 += c;
  return Fe{{h0 | (h1 << 26), h2 + (h3 << 26), h4 | (h5 << 26), h6 + (h7 << 26), h8 | (h9 << 26)}};
}

}  // namespace split_detail

ED25519_INLINE Fe fe_mul_split(const Fe& f, const Fe& g) {
  using split_detail::kMask26;
  const uint64_t f0 = f.v[0] & kMask26, f1 = f.v[0] >> 26, f2 = f.v[1] & kMask26, f3 = f.v[1] >> 26;
  const uint64_t f4 = f.v[2] & kMask26, f5 = f.v[2] >> 26, f6 = f.v[3] & kMask26, f7 = f.v[3] >> 26;
  const uint64_t f8 = f.v[4] & kMask26, f9 = f.v[4] >> 26;
  const uint64_t g0 = g.v[0] & kMask26, g1 = g.v[0] >> 26, g2 = g.v[1] & kMask26, g3 = g.v[1] >> 26;
  const uint64_t g4 = g.v[2] & kMask26, g5 = g.v[2] >> 26, g6 = g.v[3] & kMask26, g7 = g.v[3] >> 26;
  const uint64_t g8 = g.v[4] & kMask26, g9 = g.v[4] >> 26;
  // Two odd limbs (both at half-bit positions) meet one bit above their
  // column, hence the doubled odd f's; a column past limb 9 wraps times 19.
  const uint64_t f1_2 = 2 * f1, f3_2 = 2 * f3, f5_2 = 2 * f5, f7_2 = 2 * f7, f9_2 = 2 * f9;
  const uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4, g5_19 = 19 * g5;
  const uint64_t g6_19 = 19 * g6, g7_19 = 19 * g7, g8_19 = 19 * g8, g9_19 = 19 * g9;
  uint64_t h0 = f0 * g0 + f1_2 * g9_19 + f2 * g8_19 + f3_2 * g7_19 + f4 * g6_19 + f5_2 * g5_19 + f6 * g4_19 + f7_2 * g3_19 + f8 * g2_19 + f9_2 * g1_19;
  uint64_t h1 = f0 * g1 + f1 * g0 + f2 * g9_19 + f3 * g8_19 + f4 * g7_19 + f5 * g6_19 + f6 * g5_19 + f7 * g4_19 + f8 * g3_19 + f9 * g2_19;
  uint64_t h2 = f0 * g2 + f1_2 * g1 + f2 * g0 + f3_2 * g9_19 + f4 * g8_19 + f5_2 * g7_19 + f6 * g6_19 + f7_2 * g5_19 + f8 * g4_19 + f9_2 * g3_19;
  uint64_t h3 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9_19 + f5 * g8_19 + f6 * g7_19 + f7 * g6_19 + f8 * g5_19 + f9 * g4_19;
  uint64_t h4 = f0 * g4 + f1_2 * g3 + f2 * g2 + f3_2 * g1 + f4 * g0 + f5_2 * g9_19 + f6 * g8_19 + f7_2 * g7_19 + f8 * g6_19 + f9_2 * g5_19;
  uint64_t h5 = f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * g9_19 + f7 * g8_19 + f8 * g7_19 + f9 * g6_19;
  uint64_t h6 = f0 * g6 + f1_2 * g5 + f2 * g4 + f3_2 * g3 + f4 * g2 + f5_2 * g1 + f6 * g0 + f7_2 * g9_19 + f8 * g8_19 + f9_2 * g7_19;
  uint64_t h7 = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9_19 + f9 * g8_19;
  uint64_t h8 = f0 * g8 + f1_2 * g7 + f2 * g6 + f3_2 * g5 + f4 * g4 + f5_2 * g3 + f6 * g2 + f7_2 * g1 + f8 * g0 + f9_2 * g9_19;
  uint64_t h9 = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
  return split_detail::fold10(h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

ED25519_INLINE Fe fe_sq_split(const Fe& f) {
  using split_detail::kMask26;
  const uint64_t f0 = f.v[0] & kMask26, f1 = f.v[0] >> 26, f2 = f.v[1] & kMask26, f3 = f.v[1] >> 26;
  const uint64_t f4 = f.v[2] & kMask26, f5 = f.v[2] >> 26, f6 = f.v[3] & kMask26, f7 = f.v[3] >> 26;
  const uint64_t f8 = f.v[4] & kMask26, f9 = f.v[4] >> 26;
  // The products of two different limbs appear twice, hence the doubles.
  const uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1, f2_2 = 2 * f2, f3_2 = 2 * f3, f4_2 = 2 * f4, f5_2 = 2 * f5;
  const uint64_t f7_2 = 2 * f7;
  const uint64_t f6_19 = 19 * f6, f8_19 = 19 * f8;
  const uint64_t f5_38 = 38 * f5, f6_38 = 38 * f6, f7_38 = 38 * f7, f8_38 = 38 * f8, f9_38 = 38 * f9;
  uint64_t h0 = f0 * f0 + f1_2 * f9_38 + f2 * f8_38 + f3_2 * f7_38 + f4 * f6_38 + f5 * f5_38;
  uint64_t h1 = f0_2 * f1 + f2 * f9_38 + f3 * f8_38 + f4 * f7_38 + f5 * f6_38;
  uint64_t h2 = f0_2 * f2 + f1_2 * f1 + f3_2 * f9_38 + f4 * f8_38 + f5_2 * f7_38 + f6 * f6_19;
  uint64_t h3 = f0_2 * f3 + f1_2 * f2 + f4 * f9_38 + f5 * f8_38 + f6 * f7_38;
  uint64_t h4 = f0_2 * f4 + f1_2 * f3_2 + f2 * f2 + f5_2 * f9_38 + f6 * f8_38 + f7 * f7_38;
  uint64_t h5 = f0_2 * f5 + f1_2 * f4 + f2_2 * f3 + f6 * f9_38 + f7 * f8_38;
  uint64_t h6 = f0_2 * f6 + f1_2 * f5_2 + f2_2 * f4 + f3_2 * f3 + f7_2 * f9_38 + f8 * f8_19;
  uint64_t h7 = f0_2 * f7 + f1_2 * f6 + f2_2 * f5 + f3_2 * f4 + f8 * f9_38;
  uint64_t h8 = f0_2 * f8 + f1_2 * f7_2 + f2_2 * f6 + f3_2 * f5_2 + f4 * f4 + f9 * f9_38;
  uint64_t h9 = f0_2 * f9 + f1_2 * f8 + f2_2 * f7 + f3_2 * f6 + f4_2 * f5;
  return split_detail::fold10(h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

}  // namespace ED25519_VARIANT
}  // namespace ed25519
}  // namespace vectorpin
