// SHA-256 compression with the x86 SHA extensions (SHA-NI).
//
// The instructions are enabled per function with a target attribute rather
// than with -msha for the whole file: a file compiled with -msse4.1 may emit
// SSE4.1 code into inline functions shared with the rest of the library
// (the linker keeps one copy), which would then fault on CPUs without it.
// Here only the functions below use the extensions, and they run only after
// CPUID said the processor has them.
#include "sha256_blocks.hpp"

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define VECTORPIN_HAVE_SHANI 1
#include <cpuid.h>
#include <immintrin.h>
#define VECTORPIN_SHANI_TARGET __attribute__((target("sha,sse4.1,ssse3")))
#elif defined(_M_X64)
#define VECTORPIN_HAVE_SHANI 1
#include <immintrin.h>
#include <intrin.h>
#define VECTORPIN_SHANI_TARGET
#endif

namespace vectorpin {
namespace detail {

#if defined(VECTORPIN_HAVE_SHANI)

namespace {

void cpuid(unsigned leaf, unsigned sub, unsigned r[4]) {
#if defined(_M_X64) && !defined(__GNUC__)
  int regs[4];
  __cpuidex(regs, static_cast<int>(leaf), static_cast<int>(sub));
  for (int i = 0; i < 4; ++i) r[i] = static_cast<unsigned>(regs[i]);
#else
  __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
#endif
}

bool detect() {
  unsigned r[4];
  cpuid(0, 0, r);
  if (r[0] < 7) return false;
  cpuid(1, 0, r);
  const bool ssse3 = (r[2] >> 9) & 1;
  const bool sse41 = (r[2] >> 19) & 1;
  cpuid(7, 0, r);
  const bool sha = (r[1] >> 29) & 1;
  return ssse3 && sse41 && sha;
}

// One group of four rounds. `cur` holds message words 4g..4g+3, `prev` the
// four before, `next` the slot that becomes words 4g+4..4g+7: the schedule
// for later groups is computed here, interleaved with the rounds, while the
// rounds' long dependency chain keeps the other execution ports idle.
#define VECTORPIN_SHANI_GROUP(g, cur, prev, next)                                                     \
  do {                                                                                               \
    __m128i msg = _mm_add_epi32(cur, _mm_loadu_si128(reinterpret_cast<const __m128i*>(kSha256Round + 4 * (g)))); \
    s1 = _mm_sha256rnds2_epu32(s1, s0, msg);                                                         \
    if ((g) >= 3 && (g) <= 14) {                                                                     \
      next = _mm_add_epi32(next, _mm_alignr_epi8(cur, prev, 4));                                     \
      next = _mm_sha256msg2_epu32(next, cur);                                                        \
    }                                                                                                \
    msg = _mm_shuffle_epi32(msg, 0x0E);                                                              \
    s0 = _mm_sha256rnds2_epu32(s0, s1, msg);                                                         \
    if ((g) >= 1 && (g) <= 12) prev = _mm_sha256msg1_epu32(prev, cur);                               \
  } while (0)

// Probe: 0 = none, 1 = binary32 lanes, 2 = binary64 lanes. An element is
// finite iff its exponent is not all ones, i.e. iff (bits & ~sign) is below
// the infinity pattern; adding the distance from that pattern to the sign
// position sets the sign bit exactly for NaN and infinities, so OR-ing the
// sums and looking at the sign bits checks a whole run at once.
template <int Probe>
VECTORPIN_SHANI_TARGET bool compress(uint32_t state[8], const uint8_t* data, size_t blocks) {
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  const __m128i keep = Probe == 2 ? _mm_set1_epi64x(0x7fffffffffffffffLL) : _mm_set1_epi32(0x7fffffff);
  const __m128i bias = Probe == 2 ? _mm_set1_epi64x(0x0010000000000000LL) : _mm_set1_epi32(0x00800000);
  __m128i acc = _mm_setzero_si128();

  // The round instructions want the state as ABEF and CDGH.
  __m128i t = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0xB1);
  __m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), 0x1B);
  __m128i s0 = _mm_alignr_epi8(t, s1, 8);
  s1 = _mm_blend_epi16(s1, t, 0xF0);

