#include "util/json_numbers.hpp"

#include <algorithm>
#include <cerrno>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <system_error>

#include "util/pow5_table.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vectorpin::util {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// One JSON number token: where it ends and, when it is short enough for
// the exact fast path below, its decimal significand and exponent.
struct Token {
  const char* end = nullptr;  // null: not a JSON number
  bool negative = false;
  bool fast = true;           // digits and exponent fit the fast path
  uint64_t digits = 0;        // the significant digits, as an integer
  int exponent = 0;           // value = digits * 10^exponent
};

// Eight bytes at p with the first byte lowest, on any host.
inline uint64_t load_first_low(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

// Eight digit values 0..9, one a byte, first digit lowest, as one number:
// three multiply-adds instead of a chain of eight.
inline uint64_t combine_eight(uint64_t v) {
  v = (v * 10 + (v >> 8)) & 0x00FF00FF00FF00FFULL;     // pairs: first * 10 + second
  v = (v * 100 + (v >> 16)) & 0x0000FFFF0000FFFFULL;   // fours
  return (v * 10000 + (v >> 32)) & 0xFFFFFFFFULL;      // all eight
}

// 10^k as integers, k = 0..19 (10^19 is the last below 2^64).
constexpr uint64_t kPow10Int[] = {1ULL,
                                  10ULL,
                                  100ULL,
                                  1000ULL,
                                  10000ULL,
                                  100000ULL,
                                  1000000ULL,
                                  10000000ULL,
                                  100000000ULL,
                                  1000000000ULL,
                                  10000000000ULL,
                                  100000000000ULL,
                                  1000000000000ULL,
                                  10000000000000ULL,
                                  100000000000000ULL,
                                  1000000000000000ULL,
                                  10000000000000000ULL,
                                  100000000000000000ULL,
                                  1000000000000000000ULL,
                                  10000000000000000000ULL};

// Eight ASCII digits at p (p + 8 <= end), as their value, or -1 if the
// eight bytes are not all digits. Long runs of digits are the bulk of a
// vector's text.
inline int64_t eight_digits(const char* p) {
  const uint64_t v = load_first_low(p);
  // Each byte in '0'..'9': high nibble 3, and adding 6 keeps it 3.
  constexpr uint64_t kHigh = 0xF0F0F0F0F0F0F0F0ULL, kThrees = 0x3030303030303030ULL;
  if ((v & kHigh) != kThrees || ((v + 0x0606060606060606ULL) & kHigh) != kThrees) return -1;
  return static_cast<int64_t>(combine_eight(v - kThrees));
}

#if defined(__GNUC__) || defined(__clang__)
#define VP_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define VP_ALWAYS_INLINE inline
#endif

// How many of the 8 bytes in v (first byte lowest) are ASCII digits before
// the first one that is not. A byte below '0' sets its top bit when 0x30 is
// subtracted, one above '9' when 0x46 is added (or, above 0xB9, when 0x30
// is subtracted); digits set neither and carry or borrow nothing into the
// next byte, so the lowest byte flagged is the first non-digit.
inline int leading_digit_bytes(uint64_t v) {
  const uint64_t flagged =
      ((v + 0x4646464646464646ULL) | (v - 0x3030303030303030ULL)) & 0x8080808080808080ULL;
  return flagged == 0 ? 8 : __builtin_ctzll(flagged) >> 3;
}

// The value of the first n <= 8 bytes of v (first byte lowest), which are
// digits. The bytes after them may borrow in the subtraction, but only from
// later (more significant) bytes, which the shift drops, leaving the n
// digits behind 8 - n leading zeros.
inline uint64_t value_of_leading(uint64_t v, int n) {
  if (n == 0) return 0;
  return combine_eight((v - 0x3030303030303030ULL) << (8 * (8 - n)));
}

// Reads a run of digits at p into t.digits (the first 19 significant ones;
// more make the token slow) and returns how many digits there were. Where
// 8 bytes are left, leading zeros and the run's last partial 8 are counted
// from whole words, not byte by byte: their lengths vary from number to
// number, and a branch per byte would mispredict.
template <bool kValue>
VP_ALWAYS_INLINE int read_digits(const char*& p, const char* end, Token& t, int& significant) {
  const char* from = p;
  if (kValue && significant == 0) {
    while (end - p >= 8) {
      const uint64_t not_zero = load_first_low(p) ^ 0x3030303030303030ULL;
      if (not_zero != 0) {
        p += __builtin_ctzll(not_zero) >> 3;
        break;
      }
      p += 8;
    }
    while (p < end && *p == '0') ++p;
  }
  while (end - p >= 8) {
    const int64_t eight = eight_digits(p);
    if (eight < 0) {
      // The run ends within these 8 bytes; after the leading zeros (or
      // other digits) every digit here is significant.
      const uint64_t v = load_first_low(p);
      const int n = leading_digit_bytes(v);
      p += n;
      if (kValue && n > 0) {
        significant += n;
        if (significant > 19) t.fast = false;
        else t.digits = t.digits * kPow10Int[n] + value_of_leading(v, n);
      }
      return static_cast<int>(std::min<ptrdiff_t>(p - from, 1 << 20));
    }
    p += 8;
    if (!kValue) continue;
    significant += 8;
    if (significant > 19) t.fast = false;
    else t.digits = t.digits * 100000000 + static_cast<uint64_t>(eight);
  }
  while (p < end && is_digit(*p)) {
    if (kValue && (significant > 0 || *p != '0')) {
      if (++significant > 19) t.fast = false;
      else t.digits = t.digits * 10 + static_cast<uint64_t>(*p - '0');
    }
    ++p;
  }
  return static_cast<int>(std::min<ptrdiff_t>(p - from, 1 << 20));
}

#if defined(__SSE2__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define VP_JSON_NUMBER_SIMD 1
// The value of the n <= 8 ASCII digits at q (8 bytes readable).
inline uint64_t value_of_digits(const char* q, int n) { return value_of_leading(load_first_low(q), n); }

// The same for n <= 16 digits (16 bytes readable).
inline uint64_t value_of_digits16(const char* q, int n) {
  if (n <= 8) return value_of_digits(q, n);
  return value_of_digits(q, 8) * kPow10Int[n - 8] + value_of_digits(q + 8, n - 8);
}

// The common case of an array element: -?digits(.digits)? followed at
// once by ',' or ']', at most 15 bytes, no exponent. One 16-byte load and a
// few compares find the end and check the shape, so where the next element
// starts depends on a short chain of operations rather than on a branch
// per byte (which numbers of varying lengths mispredict), and the digits
// are converted off that chain. False for anything else, which read_token's
// general loop then reads or refuses: it, not this, defines the grammar.
VP_ALWAYS_INLINE bool read_short_token(const char* p, const char* end, Token& t) {
  // The load reads 16 bytes; value_of_digits16 reads up to 16 from where
  // the digits after the point start, at most at byte 15.
  if (end - p < 32) return false;
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const unsigned stops = static_cast<unsigned>(_mm_movemask_epi8(
      _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(',')), _mm_cmpeq_epi8(bytes, _mm_set1_epi8(']')))));
  const int length = __builtin_ctz(stops | 0x10000u);
  if (length == 0 || length > 15) return false;
  const unsigned within = (1u << length) - 1;
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(bytes, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(bytes, _mm_set1_epi8('9' + 1)));
  const unsigned digits = static_cast<unsigned>(_mm_movemask_epi8(digit)) & within;
  const unsigned points = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('.')))) & within;
  const unsigned minus = p[0] == '-' ? 1u : 0u;
  // Every byte a digit, a point or the leading minus; at most one point.
  if ((digits | points | minus) != within || (points & (points - 1)) != 0) return false;
  const int first = static_cast<int>(minus);
  const int int_end = points != 0 ? __builtin_ctz(points) : length;
  const int n_int = int_end - first;
  const int n_frac = points != 0 ? length - int_end - 1 : 0;
  // Digits before the point, digits after it if there is one, and no
  // leading zero before another digit.
  if (n_int <= 0 || (points != 0 && n_frac <= 0) || (n_int > 1 && p[first] == '0')) return false;
  t.negative = minus != 0;
  t.fast = true;
  t.digits = value_of_digits16(p + first, n_int) * kPow10Int[n_frac] + value_of_digits16(p + int_end + 1, n_frac);
  t.exponent = -n_frac;
  t.end = p + length;
  return true;
}
#endif

