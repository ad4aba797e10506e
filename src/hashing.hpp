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

const char* dtype_name(Dtype d);

// VECTORPIN_INVALID_INPUT on invalid UTF-8.
Status hash_text(std::string_view text, std::string& out, Error& err);

// The digest behind hash_text. ASCII text (its own NFC) is hashed straight
// from the caller's memory without a copy or an allocation.
Status hash_text_digest(std::string_view text, Sha256Digest& out, Error& err);

// VECTORPIN_INVALID_INPUT naming the element that is NaN, infinite, or
// overflows when cast to `dtype`.
Status hash_vector(const float* v, size_t n, Dtype dtype, Sha256Digest& out, Error& err);
Status hash_vector(const double* v, size_t n, Dtype dtype, Sha256Digest& out, Error& err);

}  // namespace vectorpin
