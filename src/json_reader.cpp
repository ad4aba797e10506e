#include "json_reader.hpp"

#include <algorithm>

#include "util/utf8.hpp"

namespace vectorpin {

const JsonValue* JsonValue::find(std::string_view key) const {
  for (const auto& m : members)
    if (m.first == key) return &m.second;
  return nullptr;
}

namespace {

class Reader {
 public:
  Reader(std::string_view text, const JsonLimits& limits, Error& err)
      : s_(text), limits_(limits), err_(err) {}

  Status document(JsonValue& out) {
    skip_ws();
    Status st = value(out, 0);
    if (st != VECTORPIN_OK) return st;
    skip_ws();
    if (pos_ != s_.size()) return error("unexpected bytes after the JSON value");
    return VECTORPIN_OK;
  }

 private:
  Status error(const char* what) { return fail(err_, VECTORPIN_PARSE_ERROR, what, static_cast<int64_t>(pos_)); }

  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }

  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Status value(JsonValue& out, size_t depth) {
    if (pos_ >= s_.size()) return error("unexpected end of JSON");
    out.offset = pos_;
    char c = s_[pos_];
    switch (c) {
      case '{':
        return object(out, depth);
      case '[':
        return array(out, depth);
      case '"':
        out.kind = JsonValue::Kind::String;
        return string(out.text);
      case 't':
        out.kind = JsonValue::Kind::Bool;
        out.boolean = true;
        return literal("true") ? VECTORPIN_OK : error("invalid literal");
      case 'f':
        out.kind = JsonValue::Kind::Bool;
        out.boolean = false;
        return literal("false") ? VECTORPIN_OK : error("invalid literal");
      case 'n':
        out.kind = JsonValue::Kind::Null;
        return literal("null") ? VECTORPIN_OK : error("invalid literal");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number(out);
        return error("unexpected character");
    }
  }

  bool digit_at(size_t p) const { return p < s_.size() && s_[p] >= '0' && s_[p] <= '9'; }

  Status number(JsonValue& out) {
    size_t start = pos_;
    if (s_[pos_] == '-') ++pos_;
    if (!digit_at(pos_)) return error("invalid number");
    if (s_[pos_] == '0') {
      ++pos_;
      if (digit_at(pos_)) return error("leading zero in number");
    } else {
      while (digit_at(pos_)) ++pos_;
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (!digit_at(pos_)) return error("invalid number fraction");
      while (digit_at(pos_)) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (!digit_at(pos_)) return error("invalid number exponent");
      while (digit_at(pos_)) ++pos_;
    }
    out.kind = JsonValue::Kind::Number;
    out.text.assign(s_.substr(start, pos_ - start));
    return VECTORPIN_OK;
  }

  bool hex4(size_t p, uint32_t& v) const {
    if (p + 4 > s_.size()) return false;
    v = 0;
    for (size_t i = 0; i < 4; ++i) {
      char c = s_[p + i];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<uint32_t>(c - 'A' + 10);
      else return false;
    }
    return true;
  }

