// UTF-8 validation, Unicode NFC (through utf8proc) and the character classes
// the protocol forbids in identifiers.
#pragma once

#include <string>
#include <string_view>

#include "error.hpp"

namespace vectorpin {

// Decodes one code point at `pos` under strict UTF-8 (no overlongs, no
// surrogates, nothing above U+10FFFF). False on invalid input.
bool utf8_decode_one(std::string_view text, size_t pos, char32_t& cp, size_t& len);

// Byte offset of the first invalid UTF-8 sequence, or npos when valid.
size_t utf8_invalid_offset(std::string_view text);

void utf8_append(std::string& out, char32_t cp);

// U+0000..U+001F and the bidi controls U+202A..U+202E, U+2066..U+2069.
bool is_forbidden_char(char32_t cp);

// Offset of the first forbidden character in valid UTF-8, or npos.
size_t forbidden_char_offset(std::string_view text);

// NFC of valid UTF-8 text. Fails with VECTORPIN_INVALID_INPUT on invalid
// UTF-8 (the offset is reported).
Status to_nfc(std::string_view text, std::string& out, Error& err);

// True if valid UTF-8 text is already in NFC.
bool is_nfc(std::string_view text);

}  // namespace vectorpin
