#include "util/json_numbers.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>

namespace vectorpin::util {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The end of the JSON number starting at `i`, or npos if there is none.
size_t json_number_end(std::string_view s, size_t i) {
  const size_t n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n || !is_digit(s[i])) return std::string_view::npos;
  if (s[i] == '0') {
    ++i;
  } else {
    while (i < n && is_digit(s[i])) ++i;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (i >= n || !is_digit(s[i])) return std::string_view::npos;
    while (i < n && is_digit(s[i])) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || !is_digit(s[i])) return std::string_view::npos;
    while (i < n && is_digit(s[i])) ++i;
  }
  return i;
}

// from_chars reports a result that rounds to zero or to infinity as out of
// range and leaves the value alone. Which of the two it was is read from the
// magnitude strtod gives (correctly rounded in glibc; this path is rare).
template <typename T>
bool out_of_range_value(std::string_view token, T& value) {
  std::string copy(token);
  double d = std::strtod(copy.c_str(), nullptr);
  if (std::isinf(d) || std::fabs(d) >= 1.0) return false;  // overflow: refused
  value = std::signbit(d) || token.front() == '-' ? -T(0) : T(0);
  return true;
}

template <typename T>
bool parse_array(std::string_view s, std::vector<T>& out, std::string& problem, size_t max_elements) {
  out.clear();
  const size_t n = s.size();
  size_t i = 0;
  while (i < n && is_space(s[i])) ++i;
  if (i >= n || s[i] != '[') {
    problem = "vector is not a JSON array";
    return false;
  }
  ++i;
  // A number takes at least two bytes with its separator: a cheap upper
  // bound for the allocation, capped by the element limit.
  out.reserve(std::min(max_elements, (n - i) / 2 + 1));
  while (i < n && is_space(s[i])) ++i;
  if (i < n && s[i] == ']') {
    ++i;
  } else {
    while (true) {
      while (i < n && is_space(s[i])) ++i;
      const size_t k = out.size();
      if (k >= max_elements) {
        problem = "vector has more than " + std::to_string(max_elements) + " elements";
        return false;
      }
      size_t end = json_number_end(s, i);
      if (end == std::string_view::npos) {
        problem = "vector element " + std::to_string(k) + " is not a JSON number";
        return false;
      }
      T value{};
      auto r = std::from_chars(s.data() + i, s.data() + end, value, std::chars_format::general);
      if (r.ec == std::errc::result_out_of_range) {
        if (!out_of_range_value(s.substr(i, end - i), value)) {
          problem = "vector element " + std::to_string(k) + " is out of the " +
                    (sizeof(T) == 4 ? "f32" : "f64") + " range";
          return false;
        }
      } else if (r.ec != std::errc() || r.ptr != s.data() + end) {
        problem = "vector element " + std::to_string(k) + " is not a JSON number";
        return false;
      }
      out.push_back(value);
      i = end;
      while (i < n && is_space(s[i])) ++i;
      if (i < n && s[i] == ',') {
        ++i;
        continue;
      }
      if (i < n && s[i] == ']') {
        ++i;
        break;
      }
      problem = "expected ',' or ']' after vector element " + std::to_string(k);
      return false;
    }
  }
  while (i < n && is_space(s[i])) ++i;
  if (i != n) {
    problem = "unexpected bytes after the vector array";
    return false;
  }
  return true;
}

}  // namespace

bool parse_json_number_array(std::string_view text, std::vector<float>& out, std::string& problem,
                             size_t max_elements) {
  return parse_array(text, out, problem, max_elements);
}

bool parse_json_number_array(std::string_view text, std::vector<double>& out, std::string& problem,
                             size_t max_elements) {
  return parse_array(text, out, problem, max_elements);
}

}  // namespace vectorpin::util