  Status string(std::string& out) {
    out.clear();
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= s_.size()) return error("unterminated string");
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return VECTORPIN_OK;
      }
      if (c < 0x20) return error("unescaped control character in string");
      if (c == '\\') {
        Status st = escape(out);
        if (st != VECTORPIN_OK) return st;
        continue;
      }
      if (c < 0x80) {
        // A run of plain ASCII is appended at once: pins are mostly that
        // (hashes, base64, timestamps).
        size_t end = pos_ + 1;
        while (end < s_.size()) {
          const unsigned char d = static_cast<unsigned char>(s_[end]);
          if (d < 0x20 || d >= 0x80 || d == '"' || d == '\\') break;
          ++end;
        }
        out.append(s_.data() + pos_, end - pos_);
        pos_ = end;
        continue;
      }
      uint32_t cp;
      size_t len = util::utf8_decode(s_, pos_, cp);
      if (len == 0) return error("invalid UTF-8 in string");
      out.append(s_.substr(pos_, len));
      pos_ += len;
    }
  }

  Status escape(std::string& out) {
    if (pos_ + 1 >= s_.size()) return error("unterminated escape");
    char e = s_[pos_ + 1];
    pos_ += 2;
    switch (e) {
      case '"': out += '"'; return VECTORPIN_OK;
      case '\\': out += '\\'; return VECTORPIN_OK;
      case '/': out += '/'; return VECTORPIN_OK;
      case 'b': out += '\b'; return VECTORPIN_OK;
      case 'f': out += '\f'; return VECTORPIN_OK;
      case 'n': out += '\n'; return VECTORPIN_OK;
      case 'r': out += '\r'; return VECTORPIN_OK;
      case 't': out += '\t'; return VECTORPIN_OK;
      case 'u': break;
      default:
        pos_ -= 2;
        return error("invalid escape");
    }
    uint32_t u;
    if (!hex4(pos_, u)) {
      pos_ -= 2;
      return error("invalid \\u escape");
    }
    pos_ += 4;
    if (u >= 0xdc00 && u <= 0xdfff) {
      pos_ -= 6;
      return error("lone low surrogate escape");
    }
    if (u >= 0xd800 && u <= 0xdbff) {
      uint32_t low;
      if (pos_ + 1 < s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u' && hex4(pos_ + 2, low) &&
          low >= 0xdc00 && low <= 0xdfff) {
        pos_ += 6;
        util::utf8_append(out, 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00));
        return VECTORPIN_OK;
      }
      pos_ -= 6;
      return error("lone high surrogate escape");
    }
    util::utf8_append(out, u);
    return VECTORPIN_OK;
  }

  Status array(JsonValue& out, size_t depth) {
    if (depth + 1 > limits_.max_depth) return error("JSON nested too deeply");
    out.kind = JsonValue::Kind::Array;
    ++pos_;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return VECTORPIN_OK;
    }
    while (true) {
      out.items.emplace_back();
      skip_ws();
      Status st = value(out.items.back(), depth + 1);
      if (st != VECTORPIN_OK) return st;
      skip_ws();
      if (pos_ >= s_.size()) return error("unterminated array");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == ']') {
        ++pos_;
        return VECTORPIN_OK;
      }
      return error("expected ',' or ']'");
    }
  }

  Status object(JsonValue& out, size_t depth) {
    if (depth + 1 > limits_.max_depth) return error("JSON nested too deeply");
    out.kind = JsonValue::Kind::Object;
    ++pos_;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return VECTORPIN_OK;
    }
    while (true) {
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != '"') return error("expected a string key");
      out.members.emplace_back();
      Status st = string(out.members.back().first);
      if (st != VECTORPIN_OK) return st;
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != ':') return error("expected ':'");
      ++pos_;
      skip_ws();
      st = value(out.members.back().second, depth + 1);
      if (st != VECTORPIN_OK) return st;
      skip_ws();
      if (pos_ >= s_.size()) return error("unterminated object");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == '}') {
        ++pos_;
        break;
      }
      return error("expected ',' or '}'");
    }
    return check_duplicates(out);
  }

  // Sorting the keys makes the check O(n log n) even for hostile objects.
  Status check_duplicates(const JsonValue& obj) {
    std::vector<std::pair<std::string_view, size_t>> keys;
    keys.reserve(obj.members.size());
    for (const auto& m : obj.members) keys.emplace_back(m.first, m.second.offset);
    std::sort(keys.begin(), keys.end());
    for (size_t i = 1; i < keys.size(); ++i) {
      if (keys[i].first == keys[i - 1].first) {
        size_t later = std::max(keys[i].second, keys[i - 1].second);
        return fail(err_, VECTORPIN_PARSE_ERROR, "duplicate key " + quote_untrusted(keys[i].first),
                    static_cast<int64_t>(later));
      }
    }
    return VECTORPIN_OK;
  }

  std::string_view s_;
  const JsonLimits& limits_;
  Error& err_;
  size_t pos_ = 0;
};

}  // namespace

Status parse_json(std::string_view text, JsonValue& out, const JsonLimits& limits, Error& err) {
  out = JsonValue();
  Reader r(text, limits, err);
  return r.document(out);
}

bool json_is_integer(const JsonValue& v, int64_t& value, bool& fits) {
  if (v.kind != JsonValue::Kind::Number) return false;
  if (v.text.find_first_of(".eE") != std::string::npos) return false;
  bool negative = v.text[0] == '-';
  uint64_t acc = 0;
  fits = true;
  for (size_t i = negative ? 1 : 0; i < v.text.size(); ++i) {
    uint64_t d = static_cast<uint64_t>(v.text[i] - '0');
    if (acc > (UINT64_C(9223372036854775807) - d) / 10) {
      fits = false;
      break;
    }
    acc = acc * 10 + d;
  }
  value = fits ? (negative ? -static_cast<int64_t>(acc) : static_cast<int64_t>(acc)) : 0;
  return true;
}

}  // namespace vectorpin
