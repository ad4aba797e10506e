// util/json_numbers: the one reader of JSON number arrays. Each decimal is
// the value it denotes, rounded once to the element type (ties to even); the
// expected bit patterns below were worked out by hand with exact rational
// arithmetic, not by the code under test.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>

#include "util/json_numbers.hpp"
#include "util/json_scan.hpp"

namespace {

using vectorpin::util::parse_json_number_array;

uint32_t bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
uint64_t bits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}

uint32_t f32_of(const std::string& number) {
  std::vector<float> v;
  std::string problem;
  EXPECT_TRUE(parse_json_number_array("[" + number + "]", v, problem)) << number << ": " << problem;
  return v.size() == 1 ? bits(v[0]) : 0xdeadbeef;
}
uint64_t f64_of(const std::string& number) {
  std::vector<double> v;
  std::string problem;
  EXPECT_TRUE(parse_json_number_array("[" + number + "]", v, problem)) << number << ": " << problem;
  return v.size() == 1 ? bits(v[0]) : 0xdeadbeefULL;
}

TEST(JsonNumbers, F32RoundsOnceToNearestEven) {
  // 1 + 2^-24 is exactly half-way between 1 and the next float: ties to even.
  EXPECT_EQ(f32_of("1.000000059604644775390625"), 0x3f800000u);
  // A hair above half-way rounds up; through double it would round to 1.
  EXPECT_EQ(f32_of("1.0000000596046447753906250001"), 0x3f800001u);
  EXPECT_EQ(f32_of("0.1"), 0x3dcccccdu);
  EXPECT_EQ(f32_of("-0"), 0x80000000u);
  EXPECT_EQ(f32_of("-0.0e5"), 0x80000000u);
  EXPECT_EQ(f32_of("0"), 0x00000000u);
  // Subnormals and underflow: 2^-149 is the smallest; below half of it, zero.
  EXPECT_EQ(f32_of("1e-45"), 0x00000001u);
  EXPECT_EQ(f32_of("7.1e-46"), 0x00000001u);
  EXPECT_EQ(f32_of("7.006492321624085354618647916449580656401309709382578858785341419448955413429303e-46"), 0u);
  EXPECT_EQ(f32_of("-1e-50"), 0x80000000u);
  EXPECT_EQ(f32_of("1e-99999"), 0u);
  EXPECT_EQ(f32_of("0e99999999999"), 0u);
  EXPECT_EQ(f32_of("1.1754942e-38"), 0x007fffffu);  // largest subnormal
  // The top of the range: below half-way to 2^128 rounds to FLT_MAX.
  EXPECT_EQ(f32_of("3.4028235e38"), 0x7f7fffffu);
  EXPECT_EQ(f32_of("-340282356779733661637539395458142568447.9"), 0xff7fffffu);
}

TEST(JsonNumbers, F64RoundsOnceToNearestEven) {
  EXPECT_EQ(f64_of("1.00000000000000011102230246251565404236316680908203125"), 0x3ff0000000000000ULL);
  EXPECT_EQ(f64_of("1.00000000000000011102230246251565404236316680908203125000000001"), 0x3ff0000000000001ULL);
  EXPECT_EQ(f64_of("0.1"), 0x3fb999999999999aULL);
  EXPECT_EQ(f64_of("-0"), 0x8000000000000000ULL);
  EXPECT_EQ(f64_of("4.9406564584124654e-324"), 0x1ULL);
  EXPECT_EQ(f64_of("2.4703282292062328e-324"), 0x1ULL);
  EXPECT_EQ(f64_of("2.4703282292062327e-324"), 0x0ULL);
  EXPECT_EQ(f64_of("-1e-400"), 0x8000000000000000ULL);
  EXPECT_EQ(f64_of("1e-99999"), 0x0ULL);
  EXPECT_EQ(f64_of("1.7976931348623157e308"), 0x7fefffffffffffffULL);
  EXPECT_EQ(f64_of("123456789012345678901234567890e-30"), bits(0.12345678901234568));
}

