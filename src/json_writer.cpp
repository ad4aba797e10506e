#include "json_writer.hpp"

#include "util/utf8.hpp"

namespace vectorpin {
namespace {

void append_u_escape(std::string& out, unsigned v) {
  static const char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(v >> shift) & 15];
}

}  // namespace

void append_json_string(std::string& out, std::string_view s, bool ascii_only) {
  out += '"';
  size_t pos = 0;
  while (pos < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c >= 0x80) {
      uint32_t cp;
      size_t len = util::utf8_decode(s, pos, cp);
      if (len == 0) {  // callers pass valid UTF-8
        out += "\\ufffd";
        ++pos;
        continue;
      }
      if (!ascii_only) {
        out.append(s.substr(pos, len));
      } else if (cp >= 0x10000) {
        append_u_escape(out, 0xd800 + ((cp - 0x10000) >> 10));
        append_u_escape(out, 0xdc00 + ((cp - 0x10000) & 0x3ff));
      } else {
        append_u_escape(out, cp);
      }
      pos += len;
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || (ascii_only && c == 0x7f)) append_u_escape(out, c);
        else out += static_cast<char>(c);
    }
    ++pos;
  }
  out += '"';
}

}  // namespace vectorpin
