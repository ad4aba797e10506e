#include "unicode.hpp"

#include <cstdlib>

#include <utf8proc.h>

#include "util/utf8.hpp"

namespace vectorpin {

bool is_forbidden_char(uint32_t cp) {
  return cp <= 0x1f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t forbidden_char_offset(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    uint32_t cp;
    size_t len = util::utf8_decode(text, pos, cp);
    if (len == 0 || is_forbidden_char(cp)) return pos;
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
  size_t bad = util::utf8_invalid_offset(text);
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
