// UTF-8 (RFC 3629): strict decoding (no overlong forms, no surrogates,
// nothing above U+10FFFF), encoding, validation, and cutting text on a
// character boundary. The one implementation for the core and the tools:
// the core's libraries carry these objects with hidden visibility.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vectorpin::util {

// Decodes the sequence starting at s[i] into `cp`; returns its length in
// bytes, or 0 if it is not valid UTF-8 (cut short, a stray continuation
// byte, overlong, a surrogate, beyond U+10FFFF). `i` must be < s.size().
size_t utf8_decode(std::string_view s, size_t i, uint32_t& cp);

// Appends the UTF-8 form of `cp`, which must be a Unicode scalar value
// (at most U+10FFFF and not a surrogate): callers encode what they decoded
// or what a checked \u escape named.
void utf8_append(std::string& out, uint32_t cp);

// Byte offset of the first invalid sequence, or npos when `s` is valid.
size_t utf8_invalid_offset(std::string_view s);

inline bool is_valid_utf8(std::string_view s) { return utf8_invalid_offset(s) == std::string_view::npos; }

// The length of the longest prefix of `s` that is at most `limit` bytes and
// does not end inside a multi-byte character.
size_t utf8_clip_length(std::string_view s, size_t limit);

}  // namespace vectorpin::util
