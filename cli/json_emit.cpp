#include "json_emit.hpp"

#include "util/utf8.hpp"

namespace cli {
namespace {

void append_u(std::string& out, unsigned v) {
  static const char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int s = 12; s >= 0; s -= 4) out += kHex[(v >> s) & 15];
}

}  // namespace

std::string json_quote(const std::string& s, bool ascii_only) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    size_t n = vectorpin::util::utf8_decode(s, i, cp);
    if (n == 0) {
      out += ascii_only ? "\\ufffd" : "\xef\xbf\xbd";
      ++i;
      continue;
    }
    switch (cp) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (cp < 0x20 || (ascii_only && cp == 0x7f)) {
          append_u(out, cp);
        } else if (cp < 0x80 || !ascii_only) {
          out.append(s, i, n);
        } else if (cp >= 0x10000) {
          append_u(out, 0xd800 + ((cp - 0x10000) >> 10));
          append_u(out, 0xdc00 + ((cp - 0x10000) & 0x3ff));
        } else {
          append_u(out, cp);
        }
    }
    i += n;
  }
  out += '"';
  return out;
}

void JsonEmitter::newline() {
  if (indent_ == 0) return;
  out_ += '\n';
  out_.append(stack_.size() * static_cast<size_t>(indent_), ' ');
}

void JsonEmitter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  if (stack_.back().count++ > 0) out_ += ',';
  newline();
}

JsonEmitter& JsonEmitter::begin_object() {
  before_value();
  out_ += '{';
  stack_.push_back({true, 0});
  return *this;
}

JsonEmitter& JsonEmitter::end_object() {
  bool any = stack_.back().count > 0;
  stack_.pop_back();
  if (any) newline();
  out_ += '}';
  return *this;
}

JsonEmitter& JsonEmitter::begin_array() {
  before_value();
  out_ += '[';
  stack_.push_back({false, 0});
  return *this;
}

JsonEmitter& JsonEmitter::end_array() {
  bool any = stack_.back().count > 0;
  stack_.pop_back();
  if (any) newline();
  out_ += ']';
  return *this;
}

JsonEmitter& JsonEmitter::key(const std::string& k) {
  before_value();
  out_ += json_quote(k, ascii_);
  out_ += indent_ ? ": " : ":";
  after_key_ = true;
  return *this;
}

JsonEmitter& JsonEmitter::string(const std::string& s) {
  before_value();
  out_ += json_quote(s, ascii_);
  return *this;
}

JsonEmitter& JsonEmitter::number(int64_t n) {
  before_value();
  out_ += std::to_string(n);
  return *this;
}

JsonEmitter& JsonEmitter::boolean(bool b) {
  before_value();
  out_ += b ? "true" : "false";
  return *this;
}

JsonEmitter& JsonEmitter::null() {
  before_value();
  out_ += "null";
  return *this;
}

}  // namespace cli
