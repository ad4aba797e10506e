// Unicode NFC (through utf8proc) and the character classes the protocol
// forbids in identifiers. UTF-8 decoding, encoding and validation are in
// util/utf8.hpp, one implementation shared with the tools.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "error.hpp"

namespace vectorpin {

// U+0000..U+001F and the bidi controls U+202A..U+202E, U+2066..U+2069.
bool is_forbidden_char(uint32_t cp);

// Offset of the first forbidden character in valid UTF-8, or npos.
size_t forbidden_char_offset(std::string_view text);

// NFC of valid UTF-8 text. Fails with VECTORPIN_INVALID_INPUT on invalid
// UTF-8 (the offset is reported).
Status to_nfc(std::string_view text, std::string& out, Error& err);

// True if valid UTF-8 text is already in NFC.
bool is_nfc(std::string_view text);

}  // namespace vectorpin
