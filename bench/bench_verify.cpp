// Pinning, verifying, parsing and batch verification through the public
// API, with the raw libsodium and SHA-256 work each one cannot avoid
// measured in the same run.
#include <chrono>
#include <cstring>
#include <ctime>

#include "bench_common.hpp"
#include "ed25519/ed25519.hpp"

namespace {

constexpr size_t kDim = 3072;
constexpr size_t kSourceChars = 1024;
constexpr size_t kBatchItems = 64;

// Everything a pin or a verification needs, built once.
struct World {
  bench::Keys keys;
  std::string source = bench::ascii_text(kSourceChars);
  std::vector<float> vec = bench::embedding(kDim);
  vectorpin_signer* signer = nullptr;
  vectorpin_verifier* verifier = nullptr;
  vectorpin_pin* pin = nullptr;
  std::string pin_json;
  std::string signed_bytes;
  unsigned char sig[64];

  World() {
    seed_signer();
    if (vectorpin_verifier_new(&verifier, nullptr) != VECTORPIN_OK ||
        vectorpin_verifier_add_key(verifier, bench::kKid, std::strlen(bench::kKid), keys.pk, 32, nullptr, 0, nullptr,
                                   0, nullptr) != VECTORPIN_OK)
      bench::die("verifier");
    if (vectorpin_signer_pin_f32(signer, &pin, source.data(), source.size(), "text-embedding-3-large", 22,
                                 vec.data(), vec.size(), nullptr, nullptr) != VECTORPIN_OK)
      bench::die("pin");
    char* json = nullptr;
    size_t json_len = 0;
    uint8_t* sb = nullptr;
    size_t sb_len = 0;
    if (vectorpin_pin_to_json(pin, &json, &json_len, nullptr) != VECTORPIN_OK ||
        vectorpin_pin_signed_bytes(pin, &sb, &sb_len, nullptr) != VECTORPIN_OK ||
        vectorpin_pin_signature(pin, sig, 64, nullptr) != VECTORPIN_OK)
      bench::die("pin accessors");
    pin_json.assign(json, json_len);
    signed_bytes.assign(reinterpret_cast<char*>(sb), sb_len);
    vectorpin_free(json);
    vectorpin_free(sb);
  }

