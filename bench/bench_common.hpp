// Inputs shared by the benchmark programs: the test key, a source text and
// an embedding-sized vector, and a pin over them.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <sodium.h>

#include "sha256.hpp"
#include "vectorpin.h"

namespace bench {

inline void die(const char* what) {
  std::fprintf(stderr, "benchmark setup failed: %s\n", what);
  std::exit(2);
}

// English-like ASCII text of `n` characters: words of varying length.
inline std::string ascii_text(size_t n) {
  static const char* const kWords[] = {"vector", "pin", "the", "embedding", "of", "a", "document", "signed",
                                       "model", "and", "its", "source", "text", "verified", "later"};
  std::string s;
  std::mt19937 rng(1);
  while (s.size() < n) {
    s += kWords[rng() % (sizeof kWords / sizeof kWords[0])];
    s += ' ';
  }
  s.resize(n);
  return s;
}

// Values shaped like a normalized embedding.
inline std::vector<float> embedding(size_t dim) {
  std::mt19937 rng(2);
  std::normal_distribution<float> d(0.0f, 0.02f);
  std::vector<float> v(dim);
  for (auto& x : v) x = d(rng);
  return v;
}

inline const char* kKid = "bench-key";

struct Keys {
  unsigned char pk[32];
  unsigned char sk[64];
  Keys() {
    if (sodium_init() < 0) die("sodium_init");
    unsigned char seed[32];
    for (int i = 0; i < 32; ++i) seed[i] = static_cast<unsigned char>(i);
    crypto_sign_seed_keypair(pk, sk, seed);
  }
};

// Uses the fastest SHA-256 the machine has for the floors, and says which.
inline void record_sha256_choice() {
  using vectorpin::Sha256Impl;
  Sha256Impl active = vectorpin::sha256_active_implementation();
  benchmark::AddCustomContext("sha256_implementation", vectorpin::sha256_implementation_name(active));
  benchmark::AddCustomContext("sha256_shani_supported", vectorpin::sha256_shani_supported() ? "yes" : "no");
}

}  // namespace bench
