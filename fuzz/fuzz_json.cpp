// Arbitrary bytes into the tools' JSON readers (src/util): the number-array
// parser and the object scanner, with and without the scanner's shortcut for
// a vector member (which only checks the array's characters and leaves the
// numbers to the parser). Properties:
//  - the shortcut accepts a line the full scan refuses only if the number
//    parser then refuses one of its unchecked arrays (the audit rescans such
//    a line in full; the parser may name a range problem first, as in
//    `[1e99999e5]`, so any refusal counts);
//  - the shortcut never refuses a line the full scan accepts;
//  - whatever the parser accepts is a valid JSON value to the scanner, and
//    every value it returns is finite;
//  - a single number is read as std::from_chars reads it, bit for bit, as
//    f32 and as f64.
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "fuzz_common.hpp"
#include "util/json_numbers.hpp"
#include "util/json_scan.hpp"

using vectorpin::util::JsonValue;
using vectorpin::util::parse_json_number_array;
using vectorpin::util::scan_object;

namespace {

bool is_range_problem(const std::string& problem) { return problem.find("range") != std::string::npos; }

// Whatever path the parser takes, a number it accepts has the correctly
// rounded value, which std::from_chars gives, bit for bit.
template <typename T>
void same_as_from_chars(const std::string& in) {
  T ref{};
  const auto r = std::from_chars(in.data(), in.data() + in.size(), ref, std::chars_format::general);
  if (r.ec != std::errc() || r.ptr != in.data() + in.size()) return;
  for (const std::string& text : {"[" + in + "]", "[" + in + ",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]"}) {
    std::vector<T> got;
    std::string problem;
    if (parse_json_number_array(text, got, problem, 32) && !got.empty())
      FUZZ_CHECK(std::memcmp(&ref, &got[0], sizeof ref) == 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(fuzz::as_view(data, size));

  std::vector<float> f32;
  std::vector<double> f64;
  std::string p32, p64;
  const bool ok32 = parse_json_number_array(in, f32, p32, 4096);
  const bool ok64 = parse_json_number_array(in, f64, p64, 4096);
  for (float x : f32) FUZZ_CHECK(!ok32 || std::isfinite(x));
  for (double x : f64) FUZZ_CHECK(!ok64 || std::isfinite(x));
  // The two widths agree on the grammar; only range can split them.
  if (ok64 && !ok32) FUZZ_CHECK(is_range_problem(p32));
  FUZZ_CHECK(!(ok32 && !ok64));
  if (ok32 && ok64) FUZZ_CHECK(f32.size() == f64.size());

  // The same bytes as a vector member, and as a whole line.
  for (const std::string& line : {"{\"v\":" + in + ",\"s\":\"x\"}", in}) {
    std::vector<std::pair<std::string, JsonValue>> full, quick;
    std::string pf, pq;
    const bool full_ok = scan_object(line, full, pf);
    const bool quick_ok = scan_object(line, quick, pq, "v");
    if (full_ok) FUZZ_CHECK(quick_ok);
    if (!quick_ok) FUZZ_CHECK(!full_ok);
    if (quick_ok && !full_ok) {
      // Only an unchecked array can hide what the full scan refused, and the
      // number parser must then refuse one of them.
      bool refused = false;
      for (const auto& m : quick) {
        if (!m.second.unchecked) continue;
        const std::string text = line.substr(m.second.begin, m.second.end - m.second.begin);
        std::vector<double> d;
        std::string why;
        refused |= !parse_json_number_array(text, d, why);
      }
      FUZZ_CHECK(refused);
    }
    if (quick_ok && full_ok) {
      FUZZ_CHECK(quick.size() == full.size());
      for (size_t i = 0; i < quick.size(); ++i) {
        FUZZ_CHECK(quick[i].first == full[i].first && quick[i].second.type == full[i].second.type);
        FUZZ_CHECK(quick[i].second.begin <= quick[i].second.end && quick[i].second.end <= line.size());
      }
    }
  }
  if (ok64) {
    std::vector<std::pair<std::string, JsonValue>> members;
    std::string why;
    FUZZ_CHECK(scan_object("{\"v\":" + in + "}", members, why));
  }

  // The input as one number, far from the end of the text too (where the
  // parser's shortcut for common elements applies).
  same_as_from_chars<float>(in);
  same_as_from_chars<double>(in);
  return 0;
}
