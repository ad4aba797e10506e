// The JSON number parser (src/util/json_numbers.cpp) on an embedding's
// text, against libstdc++'s std::from_chars on the same numbers (the
// floor: a correctly rounding parser with no grammar or array work).
// Two spellings: 9 significant digits (what "%.9g" writes, enough to
// round-trip an f32) and 17 (what Python's json writes for an f32 value
// widened to a Python float).
#include <charconv>
#include <cstdio>
#include <random>

#include "bench_common.hpp"
#include "util/json_numbers.hpp"

namespace {

constexpr size_t kDim = 3072;
// Arrays of different values, parsed in turn: one array parsed over and
// over would let the branch predictor learn its digit counts, which an
// audit's records, all different, do not allow.
constexpr size_t kArrays = 64;

struct Text {
  std::string array;                    // "[a,b,...]"
  std::vector<std::string_view> tokens;  // each number, inside `array`
};

// kArrays texts of kDim values shaped like an embedding's.
const std::vector<Text>& texts(int digits) {
  static std::vector<Text> by_digits[2];
  std::vector<Text>& all = by_digits[digits == 9 ? 0 : 1];
  if (all.empty()) {
    const char* format = digits == 9 ? "%.9g" : "%.17g";
    std::mt19937 rng(3);
    std::normal_distribution<float> value(0.0f, 0.02f);
    all.resize(kArrays);
    for (Text& t : all) {
      std::vector<size_t> starts, lengths;
      t.array = "[";
      char buf[40];
      for (size_t i = 0; i < kDim; ++i) {
        if (i) t.array += ',';
        const int n = std::snprintf(buf, sizeof buf, format, static_cast<double>(value(rng)));
        starts.push_back(t.array.size());
        lengths.push_back(static_cast<size_t>(n));
        t.array.append(buf, static_cast<size_t>(n));
      }
      t.array += ']';
      for (size_t i = 0; i < starts.size(); ++i) t.tokens.emplace_back(t.array.data() + starts[i], lengths[i]);
    }
  }
  return all;
}

size_t total_bytes(const std::vector<Text>& all) {
  size_t n = 0;
  for (const Text& t : all) n += t.array.size();
  return n;
}

template <typename T>
void json_vector(benchmark::State& state) {
  const std::vector<Text>& all = texts(static_cast<int>(state.range(0)));
  std::vector<T> out;
  std::string problem;
  size_t next = 0, bytes = 0;
  for (auto _ : state) {
    const Text& t = all[next++ % kArrays];
    if (!vectorpin::util::parse_json_number_array(t.array, out, problem) || out.size() != kDim)
      state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(out.data());
    bytes += t.array.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["bytes_per_array"] = static_cast<double>(total_bytes(all)) / kArrays;
}

template <typename T>
void floor_from_chars(benchmark::State& state) {
  const std::vector<Text>& all = texts(static_cast<int>(state.range(0)));
  std::vector<T> out(kDim);
  size_t next = 0, bytes = 0;
  for (auto _ : state) {
    const Text& t = all[next++ % kArrays];
    for (size_t i = 0; i < kDim; ++i) {
      const std::string_view s = t.tokens[i];
      if (std::from_chars(s.data(), s.data() + s.size(), out[i]).ec != std::errc()) state.SkipWithError("from_chars");
    }
    benchmark::DoNotOptimize(out.data());
    bytes += t.array.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
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
