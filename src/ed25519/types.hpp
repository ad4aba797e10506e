// The engine's data types, shared by every instruction-set variant so a
// table built by one is read by another. Functions on them live in the
// variants (field.hpp, point.hpp).
#pragma once

#include <cstdint>

namespace vectorpin {
namespace ed25519 {

// An element of GF(2^255 - 19): five limbs of 51 bits (radix 2^51); limbs
// may run above 51 bits between operations, see field.hpp for the bounds.
struct Fe {
  uint64_t v[5];
};

constexpr uint64_t kMask51 = (uint64_t(1) << 51) - 1;

// d = -121665/121666 and 2d, and sqrt(-1) = 2^((p-1)/4), as reduced limbs.
constexpr Fe kD{{0x34dca135978a3, 0x1a8283b156ebd, 0x5e7a26001c029, 0x739c663a03cbb, 0x52036cee2b6ff}};
constexpr Fe kD2{{0x69b9426b2f159, 0x35050762add7a, 0x3cf44c0038052, 0x6738cc7407977, 0x2406d9dc56dff}};
constexpr Fe kSqrtM1{{0x61b274a0ea0b0, 0xd5a5fc8f189d, 0x7ef5e9cbd0c60, 0x78595a6804c9e, 0x2b8324804fc1d}};

// Extended coordinates: x = X/Z, y = Y/Z, x*y = T/Z.
struct Point {
  Fe X, Y, Z, T;
};

// Projective without T: enough for a doubling or the final encoding.
struct Projective {
  Fe X, Y, Z;
};

// The "completed" result of an addition or doubling: x = X/Z, y = Y/T.
// Converting it to Point or Projective costs the multiplications that
// tell the two apart, so the caller pays only for what it needs next.
struct Completed {
  Fe X, Y, Z, T;
};

// An affine point ready for mixed addition: y+x, y-x, 2d*x*y.
struct Affine {
  Fe ypx, ymx, xy2d;
};

// Any point ready for addition: Y+X, Y-X, Z, 2d*T.
struct Cached {
  Fe ypx, ymx, Z, t2d;
};

}  // namespace ed25519
}  // namespace vectorpin
