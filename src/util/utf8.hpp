// UTF-8 (RFC 3629): strict decoding (no overlong forms, no surrogates,
// nothing above U+10FFFF), validation, and cutting text on a character
// boundary.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vectorpin::util {

// Decodes the sequence starting at s[i] into `cp`; returns its length in
// bytes, or 0 if it is not valid UTF-8 (cut short, a stray continuation
// byte, overlong, a surrogate, beyond U+10FFFF). `i` must be < s.size().
size_t utf8_decode(std::string_view s, size_t i, uint32_t& cp);

bool is_valid_utf8(std::string_view s);

// The length of the longest prefix of `s` that is at most `limit` bytes and
// does not end inside a multi-byte character.
size_t utf8_clip_length(std::string_view s, size_t limit);

}  // namespace vectorpin::util