TEST(JsonNumbers, OverflowIsRefused) {
  std::vector<float> f;
  std::vector<double> d;
  std::string problem;
  // Exactly half-way between FLT_MAX and 2^128: ties to even goes to infinity.
  for (const char* n : {"3.4028236e38", "340282356779733661637539395458142568448", "-1e39", "1e99999"}) {
    EXPECT_FALSE(parse_json_number_array(std::string("[1,") + n + "]", f, problem)) << n;
    EXPECT_NE(problem.find("element 1 is out of the f32 range"), std::string::npos) << problem;
  }
  for (const char* n : {"1.7976931348623159e308", "-1e309", "1e99999"}) {
    EXPECT_FALSE(parse_json_number_array(std::string("[") + n + "]", d, problem)) << n;
    EXPECT_NE(problem.find("out of the f64 range"), std::string::npos) << problem;
  }
  // Fine as f64, too large as f32.
  EXPECT_TRUE(parse_json_number_array("[1e39]", d, problem));
}

TEST(JsonNumbers, GrammarIsJsonExactly) {
  std::vector<double> d;
  std::string problem;
  for (const char* ok : {"[]", " [ ] ", "[0]", "[-0.5e+3, 1E-2,\t2\n]\r\n", "[ 1 ]"}) {
    EXPECT_TRUE(parse_json_number_array(ok, d, problem)) << ok << ": " << problem;
  }
  for (const char* bad : {"", "1", "[", "[1", "[1,]", "[,1]", "[1 2]", "[+1]", "[01]", "[-01]", "[.5]", "[1.]", "[1e]",
                          "[1e+]", "[-]", "[NaN]", "[Infinity]", "[-Infinity]", "[0x10]", "[1]x", "[1],", "[\"1\"]",
                          "[null]", "[[1]]", "{}", "[1,,2]", "[1.5f]", "[\xef\xbc\x91]"}) {
    EXPECT_FALSE(parse_json_number_array(bad, d, problem)) << "accepted: " << bad;
    EXPECT_FALSE(problem.empty());
  }
}

// An element with 32 or more bytes after its start may take a shortcut for
// the common shape -?digits(.digits)? (x86-64); each element below is
// followed by enough others that it would, and must be read or refused
// exactly as the general grammar says.
TEST(JsonNumbers, ElementsFarFromTheEndFollowTheSameGrammar) {
  const std::string tail = ",1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]";
  std::vector<double> d;
  std::string problem;
  for (const char* ok : {"0", "-0", "7", "-7", "0.5", "-0.5", "10.25", "123456789012345", "0.00000000000001",
                         "-1.2345678901234", "1e5", "1.5E-3", "12345678901234567890", "0.1234567890123456789"}) {
    ASSERT_TRUE(parse_json_number_array(std::string("[") + ok + tail, d, problem)) << ok << ": " << problem;
    EXPECT_EQ(d[0], std::strtod(ok, nullptr)) << ok;
    EXPECT_EQ(d.size(), 21u);
  }
  for (const char* bad : {"01", "-01", "00.5", ".5", "-.5", "1.", "-", "--1", "1-2", "1.2.3", "1..2", "+1", "1 2",
                          "0x10", "1e", "1e+", "1.5f", "1,,2", "\"1\"", "1e5x"}) {
    EXPECT_FALSE(parse_json_number_array(std::string("[") + bad + tail, d, problem)) << "accepted: " << bad;
    EXPECT_FALSE(problem.empty());
  }
}

// The short decimals an audit mostly reads take a fast path (one exact
// double operation); whatever the path, the answer must be the correctly
// rounded one, which from_chars gives. Includes decimals that are exactly
// half-way between two floats (2^24 + odd, scaled by powers of ten), where
// rounding through double would go wrong.
template <typename T>
void expect_matches_from_chars(const std::string& token) {
  std::vector<T> v;
  std::string problem;
  T ref{};
  auto r = std::from_chars(token.data(), token.data() + token.size(), ref, std::chars_format::general);
  if (r.ec != std::errc() || r.ptr != token.data() + token.size()) return;  // out of range: tested above
  ASSERT_TRUE(parse_json_number_array("[" + token + "]", v, problem)) << token << ": " << problem;
  ASSERT_EQ(v.size(), 1u);
  ASSERT_EQ(bits(v[0]), bits(ref)) << token;
  // Far from the end of the text, where the shortcut for common elements
  // applies.
  ASSERT_TRUE(parse_json_number_array("[" + token + ",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]", v, problem)) << token;
  ASSERT_EQ(bits(v[0]), bits(ref)) << token;
}

