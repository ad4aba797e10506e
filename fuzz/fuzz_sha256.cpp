// Differential: the project's SHA-256 against libsodium's, for every block
// function this build has (portable, SHA extensions when the CPU has them),
// fed through the streaming class at arbitrary split points, and the
// "finite" variants that also check float elements against a plain scan.
#include <cmath>
#include <cstring>

#include <sodium.h>

#include "fuzz_common.hpp"
#include "sha256.hpp"
#include "sha256_blocks.hpp"

using namespace vectorpin;

namespace {

Sha256Digest reference(const uint8_t* data, size_t size) {
  Sha256Digest d;
  crypto_hash_sha256(d.data(), data, size);
  return d;
}

bool finite_scan(const uint8_t* p, size_t bytes, FloatLanes lanes) {
  if (lanes == FloatLanes::F32) {
    for (size_t i = 0; i + 4 <= bytes; i += 4) {
      float f;
      std::memcpy(&f, p + i, 4);
      if (!std::isfinite(f)) return false;
    }
  } else {
    for (size_t i = 0; i + 8 <= bytes; i += 8) {
      double f;
      std::memcpy(&f, p + i, 8);
      if (!std::isfinite(f)) return false;
    }
  }
  return true;
}

const uint32_t kInit[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                           0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool ready = sodium_init() >= 0;
  FUZZ_CHECK(ready);
  // The first up to 4 bytes choose the split points; all bytes are hashed.
  uint8_t cuts[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < 4 && i < size; ++i) cuts[i] = data[i];
  const Sha256Digest want = reference(data, size);

  Sha256Impl impls[2] = {Sha256Impl::Portable, Sha256Impl::ShaNi};
  for (Sha256Impl impl : impls) {
    if (!sha256_force_implementation(impl)) {
      FUZZ_CHECK(impl == Sha256Impl::ShaNi && !sha256_shani_supported());
      continue;
    }
    FUZZ_CHECK(sha256_active_implementation() == impl);
    FUZZ_CHECK(sha256(data, size) == want);

    // Streaming, split at points derived from the input (some empty pieces).
    Sha256 h;
    size_t pos = 0;
    for (int i = 0; i < 4 && pos < size; ++i) {
      size_t piece = static_cast<size_t>(cuts[i]) * (i + 1) % (size - pos + 1);
      h.update(data + pos, piece);
      pos += piece;
    }
    h.update(data + pos, size - pos);
    FUZZ_CHECK(h.finish() == want);
    // A finished object resets and can hash again.
    h.reset();
    h.update(data, size);
    FUZZ_CHECK(h.finish() == want);
    FUZZ_CHECK(hash_string_matches(want, hash_string(want)));

    // update_finite on a whole number of elements, in element-aligned pieces.
    for (FloatLanes lanes : {FloatLanes::F32, FloatLanes::F64}) {
      size_t width = lanes == FloatLanes::F32 ? 4 : 8;
      size_t usable = size / width * width;
      bool finite = finite_scan(data, usable, lanes);
      Sha256 f;
      size_t first = usable == 0 ? 0 : (static_cast<size_t>(cuts[0]) % (usable / width + 1)) * width;
      bool ok = f.update_finite(data, first, lanes) && f.update_finite(data + first, usable - first, lanes);
      FUZZ_CHECK(ok == finite);
      if (ok) FUZZ_CHECK(f.finish() == reference(data, usable));
    }
  }
  sha256_force_implementation(Sha256Impl::Auto);

  // The block functions directly: all variants agree on every whole block,
  // and the finite variants hash exactly like the plain ones.
  size_t blocks = size / 64;
  if (blocks > 0) {
    uint32_t a[8], b[8];
    std::memcpy(a, kInit, sizeof a);
    sha256_blocks_portable(a, data, blocks);
    for (FloatLanes lanes : {FloatLanes::F32, FloatLanes::F64}) {
      std::memcpy(b, kInit, sizeof b);
      bool fin = detail::sha256_blocks_portable_finite(b, data, blocks, lanes);
      FUZZ_CHECK(std::memcmp(a, b, sizeof a) == 0);
      FUZZ_CHECK(fin == finite_scan(data, blocks * 64, lanes));
      FUZZ_CHECK(fin == detail::all_finite(data, blocks * 64, lanes));
    }
    if (detail::sha256_shani_cpu_supported()) {
      std::memcpy(b, kInit, sizeof b);
      detail::sha256_blocks_shani(b, data, blocks);
      FUZZ_CHECK(std::memcmp(a, b, sizeof a) == 0);
      for (FloatLanes lanes : {FloatLanes::F32, FloatLanes::F64}) {
        std::memcpy(b, kInit, sizeof b);
        bool fin = detail::sha256_blocks_shani_finite(b, data, blocks, lanes);
        FUZZ_CHECK(std::memcmp(a, b, sizeof a) == 0);
        FUZZ_CHECK(fin == finite_scan(data, blocks * 64, lanes));
      }
    }
  }
  return 0;
}