// Reads the RFC 8259 number at `p`. Inlined and pointer-based: this and the
// conversion are all the work of a vector's text, and an audit runs them at
// every element of every record it reads. With kValue false only the grammar
// is checked (t.digits and t.exponent stay unset), for readers that skip
// numbers.
template <bool kValue = true>
VP_ALWAYS_INLINE Token read_token(const char* p, const char* end) {
  Token t;
#if defined(VP_JSON_NUMBER_SIMD)
  if (kValue && read_short_token(p, end, t)) return t;
#endif
  int significant = 0;  // digits counted into t.digits, leading zeros not
  t.negative = p < end && *p == '-';
  p += t.negative ? 1 : 0;  // usually compiled without a branch: signs are random
  if (p >= end || !is_digit(*p)) return t;
  if (*p == '0') {
    ++p;
  } else {
    read_digits<kValue>(p, end, t, significant);
  }
  if (p < end && *p == '.') {
    ++p;
    if (p >= end || !is_digit(*p)) return t;
    t.exponent -= read_digits<kValue>(p, end, t, significant);
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool minus = false;
    if (p < end && (*p == '+' || *p == '-')) minus = *p++ == '-';
    if (p >= end || !is_digit(*p)) return t;
    int e = 0;
    while (p < end && is_digit(*p)) {
      if (e < 100000) e = e * 10 + (*p - '0');
      ++p;
    }
    t.exponent += minus ? -e : e;
  }
  t.end = p;
  return t;
}