  void seed_signer() {
    if (vectorpin_signer_from_seed(&signer, bench::kKid, std::strlen(bench::kKid), keys.sk, 32, nullptr) !=
        VECTORPIN_OK)
      bench::die("signer");
  }
};

World& world() {
  static World w;
  return w;
}

const unsigned char* u8(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// ---- pin ----------------------------------------------------------------------

void pin(benchmark::State& state) {
  World& w = world();
  for (auto _ : state) {
    vectorpin_pin* p = nullptr;
    if (vectorpin_signer_pin_f32(w.signer, &p, w.source.data(), w.source.size(), "text-embedding-3-large", 22,
                                 w.vec.data(), w.vec.size(), nullptr, nullptr) != VECTORPIN_OK)
      state.SkipWithError("pin failed");
    vectorpin_pin_free(p);
  }
}
BENCHMARK(pin)->Unit(benchmark::kMicrosecond);

// Ed25519 signing of the same signed bytes, and SHA-256 of the vector's
// bytes and of the source's bytes.
void floor_pin(benchmark::State& state) {
  World& w = world();
  unsigned char sig[64];
  for (auto _ : state) {
    vectorpin::Sha256Digest dv = vectorpin::sha256(w.vec.data(), w.vec.size() * 4);
    vectorpin::Sha256Digest ds = vectorpin::sha256(w.source.data(), w.source.size());
    crypto_sign_detached(sig, nullptr, u8(w.signed_bytes), w.signed_bytes.size(), w.keys.sk);
    benchmark::DoNotOptimize(dv);
    benchmark::DoNotOptimize(ds);
    benchmark::DoNotOptimize(sig);
  }
}
BENCHMARK(floor_pin)->Unit(benchmark::kMicrosecond);

void floor_ed25519_sign(benchmark::State& state) {
  World& w = world();
  unsigned char sig[64];
  for (auto _ : state) {
    crypto_sign_detached(sig, nullptr, u8(w.signed_bytes), w.signed_bytes.size(), w.keys.sk);
    benchmark::DoNotOptimize(sig);
  }
}
BENCHMARK(floor_ed25519_sign)->Unit(benchmark::kMicrosecond);

// ---- verify -------------------------------------------------------------------

void verify_full(benchmark::State& state) {
  World& w = world();
  for (auto _ : state) {
    if (vectorpin_verify_f32(w.verifier, w.pin, w.source.data(), w.source.size(), w.vec.data(), w.vec.size(),
                             nullptr, nullptr) != VECTORPIN_OK)
      state.SkipWithError("verify failed");
  }
}
BENCHMARK(verify_full)->Unit(benchmark::kMicrosecond);

void floor_verify_full(benchmark::State& state) {
  World& w = world();
  for (auto _ : state) {
    int bad = crypto_sign_verify_detached(w.sig, u8(w.signed_bytes), w.signed_bytes.size(), w.keys.pk);
    vectorpin::Sha256Digest dv = vectorpin::sha256(w.vec.data(), w.vec.size() * 4);
    vectorpin::Sha256Digest ds = vectorpin::sha256(w.source.data(), w.source.size());
    if (bad) state.SkipWithError("floor verify failed");
    benchmark::DoNotOptimize(dv);
    benchmark::DoNotOptimize(ds);
  }
}
BENCHMARK(floor_verify_full)->Unit(benchmark::kMicrosecond);

void verify_signature_only(benchmark::State& state) {
  World& w = world();
  for (auto _ : state) {
    if (vectorpin_verify_f32(w.verifier, w.pin, nullptr, 0, nullptr, 0, nullptr, nullptr) != VECTORPIN_OK)
      state.SkipWithError("verify failed");
  }
}
BENCHMARK(verify_signature_only)->Unit(benchmark::kMicrosecond);

void floor_ed25519_verify(benchmark::State& state) {
  World& w = world();
  for (auto _ : state) {
    if (crypto_sign_verify_detached(w.sig, u8(w.signed_bytes), w.signed_bytes.size(), w.keys.pk) != 0)
      state.SkipWithError("floor verify failed");
  }
}
BENCHMARK(floor_ed25519_verify)->Unit(benchmark::kMicrosecond);

// The engine alone on the same bytes as floor_ed25519_verify: with the
// key prepared (what a registry does after a key's first use), without a
// table (keys beyond the table budget), and the BMI2 build.
namespace ed = vectorpin::ed25519;

void ed25519_verify_prepared(benchmark::State& state) {
  World& w = world();
  static const auto key = ed::prepare_key(w.keys.pk);
  for (auto _ : state) {
    if (!ed::verify_prepared(*key, w.sig, u8(w.signed_bytes), w.signed_bytes.size()))
      state.SkipWithError("engine verify failed");
  }
}
BENCHMARK(ed25519_verify_prepared)->Unit(benchmark::kMicrosecond);

void ed25519_verify_prepared_bmi2(benchmark::State& state) {
  World& w = world();
  static const auto key = ed::prepare_key(w.keys.pk);
  if (!ed::force_impl(ed::Impl::Bmi2)) {
    state.SkipWithError("no BMI2 build or CPU support");
    return;
  }
  for (auto _ : state) {
    if (!ed::verify_prepared(*key, w.sig, u8(w.signed_bytes), w.signed_bytes.size()))
      state.SkipWithError("engine verify failed");
  }
  ed::force_impl(ed::Impl::Auto);
}
BENCHMARK(ed25519_verify_prepared_bmi2)->Unit(benchmark::kMicrosecond);

void ed25519_verify_unprepared(benchmark::State& state) {
  World& w = world();
  for (auto _ : state) {
    if (!ed::verify_unprepared(w.keys.pk, w.sig, u8(w.signed_bytes), w.signed_bytes.size()))
      state.SkipWithError("engine verify failed");
  }
}
BENCHMARK(ed25519_verify_unprepared)->Unit(benchmark::kMicrosecond);

// Decoding a key and building its table: paid once per key.
void ed25519_prepare_key(benchmark::State& state) {
  World& w = world();
  for (auto _ : state) {
    auto key = ed::prepare_key(w.keys.pk);
    benchmark::DoNotOptimize(key.get());
  }
}
BENCHMARK(ed25519_prepare_key)->Unit(benchmark::kMicrosecond);

// From pin JSON: parse, then the full verification.
void verify_json_full(benchmark::State& state) {
  World& w = world();
  for (auto _ : state) {
    if (vectorpin_verify_json_f32(w.verifier, w.pin_json.data(), w.pin_json.size(), w.source.data(),
                                  w.source.size(), w.vec.data(), w.vec.size(), nullptr, nullptr) != VECTORPIN_OK)
      state.SkipWithError("verify failed");
  }
}
BENCHMARK(verify_json_full)->Unit(benchmark::kMicrosecond);

// ---- parse --------------------------------------------------------------------

void pin_parse(benchmark::State& state) {
  World& w = world();
  for (auto _ : state) {
    vectorpin_pin* p = nullptr;
    if (vectorpin_pin_parse(&p, w.pin_json.data(), w.pin_json.size(), nullptr) != VECTORPIN_OK)
      state.SkipWithError("parse failed");
    vectorpin_pin_free(p);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * w.pin_json.size()));
}
BENCHMARK(pin_parse)->Unit(benchmark::kMicrosecond);

// ---- batch audit ----------------------------------------------------------------

// On a shared machine two threads do not always get two cores. Process CPU
// time over wall-clock time says how many they did get, so a speed-up
// below two can be told apart from a scaling problem of the library.
class CpusUsed {
 public:
  CpusUsed() : wall_(std::chrono::steady_clock::now()), cpu_(process_cpu_seconds()) {}
  // Also items per process CPU-second: the work a core-second buys,
  // whatever share of the machine the run got.
  void report(benchmark::State& state, double items = 0) const {
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_).count();
    const double cpu = process_cpu_seconds() - cpu_;
    if (wall > 0) state.counters["cpus_used"] = cpu / wall;
    if (cpu > 0 && items > 0) state.counters["items_per_cpu_second"] = items / cpu;
  }