TEST(JsonNumbers, EveryPathRoundsLikeFromChars) {
  std::mt19937_64 rng(7);
  auto digits = [&](int n) {
    std::string d;
    for (int i = 0; i < n; ++i) d += static_cast<char>('0' + rng() % 10);
    if (n > 0 && d[0] == '0') d[0] = static_cast<char>('1' + rng() % 9);
    return d;
  };
  std::vector<std::string> tokens;
  for (int i = 0; i < 200000; ++i) {
    std::string t = rng() % 2 ? "-" : "";
    const int int_digits = static_cast<int>(rng() % 12);
    t += int_digits == 0 ? "0" : digits(int_digits);
    if (rng() % 4 != 0) {
      t += ".";
      std::string frac = digits(1 + static_cast<int>(rng() % 20));
      if (rng() % 2) frac.insert(0, std::string(rng() % 8, '0'));
      t += frac;
    }
    if (rng() % 3 == 0) t += std::string(rng() % 2 ? "e" : "E") + (rng() % 2 ? "-" : "+") + std::to_string(rng() % 45);
    tokens.push_back(t);
  }
  // Short decimals next to a float midpoint: their correctly rounded double
  // is often the midpoint itself (e.g. 0.5000000149011612 rounds to the
  // double 0.5 + 2^-25), so float(double) would round the tie to even
  // while the decimal lies above or below it.
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  for (int i = 0; i < 20000; ++i) {
    const float f = std::ldexp(unit(rng), static_cast<int>(rng() % 60) - 30);
    const double mid = (static_cast<double>(f) + static_cast<double>(std::nextafter(f, 2.0f * f + 1.0f))) / 2;
    for (int precision : {15, 16, 17}) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.*e", precision - 1, mid);
      tokens.push_back(buf);
    }
  }
  // Long decimals (18 and 19 significant digits, as far as the fast path
  // goes) at and within a few double ulps of a float midpoint: the f32 path
  // computes a double within 3 ulps of the decimal and must leave these to
  // from_chars whenever a midpoint could lie in between.
  for (int i = 0; i < 20000; ++i) {
    const float f = std::ldexp(unit(rng), static_cast<int>(rng() % 200) - 100);
    if (f == 0) continue;
    double near = (static_cast<double>(f) + static_cast<double>(std::nextafter(f, 2.0f * f + 1.0f))) / 2;
    const int steps = static_cast<int>(rng() % 13) - 6;
    for (int k = 0; k < (steps < 0 ? -steps : steps); ++k) near = std::nextafter(near, steps < 0 ? -1e300 : 1e300);
    for (int precision : {18, 19}) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.*e", precision - 1, near);
      tokens.push_back(buf);
    }
  }
  // The same for doubles: 17 to 19 significant digits at and next to a
  // double midpoint (exact in long double wherever it is wider than
  // double), where the f64 path must leave the rounding to from_chars.
  std::uniform_real_distribution<double> unit64(-1.0, 1.0);
  for (int i = 0; i < 20000; ++i) {
    const double d = std::ldexp(unit64(rng), static_cast<int>(rng() % 1200) - 600);
    if (d == 0) continue;
    long double near = (static_cast<long double>(d) + static_cast<long double>(std::nextafter(d, 2 * d + 1))) / 2;
    const int steps = static_cast<int>(rng() % 7) - 3;
    for (int k = 0; k < (steps < 0 ? -steps : steps); ++k) near = std::nextafterl(near, steps < 0 ? -1e300L : 1e300L);
    for (int precision : {17, 18, 19}) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.*Le", precision - 1, near);
      tokens.push_back(buf);
    }
  }
  // Exact midpoints, ties to even: 2^24 + odd, and 2^53 + odd divided by
  // 2^k for k = 0..4 (written as (2^53 + odd) * 5^k * 10^-k, at most 19
  // digits).
  for (uint64_t odd = 1; odd < 2000; odd += 2) {
    tokens.push_back(std::to_string((uint64_t(1) << 24) + odd));
    uint64_t scaled = (uint64_t(1) << 53) + odd;
    for (int k = 0; k <= 4; ++k, scaled *= 5) tokens.push_back(std::to_string(scaled) + "e-" + std::to_string(k));
  }
  for (const std::string& t : tokens) {
    expect_matches_from_chars<float>(t);
    expect_matches_from_chars<double>(t);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(JsonNumbers, ElementLimitBeforeWork) {
  std::vector<float> f;
  std::string problem;
  EXPECT_TRUE(parse_json_number_array("[1,2,3]", f, problem, 3));
  EXPECT_FALSE(parse_json_number_array("[1,2,3,4]", f, problem, 3));
  EXPECT_NE(problem.find("more than 3 elements"), std::string::npos) << problem;
  // The default is the library's VECTORPIN_MAX_VEC_DIM.
  std::string big = "[0";
  for (size_t i = 0; i < 1048576; ++i) big += ",0";
  big += "]";
  EXPECT_FALSE(parse_json_number_array(big, f, problem));
  EXPECT_NE(problem.find("more than 1048576"), std::string::npos);
  EXPECT_LE(f.capacity(), size_t{1048576}) << "the allocation is bounded by the limit";
}

TEST(JsonNumbers, ProblemsNeverQuoteTheInput) {
  std::vector<double> d;
  std::string problem;
  std::string hostile = "[1,\x1b[2Jevil]";
  EXPECT_FALSE(parse_json_number_array(hostile, d, problem));
  EXPECT_EQ(problem.find("evil"), std::string::npos);
  EXPECT_EQ(problem.find('\x1b'), std::string::npos);
}

}  // namespace

