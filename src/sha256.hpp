// SHA-256 (FIPS 180-4). The project's own implementation: a portable block
// function and, on x86-64, one using the SHA extensions, chosen once at run
// time from CPUID. The environment variable VECTORPIN_SHA256=portable forces
// the portable code for the whole process; "shani", "auto" or unset use the
// extensions when the CPU has them (hashing never fails over the setting).
// Documented for users in docs/BENCHMARKS.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vectorpin {

using Sha256Digest = std::array<uint8_t, 32>;

// How the bytes handed to Sha256::update_finite are laid out: native
// little-endian IEEE-754 binary32 or binary64 elements.
enum class FloatLanes { F32, F64 };

class Sha256;

// The SHA-256 of two byte strings of the same length, with the finiteness
// check of Sha256::update_finite for each (`len` a multiple of the element
// size). With the SHA extensions the two are hashed interleaved, which
// costs well under twice one hash; else one after the other. A non-finite
// string still gets its digest, which the caller should ignore.
void sha256_finite_pair(const void* a, const void* b, size_t len, FloatLanes lanes, Sha256Digest out[2],
                        bool finite[2]);

class Sha256 {
 public:
  Sha256() { reset(); }
  void reset();
  void update(const void* data, size_t len);
  // Hashes `len` bytes of packed floats and checks that every element is
  // finite in the same pass (the check rides in the SIMD pipeline next to
  // the compression, so it costs next to nothing). `len` must be a multiple
  // of the element size, and so must every length hashed before it.
  // Returns false if an element is NaN or infinite; the object must then be
  // reset before reuse.
  bool update_finite(const void* data, size_t len, FloatLanes lanes);
  Sha256Digest finish();

 private:
  friend void sha256_finite_pair(const void*, const void*, size_t, FloatLanes, Sha256Digest*, bool*);
  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_ = 0;
};

Sha256Digest sha256(const void* data, size_t len);

// Compresses `blocks` consecutive 64-byte blocks into `state`.
void sha256_blocks_portable(uint32_t state[8], const uint8_t* data, size_t blocks);

// "sha256:" + 64 lowercase hex digits.
std::string hash_string(const Sha256Digest& digest);

// The same 71 characters written to `out` (no NUL), without allocating.
constexpr size_t kHashStringLength = 71;
void hash_string_to(const Sha256Digest& digest, char out[kHashStringLength]);

// True if `s` equals hash_string(digest); allocation-free.
bool hash_string_matches(const Sha256Digest& digest, std::string_view s);

// --- block-function selection ---------------------------------------------

enum class Sha256Impl { Auto, Portable, ShaNi };

// True if this build has the SHA-extensions code and the CPU can run it.
bool sha256_shani_supported();

// Forces every later hash in the process onto one implementation (Auto
// returns to the start-up choice). Meant for tests and benchmarks; false,
// with nothing changed, if `impl` cannot run here.
bool sha256_force_implementation(Sha256Impl impl);

// The implementation hashes use right now (never Auto).
Sha256Impl sha256_active_implementation();

const char* sha256_implementation_name(Sha256Impl impl);

// True if `s` is exactly "sha256:" followed by 64 lowercase hex digits.
bool is_hash_string(std::string_view s);

}  // namespace vectorpin