  while (blocks--) {
    __m128i m0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data));
    __m128i m1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16));
    __m128i m2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 32));
    __m128i m3 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 48));
    if (Probe == 1) {
      acc = _mm_or_si128(acc, _mm_add_epi32(_mm_and_si128(m0, keep), bias));
      acc = _mm_or_si128(acc, _mm_add_epi32(_mm_and_si128(m1, keep), bias));
      acc = _mm_or_si128(acc, _mm_add_epi32(_mm_and_si128(m2, keep), bias));
      acc = _mm_or_si128(acc, _mm_add_epi32(_mm_and_si128(m3, keep), bias));
    } else if (Probe == 2) {
      acc = _mm_or_si128(acc, _mm_add_epi64(_mm_and_si128(m0, keep), bias));
      acc = _mm_or_si128(acc, _mm_add_epi64(_mm_and_si128(m1, keep), bias));
      acc = _mm_or_si128(acc, _mm_add_epi64(_mm_and_si128(m2, keep), bias));
      acc = _mm_or_si128(acc, _mm_add_epi64(_mm_and_si128(m3, keep), bias));
    }
    m0 = _mm_shuffle_epi8(m0, bswap);
    m1 = _mm_shuffle_epi8(m1, bswap);
    m2 = _mm_shuffle_epi8(m2, bswap);
    m3 = _mm_shuffle_epi8(m3, bswap);
    const __m128i save0 = s0;
    const __m128i save1 = s1;

    VECTORPIN_SHANI_GROUP(0, m0, m3, m1);
    VECTORPIN_SHANI_GROUP(1, m1, m0, m2);
    VECTORPIN_SHANI_GROUP(2, m2, m1, m3);
    VECTORPIN_SHANI_GROUP(3, m3, m2, m0);
    VECTORPIN_SHANI_GROUP(4, m0, m3, m1);
    VECTORPIN_SHANI_GROUP(5, m1, m0, m2);
    VECTORPIN_SHANI_GROUP(6, m2, m1, m3);
    VECTORPIN_SHANI_GROUP(7, m3, m2, m0);
    VECTORPIN_SHANI_GROUP(8, m0, m3, m1);
    VECTORPIN_SHANI_GROUP(9, m1, m0, m2);
    VECTORPIN_SHANI_GROUP(10, m2, m1, m3);
    VECTORPIN_SHANI_GROUP(11, m3, m2, m0);
    VECTORPIN_SHANI_GROUP(12, m0, m3, m1);
    VECTORPIN_SHANI_GROUP(13, m1, m0, m2);
    VECTORPIN_SHANI_GROUP(14, m2, m1, m3);
    VECTORPIN_SHANI_GROUP(15, m3, m2, m0);

    s0 = _mm_add_epi32(s0, save0);
    s1 = _mm_add_epi32(s1, save1);
    data += 64;
  }

  // Back from ABEF / CDGH to A..H.
  t = _mm_shuffle_epi32(s0, 0x1B);
  s1 = _mm_shuffle_epi32(s1, 0xB1);
  s0 = _mm_blend_epi16(t, s1, 0xF0);
  s1 = _mm_alignr_epi8(s1, t, 8);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), s0);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), s1);

  if (Probe == 1) return _mm_movemask_ps(_mm_castsi128_ps(acc)) == 0;
  if (Probe == 2) return _mm_movemask_pd(_mm_castsi128_pd(acc)) == 0;
  return true;
}

// Two independent messages, round for round: each SHA256RNDS2 waits on
// the one before it in its own message, so a second message's rounds fill
// the gaps in the pipeline and two hashes cost far less than twice one.
#define VECTORPIN_SHANI_GROUP2(g, ca, pa, na, cb, pb, nb)                                             \
  do {                                                                                               \
    const __m128i k = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kSha256Round + 4 * (g)));     \
    __m128i msga = _mm_add_epi32(ca, k);                                                             \
    __m128i msgb = _mm_add_epi32(cb, k);                                                             \
    a1 = _mm_sha256rnds2_epu32(a1, a0, msga);                                                        \
    b1 = _mm_sha256rnds2_epu32(b1, b0, msgb);                                                        \
    if ((g) >= 3 && (g) <= 14) {                                                                     \
      na = _mm_add_epi32(na, _mm_alignr_epi8(ca, pa, 4));                                            \
      nb = _mm_add_epi32(nb, _mm_alignr_epi8(cb, pb, 4));                                            \
      na = _mm_sha256msg2_epu32(na, ca);                                                             \
      nb = _mm_sha256msg2_epu32(nb, cb);                                                             \
    }                                                                                                \
    msga = _mm_shuffle_epi32(msga, 0x0E);                                                            \
    msgb = _mm_shuffle_epi32(msgb, 0x0E);                                                            \
    a0 = _mm_sha256rnds2_epu32(a0, a1, msga);                                                        \
    b0 = _mm_sha256rnds2_epu32(b0, b1, msgb);                                                        \
    if ((g) >= 1 && (g) <= 12) {                                                                     \
      pa = _mm_sha256msg1_epu32(pa, ca);                                                             \
      pb = _mm_sha256msg1_epu32(pb, cb);                                                             \
    }                                                                                                \
  } while (0)

