// The engine's front: libsodium's acceptance rules on bytes, key
// preparation, and the choice of variant and engine.
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

#include <sodium.h>

#include "ed25519/ed25519.hpp"
#include "ed25519/variant.hpp"

namespace vectorpin {
namespace ed25519 {

namespace {

// The group order L = 2^252 + 27742317777372353535851937790883648493,
// little-endian.
constexpr uint8_t kOrderL[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                 0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};

// The y-coordinates libsodium 1.0.18 refuses for A and R, whatever the
// sign bit: 0 and 1, the two y's of the points of order 8, p - 1, and the
// non-canonical spellings p and p + 1 of 0 and 1. It is a list of byte
// strings, not a test of the decoded point's order: the order-4 point
// written with the sign bit set, for instance, is refused because the
// sign bit is not compared.
constexpr uint8_t kSmallOrderY[7][32] = {
    {0x00},
    {0x01},
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
     0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
     0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
};

// The base point's encoding (y = 4/5, x even).
constexpr uint8_t kBaseEncoding[32] = {0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                                       0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                                       0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66};

// --- variant choice -----------------------------------------------------------

// The default variant. WebAssembly (wasm32) has no 64x64->128 multiply, so
// there the portable build's products are calls to compiler-rt's __multi3
// and the split build is several times faster. On a CPU with AVX-512 IFMA
// the IFMA build, whose batches compute eight points at once; elsewhere
// the portable build, as the BMI2 build measured no faster
// (docs/BENCHMARKS.md).
const VariantOps& default_variant() {
#if defined(__wasm__)
  return kSplitOps;
#else
  if (kIfmaOps != nullptr && ifma_cpu_supported()) return *kIfmaOps;
  return kPortableOps;
#endif
}

// The default unless VECTORPIN_ED25519_IMPL asks for another variant this
// build has and the CPU can run.
const VariantOps* startup_variant() {
  static const VariantOps* const chosen = [] {
    const char* env = std::getenv("VECTORPIN_ED25519_IMPL");
    if (env != nullptr && std::strcmp(env, "bmi2") == 0 && kBmi2Ops != nullptr && bmi2_cpu_supported())
      return kBmi2Ops;
    if (env != nullptr && std::strcmp(env, "ifma") == 0 && kIfmaOps != nullptr && ifma_cpu_supported())
      return kIfmaOps;
    if (env != nullptr && std::strcmp(env, "split") == 0) return &kSplitOps;
    if (env != nullptr && std::strcmp(env, "portable") == 0) return &kPortableOps;
    return &default_variant();
  }();
  return chosen;
}

std::atomic<const VariantOps*> g_forced{nullptr};

const VariantOps& ops() {
  const VariantOps* forced = g_forced.load(std::memory_order_acquire);
  return forced != nullptr ? *forced : *startup_variant();
}

// B's table, built once (under 1 ms) by whichever thread needs it first.
const CombTable& base_table() {
  static const CombTable* const table = [] {
    auto* t = new CombTable;  // lives as long as the process
    // Every variant builds the same values in the same limb bounds, so
    // the start-up variant's (the fastest here) serves all.
    const VariantOps& v = *startup_variant();
    Point b;
    v.decode(b, kBaseEncoding);
    v.build_comb(*t, b);
    return t;
  }();
  return *table;
}

// k = SHA-512(R || A || M) mod L, as libsodium computes it.
void challenge(uint8_t k[32], const uint8_t r[32], const uint8_t a[32], const uint8_t* m, size_t mlen) {
  crypto_hash_sha512_state st;
  uint8_t digest[64];
  crypto_hash_sha512_init(&st);
  crypto_hash_sha512_update(&st, r, 32);
  crypto_hash_sha512_update(&st, a, 32);
  crypto_hash_sha512_update(&st, m, mlen);
  crypto_hash_sha512_final(&st, digest);
  crypto_core_ed25519_scalar_reduce(k, digest);
}

// The checks libsodium makes on the key before any arithmetic; on success
// `neg_a` holds -A.
bool accept_key(Point& neg_a, const uint8_t pk[32]) {
  if (!point_encoding_is_canonical(pk) || on_small_order_blocklist(pk)) return false;
  return ops().decode_negated(neg_a, pk);
}

}  // namespace

bool scalar_is_canonical(const uint8_t s[32]) {
  for (int i = 31; i >= 0; --i) {
    if (s[i] < kOrderL[i]) return true;
    if (s[i] > kOrderL[i]) return false;
  }
  return false;  // s == L
}

bool on_small_order_blocklist(const uint8_t p[32]) {
  for (const auto& y : kSmallOrderY) {
    if (std::memcmp(p, y, 31) == 0 && (p[31] & 0x7f) == y[31]) return true;
  }
  return false;
}

bool point_encoding_is_canonical(const uint8_t p[32]) {
  if ((p[31] & 0x7f) != 0x7f) return true;
  for (int i = 30; i >= 1; --i)
    if (p[i] != 0xff) return true;
  return p[0] < 0xed;
}

std::unique_ptr<PreparedKey> prepare_key(const uint8_t pk[32]) {
  auto key = std::make_unique<PreparedKey>();
  std::memcpy(key->encoded, pk, 32);
  key->acceptable = accept_key(key->neg_a, pk);
  if (key->acceptable) ops().build_comb(key->table, key->neg_a);
  return key;
}

// libsodium checks S, then R, then A, then computes; for a yes-or-no
// answer the order of the checks does not matter.
bool begin_prepared(const PreparedKey& key, const uint8_t sig[64], const uint8_t* m, size_t mlen,
                    PendingCheck& check) {
  if (!key.acceptable || !scalar_is_canonical(sig + 32) || on_small_order_blocklist(sig)) return false;
  check.neg_a = &key.table;
  challenge(check.h, sig, key.encoded, m, mlen);
  std::memcpy(check.s, sig + 32, 32);
  std::memcpy(check.r, sig, 32);
  return true;
}

void finish_prepared(const PendingCheck* checks, size_t n, bool* accepted) {
  const VariantOps& v = ops();
  while (n > 0) {
    const size_t now = n < kMaxEncodeBatch ? n : kMaxEncodeBatch;
    Projective points[kMaxEncodeBatch];
    v.comb_points(points, checks, base_table(), now);
    uint8_t enc[kMaxEncodeBatch][32];
    v.encode_many(enc, points, now);
    for (size_t i = 0; i < now; ++i) accepted[i] = std::memcmp(enc[i], checks[i].r, 32) == 0;
    checks += now;
    accepted += now;
    n -= now;
  }
}

// A batch of one: single and batch verification share every step.
bool verify_prepared(const PreparedKey& key, const uint8_t sig[64], const uint8_t* m, size_t mlen) {
  PendingCheck check;
  if (!begin_prepared(key, sig, m, mlen, check)) return false;
  bool accepted = false;
  finish_prepared(&check, 1, &accepted);
  return accepted;
}

bool verify_unprepared(const uint8_t pk[32], const uint8_t sig[64], const uint8_t* m, size_t mlen) {
  if (!scalar_is_canonical(sig + 32) || on_small_order_blocklist(sig)) return false;
  Point neg_a;
  if (!accept_key(neg_a, pk)) return false;
  uint8_t k[32];
  challenge(k, sig, pk, m, mlen);
  return ops().check_ladder(neg_a, base_table(), k, sig + 32, sig);
}

bool verify_libsodium(const uint8_t pk[32], const uint8_t sig[64], const uint8_t* m, size_t mlen) {
  return crypto_sign_verify_detached(sig, m, mlen, pk) == 0;
}

namespace {
std::atomic<int> g_forced_engine{-1};
}

Engine active_engine() {
  static const Engine chosen = [] {
    const char* env = std::getenv("VECTORPIN_ED25519");
    return env != nullptr && std::strcmp(env, "libsodium") == 0 ? Engine::Libsodium : Engine::Own;
  }();
  const int forced = g_forced_engine.load(std::memory_order_relaxed);
  return forced < 0 ? chosen : static_cast<Engine>(forced);
}

void force_engine(Engine e) { g_forced_engine.store(static_cast<int>(e), std::memory_order_relaxed); }

const char* engine_name(Engine e) { return e == Engine::Libsodium ? "libsodium" : "vectorpin"; }

bool impl_supported(Impl impl) {
  switch (impl) {
    case Impl::Auto:
    case Impl::Portable:
    case Impl::Split: return true;
    case Impl::Bmi2: return kBmi2Ops != nullptr && bmi2_cpu_supported();
    case Impl::Ifma: return kIfmaOps != nullptr && ifma_cpu_supported();
  }
  return false;
}

bool force_impl(Impl impl) {
  switch (impl) {
    case Impl::Auto: g_forced.store(nullptr, std::memory_order_release); return true;
    case Impl::Portable: g_forced.store(&kPortableOps, std::memory_order_release); return true;
    case Impl::Split: g_forced.store(&kSplitOps, std::memory_order_release); return true;
    case Impl::Bmi2:
      if (!impl_supported(Impl::Bmi2)) return false;
      g_forced.store(kBmi2Ops, std::memory_order_release);
      return true;
    case Impl::Ifma:
      if (!impl_supported(Impl::Ifma)) return false;
      g_forced.store(kIfmaOps, std::memory_order_release);
      return true;
  }
  return false;
}

Impl active_impl() { return ops().id; }

const char* impl_name(Impl impl) {
  switch (impl) {
    case Impl::Auto: return "auto";
    case Impl::Portable: return "portable";
    case Impl::Bmi2: return "bmi2";
    case Impl::Split: return "split";
    case Impl::Ifma: return "ifma";
  }
  return "unknown";
}

}  // namespace ed25519
}  // namespace vectorpin
