// The JSON number parser (src/util/json_numbers.cpp) on an embedding's
// text, against libstdc++'s std::from_chars on the same numbers (the
// floor: a correctly rounding parser with no grammar or array work).
// Two spellings: 9 significant digits (what "%.9g" writes, enough to
// round-trip an f32) and 17 (what Python's json writes for an f32 value
// widened to a Python float).
#include <charconv>
#include <cstdio>

#include "bench_common.hpp"
#include "util/json_numbers.hpp"

namespace {

constexpr size_t kDim = 3072;

struct Text {
  std::string array;                    // "[a,b,...]"
  std::vector<std::string_view> tokens;  // each number, inside `array`
};

const Text& text(int digits) {
  static Text by_digits[2];
  Text& t = by_digits[digits == 9 ? 0 : 1];
  if (t.array.empty()) {
    const char* format = digits == 9 ? "%.9g" : "%.17g";
    std::vector<size_t> starts, lengths;
    t.array = "[";
    char buf[40];
    for (float x : bench::embedding(kDim)) {
      if (t.array.size() > 1) t.array += ',';
      const int n = std::snprintf(buf, sizeof buf, format, static_cast<double>(x));
      starts.push_back(t.array.size());
      lengths.push_back(static_cast<size_t>(n));
      t.array.append(buf, static_cast<size_t>(n));
    }
    t.array += ']';
    for (size_t i = 0; i < starts.size(); ++i) t.tokens.emplace_back(t.array.data() + starts[i], lengths[i]);
  }
  return t;
}

template <typename T>
void json_vector(benchmark::State& state) {
  const Text& t = text(static_cast<int>(state.range(0)));
  std::vector<T> out;
  std::string problem;
  for (auto _ : state) {
    if (!vectorpin::util::parse_json_number_array(t.array, out, problem) || out.size() != kDim)
      state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * t.array.size()));
}

template <typename T>
void floor_from_chars(benchmark::State& state) {
  const Text& t = text(static_cast<int>(state.range(0)));
  std::vector<T> out(kDim);
  for (auto _ : state) {
    for (size_t i = 0; i < kDim; ++i) {
      const std::string_view s = t.tokens[i];
      if (std::from_chars(s.data(), s.data() + s.size(), out[i]).ec != std::errc()) state.SkipWithError("from_chars");
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * t.array.size()));
}

void json_vector_f32(benchmark::State& state) { json_vector<float>(state); }
void json_vector_f64(benchmark::State& state) { json_vector<double>(state); }
void floor_from_chars_f32(benchmark::State& state) { floor_from_chars<float>(state); }
void floor_from_chars_f64(benchmark::State& state) { floor_from_chars<double>(state); }

BENCHMARK(json_vector_f32)->ArgName("digits")->Arg(9)->Arg(17);
BENCHMARK(floor_from_chars_f32)->ArgName("digits")->Arg(9)->Arg(17);
BENCHMARK(json_vector_f64)->ArgName("digits")->Arg(9)->Arg(17);
BENCHMARK(floor_from_chars_f64)->ArgName("digits")->Arg(9)->Arg(17);

}  // namespace

BENCHMARK_MAIN();
