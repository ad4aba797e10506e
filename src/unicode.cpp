#include "unicode.hpp"

#include <cstdlib>

#include <utf8proc.h>

namespace vectorpin {

bool utf8_decode_one(std::string_view text, size_t pos, char32_t& cp, size_t& len) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  if (pos >= n) return false;
  unsigned char b0 = s[pos];
  if (b0 < 0x80) {
    cp = b0;
    len = 1;
    return true;
  }
  size_t need;
  char32_t min;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    need = 1;
    cp = b0 & 0x1f;
    min = 0x80;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    need = 2;
    cp = b0 & 0x0f;
    min = 0x800;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    need = 3;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    return false;
  }
  if (n - pos <= need) return false;
  for (size_t i = 1; i <= need; ++i) {
    unsigned char b = s[pos + i];
    if ((b & 0xc0) != 0x80) return false;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
  len = need + 1;
  return true;
}

size_t utf8_invalid_offset(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    char32_t cp;
    size_t len;
    if (!utf8_decode_one(text, pos, cp, len)) return pos;
    pos += len;
  }
  return std::string_view::npos;
}

void utf8_append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

bool is_forbidden_char(char32_t cp) {
  return cp <= 0x1f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t forbidden_char_offset(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp;
    size_t len;
    if (!utf8_decode_one(text, pos, cp, len)) return pos;
    if (is_forbidden_char(cp)) return pos;
    pos += len;
  }
  return std::string_view::npos;
}

namespace {

bool all_ascii(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

}  // namespace

Status to_nfc(std::string_view text, std::string& out, Error& err) {
  size_t bad = utf8_invalid_offset(text);
  if (bad != std::string_view::npos)
    return fail(err, VECTORPIN_INVALID_INPUT, "invalid UTF-8", static_cast<int64_t>(bad));
  // ASCII is its own NFC; skipping utf8proc keeps the common case cheap.
  if (all_ascii(text)) {
    out.assign(text.data(), text.size());
    return VECTORPIN_OK;
  }
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                    static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                                    static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) {
    std::free(mapped);
    if (n == UTF8PROC_ERROR_NOMEM) return fail(err, VECTORPIN_OUT_OF_MEMORY, "out of memory during NFC");
    return fail(err, VECTORPIN_INVALID_INPUT, std::string("NFC normalization failed: ") + utf8proc_errmsg(n));
  }
  out.assign(reinterpret_cast<const char*>(mapped), static_cast<size_t>(n));
  std::free(mapped);
  return VECTORPIN_OK;
}

bool is_nfc(std::string_view text) {
  if (all_ascii(text)) return true;
  std::string normalized;
  Error ignored;
  if (to_nfc(text, normalized, ignored) != VECTORPIN_OK) return false;
  return normalized == text;
}

}  // namespace vectorpin
