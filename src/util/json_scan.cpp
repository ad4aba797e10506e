#include "util/json_scan.hpp"

#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "util/json_numbers.hpp"
#include "util/utf8.hpp"

namespace vectorpin::util {

const char* json_type_name(JsonValue::Type t) {
  switch (t) {
    case JsonValue::kNull: return "null";
    case JsonValue::kBool: return "a boolean";
    case JsonValue::kNumber: return "a number";
    case JsonValue::kString: return "a string";
    case JsonValue::kArray: return "an array";
    case JsonValue::kObject: return "an object";
  }
  return "?";
}

namespace {

constexpr int kMaxDepth = 128;

// The bytes a JSON array of numbers is made of, between its brackets.
struct NumberArrayBytes {
  bool table[256] = {};
  constexpr NumberArrayBytes() {
    for (char c : std::string_view("0123456789+-.eE, \t\n\r")) table[static_cast<unsigned char>(c)] = true;
  }
  constexpr bool operator[](unsigned char c) const { return table[c]; }
};
constexpr NumberArrayBytes kNumberArrayByte;

// Whether every byte in [p, end) is one of kNumberArrayByte's. A vector is
// most of a store's line, so x86-64 checks 16 bytes at a time (SSE2 is part
// of its baseline); elsewhere, and for the tail, one byte at a time.
bool number_array_bytes_only(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i nine = _mm_set1_epi8(9);
  const __m128i zero_char = _mm_set1_epi8('0');
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i d = _mm_sub_epi8(v, zero_char);
    __m128i ok = _mm_cmpeq_epi8(_mm_min_epu8(d, nine), d);  // '0'..'9'
    for (char c : {'+', '-', '.', 'e', 'E', ',', ' ', '\t', '\n', '\r'})
      ok = _mm_or_si128(ok, _mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
    if (_mm_movemask_epi8(ok) != 0xFFFF) return false;
    p += 16;
  }
#endif
  bool plain = true;
  for (; p < end; ++p) plain &= kNumberArrayByte[static_cast<unsigned char>(*p)];
  return plain;
}

class Scanner {
 public:
  Scanner(const std::string& t, std::string_view numbers_member) : s_(t), numbers_member_(numbers_member) {}

  bool fail(const std::string& why) {
    if (problem_.empty()) problem_ = why + " at byte " + std::to_string(i_);
    return false;
  }

  static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  void ws() {
    while (i_ < s_.size() && is_ws(s_[i_])) ++i_;
  }

  bool literal(const char* word) {
    size_t n = std::char_traits<char>::length(word);
    if (s_.compare(i_, n, word) != 0) return fail("invalid literal");
    i_ += n;
    return true;
  }

  static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool hex4(unsigned& v) {
    if (i_ + 4 > s_.size()) return fail("truncated \\u escape");
    v = 0;
    for (int k = 0; k < 4; ++k) {
      int h = hexval(s_[i_ + static_cast<size_t>(k)]);
      if (h < 0) return fail("invalid \\u escape");
      v = (v << 4) | static_cast<unsigned>(h);
    }
    i_ += 4;
    return true;
  }