// Clinger's fast path: a significand below 2^53 and a power of ten up to
// 10^22 are both exact doubles, so one IEEE multiplication or division
// rounds the exact value once, correctly, to double. Short decimals take
// it (measured faster than the path below for them).
inline bool exact_double(const Token& t, double& out) {
#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
  // Wider intermediates (x87) would round twice.
  return false;
#endif
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (!t.fast || t.digits > (uint64_t(1) << 53) || t.exponent < -22 || t.exponent > 22) return false;
  const double m = static_cast<double>(t.digits);
  const double v = t.exponent < 0 ? m / kPow10[-t.exponent] : m * kPow10[t.exponent];
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  bits |= static_cast<uint64_t>(t.negative) << 63;  // by its bit: see fast_float
  std::memcpy(&out, &bits, 8);
  return true;
}

// The decimal rounded once to double, from 128 bits of 5^q (a 5^q table,
// pow5_table.hpp; 10^q = 5^q 2^q). With W the significand shifted left
// until its top bit is set (W = w 2^l) and 5^q = (T + theta) 2^-s, the
// value is x = W (T + theta) 2^(q - s - l), and V = W (T + theta) lies in
// [2^190, 2^192). Two 64x64-bit products give V's top 128 bits, A, short
// of the exact V / 2^64 by less than 2 (the low product's low half, and
// W theta < W). The top 54 bits of A are the 53 bits of the double and
// the rounding bit. Rounding is decided from the bits below, unless the
// missing part (< 2 units of A's last bit) could still change it: all of
// them zero under a rounding bit of 1 (then x may be exactly half-way,
// where ties go to even), or all of them one under a rounding bit of 0
// (a carry could set it). Those, results outside the normal range, and
// significands of more than 19 digits go to from_chars.
inline bool wide_double(const Token& t, double& out) {
#if defined(__SIZEOF_INT128__)
  __extension__ typedef unsigned __int128 u128;  // a GCC/Clang extension, on purpose
  if (!t.fast || t.exponent < kMinPow5 || t.exponent > kMaxPow5) return false;
  uint64_t bits = 0;
  if (t.digits != 0) {
    const Pow5& p5 = kPow5[t.exponent - kMinPow5];
    const int l = __builtin_clzll(t.digits);
    const uint64_t w = t.digits << l;
    const u128 high = u128(w) * p5.hi;
    const u128 low = u128(w) * p5.lo;
    const u128 a = high + static_cast<uint64_t>(low >> 64);  // < 2^128: w p5.hi <= (2^64 - 1)^2
    const uint64_t upper = static_cast<uint64_t>(a >> 64), lower = static_cast<uint64_t>(a);
    const int top = static_cast<int>(upper >> 63);  // V >= 2^191
    const int r = 9 + top;                           // bits of `upper` below the rounding bit
    const uint64_t m54 = upper >> r;
    const uint64_t below = upper & ((uint64_t(1) << r) - 1);
    // Bitwise, not short-circuit: the rounding bit is random, and a branch
    // on it would mispredict every other number.
    const bool odd = (m54 & 1) != 0;
    const bool maybe_tie = odd & (below == 0) & (lower == 0);
    const bool maybe_carry = !odd & (below == (uint64_t(1) << r) - 1) & (lower == ~uint64_t(0));
    if (maybe_tie | maybe_carry) return false;
    uint64_t m = (m54 + 1) >> 1;  // rounding bit 1 now means above half-way: up
    int e2 = r + 129 + t.exponent - p5.s - l;
    if (m == (uint64_t(1) << 53)) {
      m >>= 1;
      ++e2;
    }
    const int biased = e2 + 1075;
    if (biased <= 0 || biased >= 2047) return false;
    bits = (uint64_t(biased) << 52) | (m & ((uint64_t(1) << 52) - 1));
  }
  bits |= static_cast<uint64_t>(t.negative) << 63;
  std::memcpy(&out, &bits, 8);
  return true;
#else
  (void)t;
  (void)out;
  return false;
#endif
}