// scan_object takes a vector member's array on trust (for the number parser
// to check) only when every byte between its brackets could belong to
// numbers, commas or whitespace. Those bytes are checked 16 at a time where
// the CPU allows, so a foreign value (a string, a nested array, a literal)
// is put at every element of arrays long enough to reach into the wide part
// and the tail; a foreign byte that breaks the JSON must fail the scan.
TEST(JsonScan, AnArrayIsTakenOnTrustOnlyIfEveryByteCouldBelongToANumber) {
  using vectorpin::util::JsonValue;
  const char* numbers[] = {"1.5e+3", "-0.25", "\t7E-2", "\r\n 9", "0"};
  auto scan = [](const std::string& array, bool& unchecked) {
    std::vector<std::pair<std::string, JsonValue>> members;
    std::string problem;
    const std::string line = "{\"v\":" + array + ",\"s\":\"x\"}";
    if (!vectorpin::util::scan_object(line, members, problem, "v")) return false;
    unchecked = !members.empty() && members[0].second.unchecked;
    return true;
  };
  size_t trusted = 0, refused = 0;
  for (size_t count = 0; count <= 24; ++count) {
    for (size_t foreign_at = 0; foreign_at <= count; ++foreign_at) {
      for (const char* foreign : {"\"x\"", "[1]", "{}", "true", "null", "\"]\""}) {
        const bool clean = foreign_at == count;
        std::string array = "[";
        for (size_t i = 0; i < count; ++i) {
          if (i) array += ",";
          array += i == foreign_at ? foreign : numbers[i % 5];
        }
        array += "]";
        bool unchecked = false;
        ASSERT_TRUE(scan(array, unchecked)) << array;
        EXPECT_EQ(unchecked, clean) << array;
        (unchecked ? trusted : refused) += 1;
        // One byte that is no JSON at all, in the same place.
        if (!clean) {
          std::string broken = array;
          broken[broken.find(foreign)] = '\x80';
          EXPECT_FALSE(scan(broken, unchecked)) << "a stray byte was not noticed";
        }
        if (clean) break;
      }
    }
  }
  EXPECT_EQ(trusted, 25u);
  EXPECT_GT(refused, 25u * 6);
}