  // At the opening quote.
  bool string(std::string& out) {
    ++i_;
    out.clear();
    while (true) {
      if (i_ >= s_.size()) return fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) return fail("control character in a string");
      if (c != '\\') {
        out += static_cast<char>(c);
        ++i_;
        continue;
      }
      if (++i_ >= s_.size()) return fail("unterminated escape");
      char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xdc00 && cp <= 0xdfff) return fail("lone low surrogate escape");
          if (cp >= 0xd800 && cp <= 0xdbff) {
            unsigned lo = 0;
            if (i_ + 2 > s_.size() || s_[i_] != '\\' || s_[i_ + 1] != 'u') return fail("lone high surrogate escape");
            i_ += 2;
            if (!hex4(lo)) return false;
            if (lo < 0xdc00 || lo > 0xdfff) return fail("lone high surrogate escape");
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          }
          utf8_append(out, cp);
          break;
        }
        default: return fail("invalid escape");
      }
    }
  }

  bool number() {
    const char* end = json_number_end(s_.data() + i_, s_.data() + s_.size());
    if (!end) return fail("invalid number");
    i_ = static_cast<size_t>(end - s_.data());
    return true;
  }

  bool value(JsonValue& v, int depth) {
    if (depth > kMaxDepth) return fail("nesting deeper than 128 levels");
    ws();
    if (i_ >= s_.size()) return fail("unexpected end of input");
    v.begin = i_;
    char c = s_[i_];
    bool ok;
    if (c == '{') {
      v.type = JsonValue::kObject;
      ok = object(nullptr, depth);
    } else if (c == '[') {
      v.type = JsonValue::kArray;
      ok = array(depth);
    } else if (c == '"') {
      v.type = JsonValue::kString;
      ok = string(v.str);
    } else if (c == 't' || c == 'f') {
      v.type = JsonValue::kBool;
      v.boolean = c == 't';
      ok = literal(c == 't' ? "true" : "false");
    } else if (c == 'n') {
      v.type = JsonValue::kNull;
      ok = literal("null");
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v.type = JsonValue::kNumber;
      ok = number();
    } else {
      return fail("unexpected character");
    }
    v.end = i_;
    return ok;
  }

  bool array(int depth) {
    ++i_;
    ws();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
      return true;
    }
    while (true) {
      ws();
      if (depth + 1 > kMaxDepth) return fail("nesting deeper than 128 levels");
      // Numbers, by far the most common items (vectors), skip the
      // general value's bookkeeping.
      if (i_ < s_.size() && (s_[i_] == '-' || is_digit(s_[i_]))) {
        if (!number()) return false;
      } else {
        JsonValue item;
        if (!value(item, depth + 1)) return false;
      }
      ws();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return true;
      }
      return fail("expected ',' or ']'");
    }
  }

  bool object(std::vector<std::pair<std::string, JsonValue>>* members, int depth) {
    ++i_;
    ws();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return true;
    }
    std::string key;
    while (true) {
      ws();
      if (i_ >= s_.size() || s_[i_] != '"') return fail("expected a member name");
      if (!string(key)) return false;
      ws();
      if (i_ >= s_.size() || s_[i_] != ':') return fail("expected ':'");
      ++i_;
      JsonValue v;
      if (!(members && !numbers_member_.empty() && key == numbers_member_ && number_array_extent(v)) &&
          !value(v, depth + 1))
        return false;
      if (members) members->emplace_back(key, std::move(v));
      ws();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return true;
      }
      return fail("expected ',' or '}'");
    }
  }

  // If the value ahead is '[' followed only by bytes numbers, commas and
  // whitespace are made of up to its ']', takes it as an unchecked array.
  bool number_array_extent(JsonValue& v) {
    ws();
    if (i_ >= s_.size() || s_[i_] != '[') return false;
    const char* open = s_.data() + i_;
    const void* found = std::memchr(open, ']', s_.size() - i_);
    if (!found) return false;
    const char* close = static_cast<const char*>(found);
    if (!number_array_bytes_only(open + 1, close)) return false;
    v.type = JsonValue::kArray;
    v.unchecked = true;
    v.begin = i_;
    i_ = static_cast<size_t>(close + 1 - s_.data());
    v.end = i_;
    return true;
  }

  bool top(std::vector<std::pair<std::string, JsonValue>>& members) {
    ws();
    if (i_ >= s_.size() || s_[i_] != '{') return fail("not a JSON object");
    if (!object(&members, 1)) return false;
    ws();
    if (i_ != s_.size()) return fail("unexpected bytes after the object");
    return true;
  }

  const std::string& problem() const { return problem_; }

 private:
  const std::string& s_;
  const std::string_view numbers_member_;
  size_t i_ = 0;
  std::string problem_;
};

}  // namespace

bool scan_object(const std::string& text, std::vector<std::pair<std::string, JsonValue>>& members,
                 std::string& problem, std::string_view numbers_member) {
  members.clear();
  if (!is_valid_utf8(text)) {
    problem = "not valid UTF-8";
    return false;
  }
  Scanner s(text, numbers_member);
  if (!s.top(members)) {
    problem = s.problem();
    members.clear();
    return false;
  }
  return true;
}

}  // namespace vectorpin::util
