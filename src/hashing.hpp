// The protocol's two content hashes: hash_text (SHA-256 of NFC UTF-8) and
// hash_vector (SHA-256 of the elements cast to a dtype, little-endian).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "error.hpp"
#include "sha256.hpp"

namespace vectorpin {

enum class Dtype { F32 = VECTORPIN_DTYPE_F32, F64 = VECTORPIN_DTYPE_F64 };

// The wire name ("f32", "f64") and back, from the header's table.
const char* dtype_name(Dtype d);
bool dtype_from_name(std::string_view name, Dtype& out);

// VECTORPIN_INVALID_INPUT on invalid UTF-8.
Status hash_text(std::string_view text, std::string& out, Error& err);

// The digest behind hash_text. ASCII text (its own NFC) is hashed straight
// from the caller's memory without a copy or an allocation.
Status hash_text_digest(std::string_view text, Sha256Digest& out, Error& err);

// VECTORPIN_INVALID_INPUT naming the element that is NaN, infinite, or
// overflows when cast to `dtype`.
Status hash_vector(const float* v, size_t n, Dtype dtype, Sha256Digest& out, Error& err);
Status hash_vector(const double* v, size_t n, Dtype dtype, Sha256Digest& out, Error& err);

// Vector digests computed ahead, two at once (sha256_finite_pair), for the
// verifications that follow on this thread: while an object of this class
// lives, hash_vector on exactly the same memory, length and element width,
// hashed without a cast, takes the digest from here instead of hashing
// again. The batch paths use it to hash two items' vectors together; the
// answer is the same either way (a non-finite vector is hashed again, so
// the error still names its first bad element). The memory must not change
// while the object lives. One per thread at a time.
class PrehashedVectors {
 public:
  PrehashedVectors(const void* a, const void* b, size_t bytes, FloatLanes lanes);
  ~PrehashedVectors();
  PrehashedVectors(const PrehashedVectors&) = delete;
  PrehashedVectors& operator=(const PrehashedVectors&) = delete;
};

}  // namespace vectorpin