// Powers of ten as the nearest doubles (the compiler rounds each literal
// correctly): 10^e for e in [kMinFloatPow, kMaxFloatPow], every exponent a
// decimal with up to 19 significant digits can have and land in float's
// range.
constexpr int kMinFloatPow = -64, kMaxFloatPow = 38;
constexpr double kPow10Wide[kMaxFloatPow - kMinFloatPow + 1] = {
    1e-64, 1e-63, 1e-62, 1e-61, 1e-60, 1e-59, 1e-58, 1e-57, 1e-56, 1e-55, 1e-54, 1e-53, 1e-52, 1e-51, 1e-50,
    1e-49, 1e-48, 1e-47, 1e-46, 1e-45, 1e-44, 1e-43, 1e-42, 1e-41, 1e-40, 1e-39, 1e-38, 1e-37, 1e-36, 1e-35,
    1e-34, 1e-33, 1e-32, 1e-31, 1e-30, 1e-29, 1e-28, 1e-27, 1e-26, 1e-25, 1e-24, 1e-23, 1e-22, 1e-21, 1e-20,
    1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4,
    1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31, 1e32, 1e33,
    1e34, 1e35, 1e36, 1e37, 1e38,
};

// The decimal rounded once to float, without a division. d = digits *
// 10^exponent is computed in double from the nearest doubles of both
// factors, three roundings each within half an ulp, so d is within 3 ulps
// (of a double) of the exact value x. float(d) is then the correctly
// rounded float of x unless a float midpoint lies between x and d. Every
// such midpoint is a double whose low 29 significand bits are 2^28 (a
// normal float keeps 24 of the double's 53 bits), so when d's low bits are
// more than 8 from that pattern, no midpoint is within 3 ulps of d and x
// rounds as d does. Otherwise, and in the subnormal and overflow ranges
// where that test is not a bit test, from_chars decides. Unlike the double
// path this takes any 19-digit significand (Python's json writes 17 digits
// for an f32 value), as float needs 24 of double's 53 bits.
inline bool fast_float(const Token& t, float& out) {
#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
  return false;
#endif
  if (!t.fast || t.exponent < kMinFloatPow || t.exponent > kMaxFloatPow) return false;
  const double d = static_cast<double>(t.digits) * kPow10Wide[t.exponent - kMinFloatPow];
  if (d != 0 && (d < static_cast<double>(std::numeric_limits<float>::min()) ||
                 d > static_cast<double>(std::numeric_limits<float>::max())))
    return false;
  uint64_t b;
  std::memcpy(&b, &d, 8);
  constexpr uint64_t kHalf = uint64_t(1) << 28, kMargin = 8;
  if ((b & ((uint64_t(1) << 29) - 1)) - (kHalf - kMargin) <= 2 * kMargin) return false;
  // The sign by its bit, not a branch: signs are random, and a branch on
  // them mispredicts every other number.
  uint32_t f;
  const float magnitude = static_cast<float>(d);
  std::memcpy(&f, &magnitude, 4);
  f |= static_cast<uint32_t>(t.negative) << 31;
  std::memcpy(&out, &f, 4);
  return true;
}

inline bool fast_value(const Token& t, double& out) { return exact_double(t, out) || wide_double(t, out); }
inline bool fast_value(const Token& t, float& out) { return fast_float(t, out); }

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
      const char* token = s.data() + i;
      const Token t = read_token(token, s.data() + n);
      if (!t.end) {
        problem = "vector element " + std::to_string(k) + " is not a JSON number";
        return false;
      }
      const char* token_end = t.end;
      const size_t end = static_cast<size_t>(token_end - s.data());
      T value;
      if (!fast_value(t, value)) {
        // Its own variable: taking the address of `value` would keep every
        // fast-path result in memory.
        T slow{};
        auto r = std::from_chars(token, token_end, slow, std::chars_format::general);
        if (r.ec == std::errc::result_out_of_range) {
          if (!out_of_range_value(s.substr(i, end - i), slow)) {
            problem = "vector element " + std::to_string(k) + " is out of the " +
                      (sizeof(T) == 4 ? "f32" : "f64") + " range";
            return false;
          }
        } else if (r.ec != std::errc() || r.ptr != token_end) {
          problem = "vector element " + std::to_string(k) + " is not a JSON number";
          return false;
        }
        value = slow;
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

const char* json_number_end(const char* p, const char* end) { return read_token<false>(p, end).end; }

bool parse_json_number_array(std::string_view text, std::vector<float>& out, std::string& problem,
                             size_t max_elements) {
  return parse_array(text, out, problem, max_elements);
}

bool parse_json_number_array(std::string_view text, std::vector<double>& out, std::string& problem,
                             size_t max_elements) {
  return parse_array(text, out, problem, max_elements);
}

}  // namespace vectorpin::util
