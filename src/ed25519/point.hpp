// Points of the twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2 over
// GF(2^255 - 19), in the coordinate systems of Hisil, Wong, Carter and
// Dawson ("Twisted Edwards curves revisited", 2008). Variable time.
#pragma once

#include "ed25519/field.hpp"

namespace vectorpin {
namespace ed25519 {
namespace ED25519_VARIANT {

inline Point identity() { return Point{fe_zero(), fe_one(), fe_one(), fe_zero()}; }

inline Point to_point(const Completed& c) {
  return Point{fe_mul(c.X, c.T), fe_mul(c.Y, c.Z), fe_mul(c.Z, c.T), fe_mul(c.X, c.Y)};
}

inline Projective to_projective(const Completed& c) {
  return Projective{fe_mul(c.X, c.T), fe_mul(c.Y, c.Z), fe_mul(c.Z, c.T)};
}

inline Projective to_projective(const Point& p) { return Projective{p.X, p.Y, p.Z}; }

inline Cached to_cached(const Point& p) { return Cached{fe_add(p.Y, p.X), fe_sub(p.Y, p.X), p.Z, fe_mul(p.T, kD2)}; }

// 2p: 4 squarings (dbl-2008-hwcd).
inline Completed dbl(const Projective& p) {
  const Fe xx = fe_sq(p.X);
  const Fe yy = fe_sq(p.Y);
  const Fe zz2 = fe_add(fe_sq(p.Z), fe_sq(p.Z));
  const Fe xy2 = fe_sq(fe_add(p.X, p.Y));
  Completed r;
  r.Y = fe_add(yy, xx);
  r.Z = fe_sub(yy, xx);
  r.X = fe_sub(xy2, r.Y);
  r.T = fe_sub(zz2, r.Z);
  return r;
}

// p + q and p - q for an affine q (madd-2008-hwcd).
inline Completed add(const Point& p, const Affine& q) {
  const Fe a = fe_mul(fe_sub(p.Y, p.X), q.ymx);
  const Fe b = fe_mul(fe_add(p.Y, p.X), q.ypx);
  const Fe c = fe_mul(p.T, q.xy2d);
  const Fe z2 = fe_add(p.Z, p.Z);
  return Completed{fe_sub(b, a), fe_add(b, a), fe_add(z2, c), fe_sub(z2, c)};
}

inline Completed sub(const Point& p, const Affine& q) {
  // -q swaps y+x with y-x and negates 2dxy.
  const Fe a = fe_mul(fe_sub(p.Y, p.X), q.ypx);
  const Fe b = fe_mul(fe_add(p.Y, p.X), q.ymx);
  const Fe c = fe_mul(p.T, q.xy2d);
  const Fe z2 = fe_add(p.Z, p.Z);
  return Completed{fe_sub(b, a), fe_add(b, a), fe_sub(z2, c), fe_add(z2, c)};
}

// p + q and p - q for a projective q (add-2008-hwcd-3).
inline Completed add(const Point& p, const Cached& q) {
  const Fe a = fe_mul(fe_sub(p.Y, p.X), q.ymx);
  const Fe b = fe_mul(fe_add(p.Y, p.X), q.ypx);
  const Fe c = fe_mul(p.T, q.t2d);
  const Fe zz = fe_mul(p.Z, q.Z);
  const Fe z2 = fe_add(zz, zz);
  return Completed{fe_sub(b, a), fe_add(b, a), fe_add(z2, c), fe_sub(z2, c)};
}

inline Completed sub(const Point& p, const Cached& q) {
  const Fe a = fe_mul(fe_sub(p.Y, p.X), q.ypx);
  const Fe b = fe_mul(fe_add(p.Y, p.X), q.ymx);
  const Fe c = fe_mul(p.T, q.t2d);
  const Fe zz = fe_mul(p.Z, q.Z);
  const Fe z2 = fe_add(zz, zz);
  return Completed{fe_sub(b, a), fe_add(b, a), fe_sub(z2, c), fe_add(z2, c)};
}

inline Point negate(const Point& p) { return Point{fe_neg(p.X), p.Y, p.Z, fe_neg(p.T)}; }

// The 32-byte encoding: y, with the low bit of x in the top bit, given
// 1/Z (for many points, one inversion serves all: see encode_many).
inline void encode_with_inverse(uint8_t out[32], const Projective& p, const Fe& zinv) {
  const Fe x = fe_mul(p.X, zinv);
  const Fe y = fe_mul(p.Y, zinv);
  fe_tobytes(out, y);
  out[31] = static_cast<uint8_t>(out[31] ^ (fe_is_odd(x) ? 0x80 : 0));
}

inline void encode(uint8_t out[32], const Projective& p) { encode_with_inverse(out, p, fe_invert(p.Z)); }

// Decodes as libsodium 1.0.18 does: y is read with the top bit ignored
// (non-canonical y is the caller's business), x is recovered from
// x^2 = (y^2 - 1) / (d y^2 + 1), and fails only when that has no root.
// Then x is given the requested sign; x = 0 with the sign bit set is
// accepted (x stays 0), which is libsodium's behaviour too.
inline bool decode(Point& out, const uint8_t s[32]) {
  const Fe y = fe_frombytes(s);
  const Fe yy = fe_sq(y);
  const Fe u = fe_sub(yy, fe_one());
  const Fe v = fe_add(fe_mul(yy, kD), fe_one());
  const Fe v3 = fe_mul(fe_sq(v), v);
  const Fe uv7 = fe_mul(fe_mul(fe_sq(v3), v), u);
  Fe x = fe_mul(fe_mul(fe_pow_p58(uv7), v3), u);  // u v^3 (u v^7)^((p-5)/8)
  const Fe vxx = fe_mul(fe_sq(x), v);
  if (!fe_is_zero(fe_sub(vxx, u))) {
    if (!fe_is_zero(fe_add(vxx, u))) return false;
    x = fe_mul(x, kSqrtM1);
  }
  if (fe_is_odd(x) != ((s[31] >> 7) != 0)) x = fe_neg(x);
  out.X = x;
  out.Y = y;
  out.Z = fe_one();
  out.T = fe_mul(x, y);
  return true;
}

}  // namespace ED25519_VARIANT
}  // namespace ed25519
}  // namespace vectorpin
