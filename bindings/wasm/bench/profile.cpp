// Where the time of one wasm verify_full goes: the parts of a verification
// timed one by one inside the WebAssembly build, with no JavaScript between
// them. Built by scripts/build-wasm.sh --profile (it needs the core's
// internal headers, so it is not part of the package) and run as
//   node DIR/profile/vectorpin-profile.js [--rounds N]
// Each line: median and minimum microseconds of CPU time per call over N
// rounds of at least 100 ms each (CPU time of the process, as the package's
// benchmark measures: on a shared machine wall-clock time mostly measures
// the other jobs).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <emscripten.h>

#include "ed25519/ed25519.hpp"
#include "sha256.hpp"
#include "vectorpin.h"

namespace {

// Node's process.cpuUsage(), in microseconds.
EM_JS(double, cpu_us, (), {
  const u = process.cpuUsage();
  return u.user + u.system;
});

int g_rounds = 9;

template <typename F>
void measure(const char* name, F&& fn) {
  for (int i = 0; i < 20; ++i) fn();  // warm-up
  long batch = 1;
  for (;;) {
    const double t0 = cpu_us();
    for (long i = 0; i < batch; ++i) fn();
    if (cpu_us() - t0 >= 25000.0) break;
    batch *= 2;
  }
  std::vector<double> per;
  for (int r = 0; r < g_rounds; ++r) {
    long n = 0;
    const double t0 = cpu_us();
    double spent = 0;
    do {
      for (long i = 0; i < batch; ++i) fn();
      n += batch;
      spent = cpu_us() - t0;
    } while (spent < 100000.0);
    per.push_back(spent / static_cast<double>(n));
  }
  std::sort(per.begin(), per.end());
  std::printf("| %-52s | %9.2f | %9.2f |\n", name, per[per.size() / 2], per[0]);
}

void must(vectorpin_status st, const vectorpin_error& err, const char* what) {
  if (st != VECTORPIN_OK) {
    std::fprintf(stderr, "%s failed: %d %s\n", what, static_cast<int>(st), err.message);
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--rounds") == 0) g_rounds = std::max(1, std::atoi(argv[i + 1]));

  // The inputs of bindings/wasm/bench/verify.bench.mjs.
  constexpr size_t kDim = 3072;
  std::vector<float> vec(kDim);
  for (size_t i = 0; i < kDim; ++i) vec[i] = static_cast<float>(std::sin(static_cast<double>(i) * 0.37) * 0.05);
  std::string source;
  while (source.size() < 1024) source += "The quick brown fox jumps over the lazy dog. ";
  source.resize(1024);
  uint8_t seed[32];
  for (int i = 0; i < 32; ++i) seed[i] = static_cast<uint8_t>(i);
  const std::string kid = "bench-2026-05", model = "text-embedding-3-large";

  vectorpin_error err{};
  vectorpin_signer* signer = nullptr;
  must(vectorpin_signer_from_seed(&signer, kid.data(), kid.size(), seed, 32, &err), err, "signer");
  vectorpin_pin* pin = nullptr;
  must(vectorpin_signer_pin_f32(signer, &pin, source.data(), source.size(), model.data(), model.size(), vec.data(),
                                kDim, nullptr, &err),
       err, "pin");
  char* json = nullptr;
  size_t json_len = 0;
  must(vectorpin_pin_to_json(pin, &json, &json_len, &err), err, "to_json");
  uint8_t* msg = nullptr;
  size_t msg_len = 0;
  must(vectorpin_pin_signed_bytes(pin, &msg, &msg_len, &err), err, "signed bytes");
  uint8_t pk[32], sig[64];
  must(vectorpin_signer_public_key(signer, pk, 32, &err), err, "public key");
  must(vectorpin_pin_signature(pin, sig, 64, &err), err, "signature");
  vectorpin_verifier* verifier = nullptr;
  must(vectorpin_verifier_new(&verifier, &err), err, "verifier");
  must(vectorpin_verifier_add_key(verifier, kid.data(), kid.size(), pk, 32, nullptr, 0, nullptr, 0, &err), err,
       "add_key");
  const auto prepared = vectorpin::ed25519::prepare_key(pk);

  std::printf("%zu-byte pin, %zu signed bytes, %zu-dimension f32 vector, %zu-byte source; %d rounds\n\n", json_len,
              msg_len, kDim, source.size(), g_rounds);
  std::printf("| %-52s | %9s | %9s |\n", "part (µs per call)", "median", "min");
  std::printf("|%s|%s|%s|\n", std::string(54, '-').c_str(), std::string(10, '-').append(":").c_str(),
              std::string(10, '-').append(":").c_str());

  volatile int sink = 0;
  char out[80];
  measure("verify_full (vectorpin_verify_f32, parsed pin)", [&] {
    sink = vectorpin_verify_f32(verifier, pin, source.data(), source.size(), vec.data(), kDim, nullptr, &err);
  });
  measure("hash_vector: 3072 f32 (vectorpin_hash_vector_f32)", [&] {
    sink = vectorpin_hash_vector_f32(out, sizeof out, vec.data(), kDim, VECTORPIN_DTYPE_F32, &err);
  });
  measure("hash_text: 1 KB source (vectorpin_hash_text)", [&] {
    sink = vectorpin_hash_text(out, sizeof out, source.data(), source.size(), &err);
  });
  measure("raw SHA-256 of 12 KB (the vector's bytes)", [&] {
    sink = vectorpin::sha256(vec.data(), kDim * sizeof(float))[0];
  });
  measure("pin JSON parse (vectorpin_pin_parse)", [&] {
    vectorpin_pin* p = nullptr;
    sink = vectorpin_pin_parse(&p, json, json_len, &err);
    vectorpin_pin_free(p);
  });
  namespace ed = vectorpin::ed25519;
  std::printf("| %-52s | %9s | %9s |\n", (std::string("Ed25519 engine default variant: ") + ed::impl_name(ed::active_impl())).c_str(), "", "");
  for (const ed::Impl impl : {ed::Impl::Split, ed::Impl::Portable}) {
    ed::force_impl(impl);
    const std::string v = std::string(" [") + ed::impl_name(impl) + "]";
    measure(("Ed25519: engine, prepared key (comb tables)" + v).c_str(), [&] {
      sink = ed::verify_prepared(*prepared, sig, msg, msg_len);
    });
    measure(("Ed25519: engine, unprepared key" + v).c_str(), [&] {
      sink = ed::verify_unprepared(pk, sig, msg, msg_len);
    });
  }
  ed::force_impl(ed::Impl::Auto);
  measure("Ed25519: libsodium crypto_sign_verify_detached", [&] {
    sink = vectorpin::ed25519::verify_libsodium(pk, sig, msg, msg_len);
  });
  measure("Ed25519: key preparation (decode + table)", [&] {
    sink = vectorpin::ed25519::prepare_key(pk)->acceptable;
  });
  (void)sink;

  vectorpin_verifier_free(verifier);
  vectorpin_free(msg);
  vectorpin_free(json);
  vectorpin_pin_free(pin);
  vectorpin_signer_free(signer);
  return 0;
}
