// The double-scalar multiplications behind verification, compiled once per
// instruction-set variant: each variant's .cpp defines ED25519_VARIANT and
// includes this file, so the same source becomes, say, a portable and a
// BMI2 build whose functions cannot collide at link time.
#pragma once

#include <cstring>
#include <vector>

#include "ed25519/point.hpp"
#include "ed25519/variant.hpp"

namespace vectorpin {
namespace ed25519 {
namespace ED25519_VARIANT {

// Signed radix-16 digits in [-8, 8] of a scalar below 2^255, least
// significant first: a = sum e[i] * 16^i.
inline void recode_radix16(int8_t e[64], const uint8_t a[32]) {
  for (int i = 0; i < 32; ++i) {
    e[2 * i] = static_cast<int8_t>(a[i] & 15);
    e[2 * i + 1] = static_cast<int8_t>(a[i] >> 4);
  }
  int carry = 0;
  for (int i = 0; i < 63; ++i) {
    int d = e[i] + carry;
    carry = (d + 8) >> 4;
    e[i] = static_cast<int8_t>(d - (carry << 4));
  }
  e[63] = static_cast<int8_t>(e[63] + carry);
}

// Signed digits of kCombBits bits in [-kCombCols, kCombCols) of a scalar
// below 2^253, least significant first: a = sum e[i] * 2^(kCombBits i).
// The static_asserts on the constants make sure no carry leaves the top.
inline void recode_comb(int8_t e[kCombDigits], const uint8_t a[32]) {
  constexpr unsigned kMask = (1u << kCombBits) - 1;
  int carry = 0;
  for (int i = 0; i < kCombDigits; ++i) {
    const int bit = kCombBits * i;
    const int byte = bit / 8;
    unsigned window = byte < 32 ? a[byte] : 0;
    if (byte + 1 < 32) window |= unsigned(a[byte + 1]) << 8;
    const int d = static_cast<int>((window >> (bit % 8)) & kMask) + carry;
    carry = (d + kCombCols) >> kCombBits;
    e[i] = static_cast<int8_t>(d - (carry << kCombBits));
  }
}

inline void add_digit(Point& acc, const Affine row[kCombCols], int d) {
  if (d > 0) acc = to_point(add(acc, row[d - 1]));
  else if (d < 0) acc = to_point(sub(acc, row[-d - 1]));
}

inline void add_digit(Point& acc, const Cached multiples[8], int d) {
  if (d > 0) acc = to_point(add(acc, multiples[d - 1]));
  else if (d < 0) acc = to_point(sub(acc, multiples[-d - 1]));
}

// acc = 2^n * acc.
inline void times_pow2(Point& acc, int n) {
  Projective p = to_projective(acc);
  for (int i = 1; i < n; ++i) p = to_projective(dbl(p));
  acc = to_point(dbl(p));
}

inline void times16(Point& acc) { times_pow2(acc, 4); }

inline bool encodes_to(const Point& p, const uint8_t r[32]) {
  uint8_t enc[32];
  encode(enc, to_projective(p));
  return std::memcmp(enc, r, 32) == 0;
}

inline bool decode_point(Point& out, const uint8_t s[32]) { return decode(out, s); }

inline bool decode_negated(Point& out, const uint8_t s[32]) {
  if (!decode(out, s)) return false;
  out = negate(out);
  return true;
}

// With e the comb digits, a = sum over passes r of 2^(kCombBits r) times
// sum_k e[kCombPasses k + r] 2^(kCombBits kCombPasses k): the passes run
// from the top, kCombBits doublings apart, and both scalars share them.
inline Point comb_two(const CombTable& ta, const int8_t ea[kCombDigits], const CombTable& tb,
                      const int8_t eb[kCombDigits]) {
  Point acc = identity();
  for (int r = kCombPasses - 1; r >= 0; --r) {
    if (r != kCombPasses - 1) times_pow2(acc, kCombBits);
    for (int k = 0; k < kCombRows; ++k) {
      add_digit(acc, ta.entry[k], ea[kCombPasses * k + r]);
      add_digit(acc, tb.entry[k], eb[kCombPasses * k + r]);
    }
  }
  return acc;
}

inline Point comb_one(const CombTable& t, const int8_t e[kCombDigits]) {
  Point acc = identity();
  for (int r = kCombPasses - 1; r >= 0; --r) {
    if (r != kCombPasses - 1) times_pow2(acc, kCombBits);
    for (int k = 0; k < kCombRows; ++k) add_digit(acc, t.entry[k], e[kCombPasses * k + r]);
  }
  return acc;
}

// h * (-A) + s * B with -A's table, not yet encoded.
inline Projective comb_point(const CombTable& neg_a, const CombTable& base, const uint8_t h[32],
                             const uint8_t s[32]) {
  int8_t eh[kCombDigits], es[kCombDigits];
  recode_comb(eh, h);
  recode_comb(es, s);
  return to_projective(comb_two(neg_a, eh, base, es));
}

inline void comb_points(Projective* out, const PendingCheck* checks, const CombTable& base, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = comb_point(*checks[i].neg_a, base, checks[i].h, checks[i].s);
}

// The encodings of n <= kMaxEncodeBatch points with one inversion for all
// (Montgomery's trick: invert the product of the Z's, then peel each 1/Z
// off it), so each costs three multiplications instead of an inversion.
// The bytes are exactly encode()'s. A Z of zero would spoil every inverse,
// so then each point is encoded alone, as encode() would.
inline void encode_many(uint8_t (*out)[32], const Projective* p, size_t n) {
  Fe prefix[kMaxEncodeBatch];
  Fe running = fe_one();
  for (size_t i = 0; i < n; ++i) {
    prefix[i] = running;
    running = fe_mul(running, p[i].Z);
  }
  if (fe_is_zero(running)) {
    for (size_t i = 0; i < n; ++i) encode(out[i], p[i]);
    return;
  }
  Fe inv = fe_invert(running);
  for (size_t i = n; i-- > 0;) {
    encode_with_inverse(out[i], p[i], fe_mul(inv, prefix[i]));
    inv = fe_mul(inv, p[i].Z);
  }
}

// Without a table for -A: its first eight multiples, then Horner's rule
// in radix 16 (252 doublings); s * B still comes from B's table.
inline bool check_ladder(const Point& neg_a, const CombTable& base, const uint8_t h[32], const uint8_t s[32],
                         const uint8_t r[32]) {
  Cached m[8];
  m[0] = to_cached(neg_a);
  Point multiple = neg_a;
  for (int j = 1; j < 8; ++j) {
    multiple = to_point(add(multiple, m[0]));
    m[j] = to_cached(multiple);
  }
  int8_t eh[64], es[kCombDigits];
  recode_radix16(eh, h);
  recode_comb(es, s);
  Point acc = identity();
  bool started = false;  // doubling the identity changes nothing, so skip it
  for (int i = 63; i >= 0; --i) {
    if (started) times16(acc);
    if (eh[i] != 0) {
      add_digit(acc, m, eh[i]);
      started = true;
    }
  }
  // s * B with B's table, apart: its doublings must not touch h(-A).
  const Point sb = comb_one(base, es);
  return encodes_to(to_point(add(acc, to_cached(sb))), r);
}

inline void build_comb(CombTable& table, const Point& p) {
  constexpr int kRows = kCombRows, kCols = kCombCols, kCount = kRows * kCols;
  std::vector<Point> pts(kCount);
  Point row_base = p;
  for (int k = 0; k < kRows; ++k) {
    const Cached step = to_cached(row_base);
    pts[k * kCols] = row_base;
    for (int j = 1; j < kCols; ++j) pts[k * kCols + j] = to_point(add(pts[k * kCols + j - 1], step));
    if (k + 1 < kRows) times_pow2(row_base, kCombBits * kCombPasses);
  }
  // One inversion for all the Z's (Montgomery's trick). Z is never 0 for
  // a point reached by these complete formulas.
  std::vector<Fe> prefix(kCount);
  Fe running = fe_one();
  for (int i = 0; i < kCount; ++i) {
    prefix[i] = running;
    running = fe_mul(running, pts[i].Z);
  }
  Fe inv = fe_invert(running);
  for (int i = kCount - 1; i >= 0; --i) {
    const Fe zinv = fe_mul(inv, prefix[i]);
    inv = fe_mul(inv, pts[i].Z);
    const Fe x = fe_mul(pts[i].X, zinv);
    const Fe y = fe_mul(pts[i].Y, zinv);
    Affine& a = table.entry[i / kCols][i % kCols];
    a.ypx = fe_carry(fe_add(y, x));
    a.ymx = fe_sub(y, x);
    a.xy2d = fe_mul(fe_mul(x, y), kD2);
  }
}

inline VariantOps make_ops(Impl id) {
  return VariantOps{id, &decode_point, &decode_negated, &build_comb, &check_ladder, &comb_points, &encode_many};
}

}  // namespace ED25519_VARIANT
}  // namespace ed25519
}  // namespace vectorpin
