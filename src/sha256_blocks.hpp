// The SHA-256 compression functions behind the Sha256 class. Each comes in
// two forms: plain, and "finite", which also proves that the bytes are
// finite floats of the given width. Selection happens in sha256.cpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sha256.hpp"

namespace vectorpin {
namespace detail {

extern const uint32_t kSha256Round[64];

// Compresses `blocks` consecutive 64-byte blocks into `state`.
using Sha256BlockFn = void (*)(uint32_t state[8], const uint8_t* data, size_t blocks);

// The same, and returns false if any element of the blocks, read as a native
// float of `lanes` width, is NaN or infinite (the blocks are hashed anyway).
using Sha256FiniteBlockFn = bool (*)(uint32_t state[8], const uint8_t* data, size_t blocks, FloatLanes lanes);

bool sha256_blocks_portable_finite(uint32_t state[8], const uint8_t* data, size_t blocks, FloatLanes lanes);

// True if `bytes` (a whole number of elements) holds only finite floats.
bool all_finite(const uint8_t* data, size_t bytes, FloatLanes lanes);

// Defined in sha256_shani.cpp. On targets without the SHA-extensions code
// the CPU check answers false and the block functions are never called.
bool sha256_shani_cpu_supported();
void sha256_blocks_shani(uint32_t state[8], const uint8_t* data, size_t blocks);
bool sha256_blocks_shani_finite(uint32_t state[8], const uint8_t* data, size_t blocks, FloatLanes lanes);
// Two messages of `blocks` blocks each, interleaved; finite[0] and [1] say
// whether each message's elements were all finite.
void sha256_blocks_shani_finite_x2(uint32_t state_a[8], const uint8_t* a, uint32_t state_b[8], const uint8_t* b,
                                   size_t blocks, FloatLanes lanes, bool finite[2]);

}  // namespace detail
}  // namespace vectorpin
