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
//    opt-in), except where the CPU has AVX-512 IFMA: there the default is
//    the IFMA build, which computes a batch's points eight at a time in
//    vector lanes (=ifma names it; =portable turns it off).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "ed25519/types.hpp"

namespace vectorpin {
namespace ed25519 {

// Multiples of one point for fixed-base multiplication: a scalar below
// 2^253 is written in kCombDigits signed digits of kCombBits bits, and the
// digits are added in kCombPasses passes, with kCombBits doublings between
// passes. Row k serves digit kCombPasses * k + pass of every pass:
// entry[k][j] = (j + 1) * 2^(kCombBits * kCombPasses * k) * P, in affine
// form. Wider digits mean fewer additions (one per digit) and a larger
// table; more passes, a smaller table and more doublings. 7-bit digits in
// 2 passes: 76 additions and 7 doublings for the two scalars of a
// verification, against 104 and 5 with the 5-bit digits used before (a
// verification 15 % faster, measured), for a table of 145,920 bytes
// instead of 49,920. 8-bit digits measured 7 % faster still, for a table
// of 245,760 bytes and twice the time to prepare a key.
constexpr int kCombBits = 7;
constexpr int kCombDigits = 38;  // 38 * 7 >= 254: the top digit never carries out
constexpr int kCombPasses = 2;
constexpr int kCombRows = kCombDigits / kCombPasses;
constexpr int kCombCols = 1 << (kCombBits - 1);  // digits lie in [-kCombCols, kCombCols)
static_assert(kCombDigits % kCombPasses == 0, "every pass takes one digit from every row");
static_assert(kCombBits * kCombDigits >= 254, "a scalar below 2^253 must recode without a carry out");
static_assert(kCombBits <= 8, "digits are stored as int8_t");
struct CombTable {
  Affine entry[kCombRows][kCombCols];
};

// A public key decoded and checked once, with the table for -A. Immutable
// once built, so any number of threads may verify with it at once.
// sizeof(PreparedKey) is 146,120 bytes on x86-64 (docs/API.md).
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

// Decodes and checks the key and builds its table (about 0.9 ms).
// Throws std::bad_alloc.
std::unique_ptr<PreparedKey> prepare_key(const uint8_t pk[32]);

// The engine's verification with a prepared key, and without one (no
// table: about as fast as libsodium, used for keys without a table).
bool verify_prepared(const PreparedKey& key, const uint8_t sig[64], const uint8_t* m, size_t mlen);
bool verify_unprepared(const uint8_t pk[32], const uint8_t sig[64], const uint8_t* m, size_t mlen);

// verify_prepared's two steps, for a batch: begin_prepared makes
// libsodium's checks on the bytes and computes the challenge (false:
// refused already, nothing left to do); finish_prepared computes each
// check's point h * (-A) + s * B (on the IFMA variant, eight at a time in
// vector lanes), encodes the points with one inversion for every
// kMaxEncodeBatch, and compares each encoding with its R. verify_prepared
// is these two steps on a batch of one.
constexpr size_t kMaxEncodeBatch = 16;
struct PendingCheck {
  const CombTable* neg_a;  // the key's table; it must outlive the check
  uint8_t h[32];           // SHA-512(R || A || M) mod L
  uint8_t s[32];
  uint8_t r[32];
};
bool begin_prepared(const PreparedKey& key, const uint8_t sig[64], const uint8_t* m, size_t mlen,
                    PendingCheck& check);
void finish_prepared(const PendingCheck* checks, size_t n, bool* accepted);

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

enum class Impl { Auto, Portable, Bmi2, Split, Ifma };
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