// State A..H to the ABEF / CDGH pair the round instructions use, and back.
VECTORPIN_SHANI_TARGET inline void load_state(const uint32_t state[8], __m128i& s0, __m128i& s1) {
  const __m128i t = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0xB1);
  s1 = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), 0x1B);
  s0 = _mm_alignr_epi8(t, s1, 8);
  s1 = _mm_blend_epi16(s1, t, 0xF0);
}

VECTORPIN_SHANI_TARGET inline void store_state(uint32_t state[8], __m128i s0, __m128i s1) {
  const __m128i t = _mm_shuffle_epi32(s0, 0x1B);
  s1 = _mm_shuffle_epi32(s1, 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(t, s1, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(s1, t, 8));
}

// Probe as in compress; the two finiteness answers go to finite[0] and [1].
template <int Probe>
VECTORPIN_SHANI_TARGET void compress2(uint32_t state_a[8], const uint8_t* da, uint32_t state_b[8], const uint8_t* db,
                                      size_t blocks, bool finite[2]) {
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  const __m128i keep = Probe == 2 ? _mm_set1_epi64x(0x7fffffffffffffffLL) : _mm_set1_epi32(0x7fffffff);
  const __m128i bias = Probe == 2 ? _mm_set1_epi64x(0x0010000000000000LL) : _mm_set1_epi32(0x00800000);
  __m128i acc_a = _mm_setzero_si128(), acc_b = _mm_setzero_si128();
  __m128i a0, a1, b0, b1;
  load_state(state_a, a0, a1);
  load_state(state_b, b0, b1);

  while (blocks--) {
    __m128i ma[4], mb[4];
    for (int i = 0; i < 4; ++i) {
      ma[i] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(da + 16 * i));
      mb[i] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(db + 16 * i));
      if (Probe == 1) {
        acc_a = _mm_or_si128(acc_a, _mm_add_epi32(_mm_and_si128(ma[i], keep), bias));
        acc_b = _mm_or_si128(acc_b, _mm_add_epi32(_mm_and_si128(mb[i], keep), bias));
      } else if (Probe == 2) {
        acc_a = _mm_or_si128(acc_a, _mm_add_epi64(_mm_and_si128(ma[i], keep), bias));
        acc_b = _mm_or_si128(acc_b, _mm_add_epi64(_mm_and_si128(mb[i], keep), bias));
      }
      ma[i] = _mm_shuffle_epi8(ma[i], bswap);
      mb[i] = _mm_shuffle_epi8(mb[i], bswap);
    }
    __m128i ma0 = ma[0], ma1 = ma[1], ma2 = ma[2], ma3 = ma[3];
    __m128i mb0 = mb[0], mb1 = mb[1], mb2 = mb[2], mb3 = mb[3];
    const __m128i save_a0 = a0, save_a1 = a1, save_b0 = b0, save_b1 = b1;

    VECTORPIN_SHANI_GROUP2(0, ma0, ma3, ma1, mb0, mb3, mb1);
    VECTORPIN_SHANI_GROUP2(1, ma1, ma0, ma2, mb1, mb0, mb2);
    VECTORPIN_SHANI_GROUP2(2, ma2, ma1, ma3, mb2, mb1, mb3);
    VECTORPIN_SHANI_GROUP2(3, ma3, ma2, ma0, mb3, mb2, mb0);
    VECTORPIN_SHANI_GROUP2(4, ma0, ma3, ma1, mb0, mb3, mb1);
    VECTORPIN_SHANI_GROUP2(5, ma1, ma0, ma2, mb1, mb0, mb2);
    VECTORPIN_SHANI_GROUP2(6, ma2, ma1, ma3, mb2, mb1, mb3);
    VECTORPIN_SHANI_GROUP2(7, ma3, ma2, ma0, mb3, mb2, mb0);
    VECTORPIN_SHANI_GROUP2(8, ma0, ma3, ma1, mb0, mb3, mb1);
    VECTORPIN_SHANI_GROUP2(9, ma1, ma0, ma2, mb1, mb0, mb2);
    VECTORPIN_SHANI_GROUP2(10, ma2, ma1, ma3, mb2, mb1, mb3);
    VECTORPIN_SHANI_GROUP2(11, ma3, ma2, ma0, mb3, mb2, mb0);
    VECTORPIN_SHANI_GROUP2(12, ma0, ma3, ma1, mb0, mb3, mb1);
    VECTORPIN_SHANI_GROUP2(13, ma1, ma0, ma2, mb1, mb0, mb2);
    VECTORPIN_SHANI_GROUP2(14, ma2, ma1, ma3, mb2, mb1, mb3);
    VECTORPIN_SHANI_GROUP2(15, ma3, ma2, ma0, mb3, mb2, mb0);

    a0 = _mm_add_epi32(a0, save_a0);
    a1 = _mm_add_epi32(a1, save_a1);
    b0 = _mm_add_epi32(b0, save_b0);
    b1 = _mm_add_epi32(b1, save_b1);
    da += 64;
    db += 64;
  }
  store_state(state_a, a0, a1);
  store_state(state_b, b0, b1);
  if (Probe == 1) {
    finite[0] = _mm_movemask_ps(_mm_castsi128_ps(acc_a)) == 0;
    finite[1] = _mm_movemask_ps(_mm_castsi128_ps(acc_b)) == 0;
  } else if (Probe == 2) {
    finite[0] = _mm_movemask_pd(_mm_castsi128_pd(acc_a)) == 0;
    finite[1] = _mm_movemask_pd(_mm_castsi128_pd(acc_b)) == 0;
  } else {
    finite[0] = finite[1] = true;
  }
}

