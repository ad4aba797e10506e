// Ed25519 signature verification, written for this project: public data
// only (variable time), answers identical to libsodium 1.0.18's
// crypto_sign_verify_detached on every input. Signing and key generation
// stay on libsodium. The acceptance rules and the reason for each are in
// docs/SECURITY.md; memory and threading in docs/API.md and THREADING.md.
//
// Engine choice, read once per process from the environment:
//  - VECTORPIN_ED25519=libsodium runs every verification on libsodium
//    instead (for comparisons); anything else, or unset, uses this engine.
//  - VECTORPIN_ED25519_IMPL=bmi2 runs the engine's BMI2/ADX build where the
//    CPU has those instructions, =split the build whose field products use
//    64-bit multiplies only; anything else, or unset, the default: the
//    split build on WebAssembly (no 64x64->128 multiply there), the
//    portable build elsewhere (the BMI2 build measured no faster, so it is
//    opt-in).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "ed25519/types.hpp"

namespace vectorpin {
namespace ed25519 {

// Multiples of one point for fixed-base multiplication in signed radix 32,
// two digits per row: entry[k][j] = (j + 1) * 1024^k * P, in affine form.
// 26 rows cover scalars below 2^260; verification's are below 2^253.
constexpr int kCombRows = 26;
constexpr int kCombCols = 16;
struct CombTable {
  Affine entry[kCombRows][kCombCols];
};

// A public key decoded and checked once, with the table for -A. Immutable
// once built, so any number of threads may verify with it at once.
// sizeof(PreparedKey) is 50,120 bytes on x86-64 (docs/API.md).
struct PreparedKey {
  uint8_t encoded[32];
  // False when libsodium refuses the key whatever the signature: not a
  // canonical encoding, on the small-order blocklist, or not a point.
  bool acceptable = false;
  Point neg_a;
  CombTable table;
};

// libsodium 1.0.18's checks, on bytes, exactly as it applies them.
bool scalar_is_canonical(const uint8_t s[32]);        // s < L
bool on_small_order_blocklist(const uint8_t p[32]);   // its 7 encodings, top bit ignored
bool point_encoding_is_canonical(const uint8_t p[32]);  // y < p (top bit ignored)

// Decodes and checks the key and builds its table (about 0.1 ms).
// Throws std::bad_alloc.
std::unique_ptr<PreparedKey> prepare_key(const uint8_t pk[32]);

// The engine's verification with a prepared key, and without one (no
// table: about as fast as libsodium, used for keys without a table).
bool verify_prepared(const PreparedKey& key, const uint8_t sig[64], const uint8_t* m, size_t mlen);
bool verify_unprepared(const uint8_t pk[32], const uint8_t sig[64], const uint8_t* m, size_t mlen);

// libsodium's crypto_sign_verify_detached, for comparison.
bool verify_libsodium(const uint8_t pk[32], const uint8_t sig[64], const uint8_t* m, size_t mlen);

// --- engine and variant selection -------------------------------------------

enum class Engine { Own, Libsodium };
// The engine in use: the start-up choice from VECTORPIN_ED25519 (read
// once), unless force_engine changed it.
Engine active_engine();
// For benchmarks that compare the engines in one process: every later
// verification uses `e`. Not for use while verifications are running
// elsewhere and expecting the other engine.
void force_engine(Engine e);
const char* engine_name(Engine e);

enum class Impl { Auto, Portable, Bmi2, Split };
// True if this build has the variant and the CPU can run it.
bool impl_supported(Impl impl);
// Forces later verifications onto one variant (Auto: back to the start-up
// choice). For tests and benchmarks; false, with nothing changed, if the
// variant cannot run here.
bool force_impl(Impl impl);
Impl active_impl();
const char* impl_name(Impl impl);

}  // namespace ed25519
}  // namespace vectorpin