 private:
  static double process_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  std::chrono::steady_clock::time_point wall_;
  double cpu_;
};

// kBatchItems copies of the world's pin, vector and source as batch items.
std::vector<vectorpin_batch_item> batch_items(const World& w) {
  std::vector<vectorpin_batch_item> items(kBatchItems, vectorpin_batch_item VECTORPIN_BATCH_ITEM_INIT);
  for (auto& it : items) {
    it.pin_json = w.pin_json.data();
    it.pin_json_len = w.pin_json.size();
    it.source = w.source.data();
    it.source_len = w.source.size();
    it.vector = w.vec.data();
    it.dim = w.vec.size();
    it.vector_dtype = VECTORPIN_DTYPE_F32;
  }
  return items;
}

// kBatchItems full verifications from pin JSON per iteration; wall-clock
// time, since the point is what extra threads buy.
void batch_audit(benchmark::State& state) {
  World& w = world();
  // Arg 1: 0 = this library's engine, 1 = libsodium's verify.
  ed::force_engine(state.range(1) == 1 ? ed::Engine::Libsodium : ed::Engine::Own);
  const std::vector<vectorpin_batch_item> items = batch_items(w);
  std::vector<vectorpin_error> results(kBatchItems);
  const auto threads = static_cast<uint32_t>(state.range(0));
  CpusUsed cpus;
  for (auto _ : state) {
    if (vectorpin_verify_batch(w.verifier, results.data(), items.data(), items.size(), threads, nullptr) !=
            VECTORPIN_OK ||
        results[kBatchItems - 1].code != VECTORPIN_OK)
      state.SkipWithError("batch failed");
  }
  cpus.report(state, static_cast<double>(state.iterations() * kBatchItems));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatchItems));
  ed::force_engine(ed::Engine::Own);
}
BENCHMARK(batch_audit)
    ->ArgNames({"threads", "libsodium"})
    ->Args({1, 0})
    ->Args({2, 0})
    ->Args({1, 1})
    ->Args({2, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The same batch on one thread with the engine's portable build forced:
// against batch_audit/threads:1, what the default variant (the IFMA build
// where the CPU has AVX-512 IFMA) buys.
void batch_audit_portable(benchmark::State& state) {
  if (!ed::force_impl(ed::Impl::Portable)) {
    state.SkipWithError("cannot force the portable build");
    return;
  }
  World& w = world();
  const std::vector<vectorpin_batch_item> items = batch_items(w);
  std::vector<vectorpin_error> results(kBatchItems);
  CpusUsed cpus;
  for (auto _ : state) {
    if (vectorpin_verify_batch(w.verifier, results.data(), items.data(), items.size(), 1, nullptr) != VECTORPIN_OK ||
        results[kBatchItems - 1].code != VECTORPIN_OK)
      state.SkipWithError("batch failed");
  }
  cpus.report(state, static_cast<double>(state.iterations() * kBatchItems));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatchItems));
  ed::force_impl(ed::Impl::Auto);
}
BENCHMARK(batch_audit_portable)->ArgName("threads")->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);

// The streaming form: a window of 32 items in flight.
void batch_stream(benchmark::State& state) {
  World& w = world();
  vectorpin_batch* b = nullptr;
  if (vectorpin_batch_new(&b, w.verifier, static_cast<uint32_t>(state.range(0)), nullptr) != VECTORPIN_OK)
    bench::die("batch_new");
  uint64_t submitted = 0;
  CpusUsed cpus;
  for (auto _ : state) {
    for (size_t i = 0; i < kBatchItems; ++i) {
      while (vectorpin_batch_pending(b) >= 32) {
        vectorpin_error r;
        if (vectorpin_batch_next_result(b, nullptr, &r, 1, nullptr) != VECTORPIN_OK || r.code != VECTORPIN_OK)
          state.SkipWithError("stream failed");
      }
      if (vectorpin_batch_submit_f32(b, submitted++, w.pin_json.data(), w.pin_json.size(), w.source.data(),
                                     w.source.size(), w.vec.data(), w.vec.size(), nullptr, nullptr) != VECTORPIN_OK)
        state.SkipWithError("submit failed");
    }
    vectorpin_error r;
    while (vectorpin_batch_next_result(b, nullptr, &r, 1, nullptr) == VECTORPIN_OK) {
    }
  }
  cpus.report(state, static_cast<double>(state.iterations() * kBatchItems));
  vectorpin_batch_free(b);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatchItems));
}
BENCHMARK(batch_stream)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) bench::die("sodium_init");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  bench::record_sha256_choice();
  world();
  benchmark::AddCustomContext("pin_json_bytes", std::to_string(world().pin_json.size()));
  benchmark::AddCustomContext("signed_bytes", std::to_string(world().signed_bytes.size()));
  benchmark::AddCustomContext("ed25519_variant", ed::impl_name(ed::active_impl()));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
