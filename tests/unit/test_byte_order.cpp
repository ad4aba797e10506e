// The vector hash is defined on little-endian bytes whatever the host's byte
// order. These digests were computed independently (Python's struct '<f' /
// '<d' packing and hashlib), so a big-endian build (s390x, run under qemu by
// scripts/test-cross.sh) that hashed its native bytes would fail here, and so
// would a float-to-double or double-to-float cast that rounds differently.
#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

#include "ed25519/ed25519.hpp"
#include "sha256.hpp"
#include "support.hpp"

namespace {

constexpr size_t kElements = 1003;  // not a whole number of SHA-256 blocks

// Exactly representable in both widths (multiples of 1/1024 below 2^14),
// after a head of special values: signed zeros, extremes, subnormals, and
// values that round when narrowed to f32.
std::vector<double> sample_f64() {
  std::vector<double> v = {0.0, -0.0, 1.0, -1.5, 0.1, 3.4028234663852886e38, 1.401298464324817e-45,
                           1.1754943508222875e-38, 123456.789, -2.5e-7};
  for (long i = 0; v.size() < kElements; ++i) v.push_back(static_cast<double>((i * 7919) % 20011 - 10005) / 1024.0);
  return v;
}

std::vector<float> sample_f32() {
  std::vector<float> out;
  for (double x : sample_f64()) out.push_back(static_cast<float>(x));
  return out;
}

// The same head with double-only extremes: the largest double, the smallest
// subnormal double, the smallest normal double.
std::vector<double> sample_f64_wide() {
  std::vector<double> v = sample_f64();
  v[5] = std::numeric_limits<double>::max();
  v[6] = std::numeric_limits<double>::denorm_min();
  v[7] = std::numeric_limits<double>::min();
  return v;
}

std::string hash_f32(const std::vector<float>& v, vectorpin_dtype dtype) {
  char out[VECTORPIN_HASH_STRING_BUFFER_BYTES];
  EXPECT_EQ(vectorpin_hash_vector_f32(out, sizeof out, v.data(), v.size(), dtype, nullptr), VECTORPIN_OK);
  return out;
}

std::string hash_f64(const std::vector<double>& v, vectorpin_dtype dtype) {
  char out[VECTORPIN_HASH_STRING_BUFFER_BYTES];
  EXPECT_EQ(vectorpin_hash_vector_f64(out, sizeof out, v.data(), v.size(), dtype, nullptr), VECTORPIN_OK);
  return out;
}

TEST(ByteOrder, F32InputHashedAsF32) {
  EXPECT_EQ(hash_f32(sample_f32(), VECTORPIN_DTYPE_F32),
            "sha256:b88d78e0fa2a4ea331a7a66f8f38b515ec914ec1ec7440529f223c0e757f1206");
}

TEST(ByteOrder, F32InputWidenedToF64) {
  EXPECT_EQ(hash_f32(sample_f32(), VECTORPIN_DTYPE_F64),
            "sha256:7f92333d22ad809e8ef2cdcb87a6403d354b9184e6ad3a09d51aa73d0f0cbc55");
}

TEST(ByteOrder, F64InputHashedAsF64) {
  EXPECT_EQ(hash_f64(sample_f64_wide(), VECTORPIN_DTYPE_F64),
            "sha256:858c4d1fdb0b977f83d65f959ef1bdcb45be5badee23ada2130a3da4e2fe75ad");
}

TEST(ByteOrder, F64InputNarrowedToF32MatchesF32Input) {
  EXPECT_EQ(hash_f64(sample_f64(), VECTORPIN_DTYPE_F32),
            "sha256:b88d78e0fa2a4ea331a7a66f8f38b515ec914ec1ec7440529f223c0e757f1206");
}

// Off x86 there is no SHA-NI and no BMI2: whatever the environment asks
// for, the start-up choices must be the portable code, and forcing the x86
// code must be refused.
TEST(PlatformDispatch, PortableOffX86) {
#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64)
  GTEST_SKIP() << "x86: the SHA-NI, BMI2 and IFMA choices are tested in tests/perf and the Ed25519 tests";
#else
  EXPECT_FALSE(vectorpin::sha256_shani_supported());
  EXPECT_EQ(vectorpin::sha256_active_implementation(), vectorpin::Sha256Impl::Portable);
  EXPECT_FALSE(vectorpin::sha256_force_implementation(vectorpin::Sha256Impl::ShaNi));
  EXPECT_EQ(vectorpin::sha256_active_implementation(), vectorpin::Sha256Impl::Portable);

  namespace ed = vectorpin::ed25519;
  // The project's engine unless the run asked for libsodium's (ctest runs
  // this suite once more with VECTORPIN_ED25519=libsodium).
  if (std::getenv("VECTORPIN_ED25519") == nullptr) EXPECT_EQ(ed::active_engine(), ed::Engine::Own);
  EXPECT_FALSE(ed::impl_supported(ed::Impl::Bmi2));
  EXPECT_EQ(ed::active_impl(), ed::Impl::Portable);
  EXPECT_FALSE(ed::force_impl(ed::Impl::Bmi2));
  EXPECT_EQ(ed::active_impl(), ed::Impl::Portable);
  EXPECT_FALSE(ed::impl_supported(ed::Impl::Ifma));
  EXPECT_FALSE(ed::force_impl(ed::Impl::Ifma));
  EXPECT_EQ(ed::active_impl(), ed::Impl::Portable);
#endif
}

}  // namespace
