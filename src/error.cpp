#include "error.hpp"

#include "unicode.hpp"
#include "util/utf8.hpp"

namespace vectorpin {

Status fail(Error& err, Status code, std::string message, int64_t offset) {
  err.code = code;
  err.offset = offset;
  err.message = std::move(message);
  return code;
}

std::string quote_untrusted(std::string_view text) {
  constexpr size_t kMaxCodePoints = 64;
  std::string out = "\"";
  size_t pos = 0;
  size_t shown = 0;
  while (pos < text.size() && shown < kMaxCodePoints) {
    uint32_t cp = 0;
    size_t len = util::utf8_decode(text, pos, cp);
    if (len == 0) {
      out += '?';
      pos += 1;
    } else {
      if (is_forbidden_char(cp) || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == '"' ||
          cp == '\\') {
        out += '?';
      } else {
        out.append(text.substr(pos, len));
      }
      pos += len;
    }
    ++shown;
  }
  out += '"';
  if (pos < text.size()) out += "...";
  return out;
}

}  // namespace vectorpin
