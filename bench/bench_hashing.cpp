// The protocol's content hashes through the public API, against raw
// SHA-256 of the same bytes (the floor), plus the implementations side by
// side for reference.
#include <cstring>

#include "bench_common.hpp"

namespace {

// ---- operations -------------------------------------------------------------

void hash_text(benchmark::State& state) {
  std::string text = bench::ascii_text(static_cast<size_t>(state.range(0)));
  char out[VECTORPIN_HASH_STRING_BUFFER_BYTES];
  for (auto _ : state) {
    if (vectorpin_hash_text(out, sizeof out, text.data(), text.size(), nullptr) != VECTORPIN_OK)
      state.SkipWithError("hash_text failed");
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(hash_text)->Arg(128)->Arg(1024)->Arg(8192);

// Non-ASCII text goes through NFC normalization; shown for reference.
void hash_text_nonascii(benchmark::State& state) {
  std::string text;
  while (text.size() < static_cast<size_t>(state.range(0))) text += "d\xc3\xa9j\xc3\xa0 vu, na\xc3\xafve caf\xc3\xa9 ";
  text.resize(static_cast<size_t>(state.range(0)));
  while ((static_cast<unsigned char>(text.back()) & 0xc0) == 0x80 || static_cast<unsigned char>(text.back()) >= 0xc0)
    text.pop_back();
  char out[VECTORPIN_HASH_STRING_BUFFER_BYTES];
  for (auto _ : state) {
    if (vectorpin_hash_text(out, sizeof out, text.data(), text.size(), nullptr) != VECTORPIN_OK)
      state.SkipWithError("hash_text failed");
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(hash_text_nonascii)->Arg(1024);

void hash_vector(benchmark::State& state) {
  std::vector<float> v = bench::embedding(static_cast<size_t>(state.range(0)));
  char out[VECTORPIN_HASH_STRING_BUFFER_BYTES];
  for (auto _ : state) {
    if (vectorpin_hash_vector_f32(out, sizeof out, v.data(), v.size(), VECTORPIN_DTYPE_F32, nullptr) != VECTORPIN_OK)
      state.SkipWithError("hash_vector failed");
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0) * 4);
}
BENCHMARK(hash_vector)->Arg(384)->Arg(768)->Arg(1024)->Arg(3072);

// f32 elements hashed as f64: the per-element cast path, for reference.
void hash_vector_cast_f64(benchmark::State& state) {
  std::vector<float> v = bench::embedding(static_cast<size_t>(state.range(0)));
  char out[VECTORPIN_HASH_STRING_BUFFER_BYTES];
  for (auto _ : state) {
    if (vectorpin_hash_vector_f32(out, sizeof out, v.data(), v.size(), VECTORPIN_DTYPE_F64, nullptr) != VECTORPIN_OK)
      state.SkipWithError("hash_vector failed");
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0) * 8);
}
BENCHMARK(hash_vector_cast_f64)->Arg(3072);

// ---- floors -------------------------------------------------------------------

// Raw SHA-256 (the fastest implementation here) of N bytes: the same bytes
// hash_text/N (ASCII) and hash_vector/(N/4) hash.
void floor_sha256(benchmark::State& state) {
  std::vector<uint8_t> bytes(static_cast<size_t>(state.range(0)));
  std::vector<float> v = bench::embedding(bytes.size() / 4);
  if (!v.empty()) std::memcpy(bytes.data(), v.data(), v.size() * 4);
  for (auto _ : state) {
    vectorpin::Sha256Digest d = vectorpin::sha256(bytes.data(), bytes.size());
    benchmark::DoNotOptimize(d);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(floor_sha256)->Arg(128)->Arg(1024)->Arg(8192)->Arg(1536)->Arg(3072)->Arg(4096)->Arg(12288)->Arg(24576);

// ---- the implementations side by side -----------------------------------------

template <vectorpin::Sha256Impl Impl>
void sha256_impl(benchmark::State& state) {
  if (!vectorpin::sha256_force_implementation(Impl)) {
    state.SkipWithError("not supported on this CPU");
    for (auto _ : state) {
    }
    return;
  }
  std::vector<uint8_t> bytes(static_cast<size_t>(state.range(0)), 0x5a);
  for (auto _ : state) {
    vectorpin::Sha256Digest d = vectorpin::sha256(bytes.data(), bytes.size());
    benchmark::DoNotOptimize(d);
  }
  vectorpin::sha256_force_implementation(vectorpin::Sha256Impl::Auto);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK_TEMPLATE(sha256_impl, vectorpin::Sha256Impl::Portable)->Name("sha256_portable")->Arg(12288);
BENCHMARK_TEMPLATE(sha256_impl, vectorpin::Sha256Impl::ShaNi)->Name("sha256_shani")->Arg(12288);

void sha256_libsodium(benchmark::State& state) {
  std::vector<uint8_t> bytes(static_cast<size_t>(state.range(0)), 0x5a);
  unsigned char d[32];
  for (auto _ : state) {
    crypto_hash_sha256(d, bytes.data(), bytes.size());
    benchmark::DoNotOptimize(d);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(sha256_libsodium)->Arg(12288);

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) bench::die("sodium_init");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  bench::record_sha256_choice();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
