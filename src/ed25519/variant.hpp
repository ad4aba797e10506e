// What each instruction-set variant of the engine provides: the same
// arithmetic compiled for a different target, chosen once at run time.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ed25519/ed25519.hpp"

namespace vectorpin {
namespace ed25519 {

struct VariantOps {
  Impl id;
  // libsodium's decoding of a point (see point.hpp's decode).
  bool (*decode)(Point& out, const uint8_t s[32]);
  // The same, then negated: -A is what verification multiplies.
  bool (*decode_negated)(Point& out, const uint8_t s[32]);
  void (*build_comb)(CombTable& table, const Point& p);
  // Whether encode(h * (-A) + s * B) equals r, with -A alone (no table).
  bool (*check_ladder)(const Point& neg_a, const CombTable& base, const uint8_t h[32], const uint8_t s[32],
                       const uint8_t r[32]);
  // The same with -A's table, in two steps so that a batch's points share
  // one inversion: h * (-A) + s * B for each of n <= kMaxEncodeBatch
  // checks, then the encodings of such points.
  void (*comb_points)(Projective* out, const PendingCheck* checks, const CombTable& base, size_t n);
  void (*encode_many)(uint8_t (*out)[32], const Projective* p, size_t n);
};

extern const VariantOps kPortableOps;
// 64-bit multiplies only (field_split.hpp); every build has it.
extern const VariantOps kSplitOps;
// Null when the build has no such variant.
extern const VariantOps* const kBmi2Ops;
bool bmi2_cpu_supported();
// Null when the build has no such variant.
extern const VariantOps* const kIfmaOps;
bool ifma_cpu_supported();

}  // namespace ed25519
}  // namespace vectorpin