#undef VECTORPIN_SHANI_GROUP
#undef VECTORPIN_SHANI_GROUP2

}  // namespace

bool sha256_shani_cpu_supported() {
  static const bool supported = detect();
  return supported;
}

void sha256_blocks_shani(uint32_t state[8], const uint8_t* data, size_t blocks) { compress<0>(state, data, blocks); }

bool sha256_blocks_shani_finite(uint32_t state[8], const uint8_t* data, size_t blocks, FloatLanes lanes) {
  return lanes == FloatLanes::F32 ? compress<1>(state, data, blocks) : compress<2>(state, data, blocks);
}

void sha256_blocks_shani_finite_x2(uint32_t state_a[8], const uint8_t* a, uint32_t state_b[8], const uint8_t* b,
                                   size_t blocks, FloatLanes lanes, bool finite[2]) {
  if (lanes == FloatLanes::F32) compress2<1>(state_a, a, state_b, b, blocks, finite);
  else compress2<2>(state_a, a, state_b, b, blocks, finite);
}

#else  // no SHA-extensions code for this target

bool sha256_shani_cpu_supported() { return false; }

// Unreachable: selection checks sha256_shani_cpu_supported() first. Falling
// back keeps the functions correct should that ever change.
void sha256_blocks_shani(uint32_t state[8], const uint8_t* data, size_t blocks) {
  sha256_blocks_portable(state, data, blocks);
}

bool sha256_blocks_shani_finite(uint32_t state[8], const uint8_t* data, size_t blocks, FloatLanes lanes) {
  return sha256_blocks_portable_finite(state, data, blocks, lanes);
}

void sha256_blocks_shani_finite_x2(uint32_t state_a[8], const uint8_t* a, uint32_t state_b[8], const uint8_t* b,
                                   size_t blocks, FloatLanes lanes, bool finite[2]) {
  finite[0] = sha256_blocks_portable_finite(state_a, a, blocks, lanes);
  finite[1] = sha256_blocks_portable_finite(state_b, b, blocks, lanes);
}

#endif

}  // namespace detail
}  // namespace vectorpin
