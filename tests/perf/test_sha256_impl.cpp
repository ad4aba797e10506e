// Both SHA-256 implementations against NIST's vectors and against
// libsodium, the fused finiteness check, and how the implementation is chosen.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sodium.h>

#include "hashing.hpp"
#include "sha256.hpp"

namespace vp = vectorpin;

namespace {

std::string hex(const vp::Sha256Digest& d) { return vp::hash_string(d).substr(7); }

// Runs each test once per implementation this machine can execute, and puts
// the start-up choice back afterwards.
class Sha256Impls : public ::testing::TestWithParam<vp::Sha256Impl> {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    if (GetParam() == vp::Sha256Impl::ShaNi && !vp::sha256_shani_supported())
      GTEST_SKIP() << "this CPU has no SHA extensions";
    ASSERT_TRUE(vp::sha256_force_implementation(GetParam()));
    ASSERT_EQ(vp::sha256_active_implementation(), GetParam());
  }
  void TearDown() override { vp::sha256_force_implementation(vp::Sha256Impl::Auto); }
};

TEST_P(Sha256Impls, NistShortMessages) {
  EXPECT_EQ(hex(vp::sha256("", 0)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(vp::sha256("abc", 3)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  EXPECT_EQ(hex(vp::sha256(m448.data(), m448.size())),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  const std::string m896 =
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
  EXPECT_EQ(hex(vp::sha256(m896.data(), m896.size())),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST_P(Sha256Impls, NistMillionA) {
  const std::string expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  std::string a(1000000, 'a');
  EXPECT_EQ(hex(vp::sha256(a.data(), a.size())), expected);  // one call: long runs of whole blocks
  vp::Sha256 h;
  for (size_t pos = 0; pos < a.size(); pos += 1000) h.update(a.data() + pos, 1000);  // unaligned pieces
  EXPECT_EQ(hex(h.finish()), expected);
}

// NIST's "extremely long message": 2^24 repetitions of a 64-byte pattern,
// 1 GiB in all, so the 64-bit length counter carries past 32 bits of bits.
// Fed in 1 MiB pieces, which also crosses the finite-check chunking.
TEST_P(Sha256Impls, NistExtremelyLongMessage) {
  const std::string pattern = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno";
  ASSERT_EQ(pattern.size(), 64u);
  std::string piece;
  piece.reserve(1 << 20);
  while (piece.size() < (1u << 20)) piece += pattern;
  vp::Sha256 h;
  for (int i = 0; i < 1024; ++i) h.update(piece.data(), piece.size());
  EXPECT_EQ(hex(h.finish()), "50e72a0e26442fe2552dc3938ac58658228c0cbfb1d2ca872ae435266fcd055e");
}

TEST_P(Sha256Impls, MatchesLibsodiumOnRandomLengthsAndSplits) {
  std::mt19937 rng(20260505u + static_cast<unsigned>(GetParam()));
  for (int round = 0; round < 400; ++round) {
    std::vector<uint8_t> data(rng() % 10001);
    for (auto& b : data) b = static_cast<uint8_t>(rng());
    uint8_t ref[32];
    crypto_hash_sha256(ref, data.data(), data.size());

    vp::Sha256Digest whole = vp::sha256(data.data(), data.size());
    ASSERT_EQ(std::memcmp(whole.data(), ref, 32), 0) << "length " << data.size();

    vp::Sha256 h;
    size_t pos = 0;
    while (pos < data.size()) {
      // Mostly small pieces, sometimes long ones, so both the buffered path
      // and multi-block runs are crossed at every offset.
      size_t limit = (rng() % 4 == 0) ? 3000 : 130;
      size_t take = std::min<size_t>(data.size() - pos, rng() % (limit + 1));
      h.update(data.data() + pos, take);
      pos += take;
    }
    vp::Sha256Digest split = h.finish();
    ASSERT_EQ(std::memcmp(split.data(), ref, 32), 0) << "length " << data.size();
  }
}

TEST_P(Sha256Impls, EveryLengthAroundBlockBoundaries) {
  std::vector<uint8_t> data(300);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7 + 1);
  for (size_t n = 0; n <= data.size(); ++n) {
    uint8_t ref[32];
    crypto_hash_sha256(ref, data.data(), n);
    vp::Sha256Digest got = vp::sha256(data.data(), n);
    ASSERT_EQ(std::memcmp(got.data(), ref, 32), 0) << "length " << n;
  }
}

template <typename T>
std::vector<T> random_floats(std::mt19937& rng, size_t n) {
  std::uniform_real_distribution<double> dist(-1e3, 1e3);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(dist(rng));
  return v;
}

template <typename T>
void check_update_finite(std::mt19937& rng) {
  const vp::FloatLanes lanes = sizeof(T) == 4 ? vp::FloatLanes::F32 : vp::FloatLanes::F64;
  const T specials[] = {std::numeric_limits<T>::quiet_NaN(), -std::numeric_limits<T>::quiet_NaN(),
                        std::numeric_limits<T>::infinity(), -std::numeric_limits<T>::infinity(),
                        std::numeric_limits<T>::signaling_NaN()};
  for (size_t n : {0u, 1u, 3u, 15u, 16u, 17u, 100u, 1024u, 5000u, 9000u}) {
    std::vector<T> v = random_floats<T>(rng, n);
    // The largest finite values, subnormals and both zeros are finite.
    if (n >= 4) {
      v[0] = std::numeric_limits<T>::max();
      v[1] = -std::numeric_limits<T>::max();
      v[2] = std::numeric_limits<T>::denorm_min();
      v[3] = -0.0;
    }
    uint8_t ref[32];
    crypto_hash_sha256(ref, reinterpret_cast<const uint8_t*>(v.data()), n * sizeof(T));
    vp::Sha256 h;
    ASSERT_TRUE(h.update_finite(v.data(), n * sizeof(T), lanes)) << n;
    vp::Sha256Digest d = h.finish();
    ASSERT_EQ(std::memcmp(d.data(), ref, 32), 0) << n;

    // Split at element boundaries, starting with a partly filled block.
    vp::Sha256 s;
    size_t pos = 0;
    while (pos < n) {
      size_t take = std::min<size_t>(n - pos, rng() % 40);
      ASSERT_TRUE(s.update_finite(v.data() + pos, take * sizeof(T), lanes));
      pos += take;
    }
    d = s.finish();
    ASSERT_EQ(std::memcmp(d.data(), ref, 32), 0) << n;

    // One bad element anywhere is found: first, last, in a block's head,
    // in the long middle, in the tail.
    if (n == 0) continue;
    for (size_t at : {size_t{0}, n - 1, n / 2, std::min<size_t>(n - 1, 17), static_cast<size_t>(rng() % n)}) {
      for (T bad : specials) {
        std::vector<T> w = v;
        w[at] = bad;
        vp::Sha256 b;
        EXPECT_FALSE(b.update_finite(w.data(), n * sizeof(T), lanes)) << "n " << n << " at " << at;
      }
    }
  }
}

TEST_P(Sha256Impls, UpdateFiniteHashesAndFindsNonFiniteF32) {
  std::mt19937 rng(11);
  check_update_finite<float>(rng);
}

TEST_P(Sha256Impls, UpdateFiniteHashesAndFindsNonFiniteF64) {
  std::mt19937 rng(12);
  check_update_finite<double>(rng);
}

TEST_P(Sha256Impls, HashVectorNamesTheFirstBadElement) {
  std::mt19937 rng(13);
  std::vector<float> v = random_floats<float>(rng, 3072);
  v[2000] = std::numeric_limits<float>::infinity();
  v[2500] = std::numeric_limits<float>::quiet_NaN();
  vp::Sha256Digest d;
  vp::Error err;
  EXPECT_EQ(vp::hash_vector(v.data(), v.size(), vp::Dtype::F32, d, err), VECTORPIN_INVALID_INPUT);
  EXPECT_EQ(err.message, "vector element 2000 is NaN or infinite");
  std::vector<double> w = random_floats<double>(rng, 777);
  w[700] = -std::numeric_limits<double>::infinity();
  EXPECT_EQ(vp::hash_vector(w.data(), w.size(), vp::Dtype::F64, d, err), VECTORPIN_INVALID_INPUT);
  EXPECT_EQ(err.message, "vector element 700 is NaN or infinite");
}

TEST_P(Sha256Impls, HashVectorMatchesTheBytesHashedDirectly) {
  std::mt19937 rng(14);
  for (size_t n : {1u, 16u, 384u, 3072u, 4097u}) {
    std::vector<float> v = random_floats<float>(rng, n);
    vp::Sha256Digest d;
    vp::Error err;
    ASSERT_EQ(vp::hash_vector(v.data(), n, vp::Dtype::F32, d, err), VECTORPIN_OK);
    // The reference hashes the elements' little-endian bytes, built here
    // explicitly so the test holds on big-endian hosts too.
    auto le = [](const auto& elems) {
      std::vector<uint8_t> out;
      for (auto x : elems) {
        uint64_t bits = 0;
        if constexpr (sizeof x == 4) {
          uint32_t b32;
          std::memcpy(&b32, &x, 4);
          bits = b32;
        } else {
          std::memcpy(&bits, &x, 8);
        }
        for (size_t i = 0; i < sizeof x; ++i) out.push_back(static_cast<uint8_t>(bits >> (8 * i)));
      }
      return out;
    };
    uint8_t ref[32];
    std::vector<uint8_t> bytes = le(v);
    crypto_hash_sha256(ref, bytes.data(), bytes.size());
    EXPECT_EQ(std::memcmp(d.data(), ref, 32), 0) << n;
    // And the cast path (f32 elements hashed as f64) agrees with a widened copy.
    std::vector<double> wide(v.begin(), v.end());
    ASSERT_EQ(vp::hash_vector(v.data(), n, vp::Dtype::F64, d, err), VECTORPIN_OK);
    bytes = le(wide);
    crypto_hash_sha256(ref, bytes.data(), bytes.size());
    EXPECT_EQ(std::memcmp(d.data(), ref, 32), 0) << n;
  }
}

// Two strings hashed together (interleaved with the SHA extensions) give
// each one's own digest and finiteness, at every length around the block
// size and with a bad element in either, both or neither.
template <typename T>
void check_pairs(std::mt19937& rng, vp::FloatLanes lanes) {
  for (size_t n = 0; n < 200; n += 1 + n / 8) {
    for (int bad = 0; bad < 4; ++bad) {
      std::vector<T> a = random_floats<T>(rng, n), b = random_floats<T>(rng, n);
      if (n > 0 && (bad & 1)) a[rng() % n] = std::numeric_limits<T>::quiet_NaN();
      if (n > 0 && (bad & 2)) b[rng() % n] = std::numeric_limits<T>::infinity();
      vp::Sha256Digest d[2];
      bool finite[2];
      vp::sha256_finite_pair(a.data(), b.data(), n * sizeof(T), lanes, d, finite);
      EXPECT_EQ(finite[0], !(n > 0 && (bad & 1))) << n;
      EXPECT_EQ(finite[1], !(n > 0 && (bad & 2))) << n;
      uint8_t ref[32];
      if (finite[0]) {
        crypto_hash_sha256(ref, reinterpret_cast<const uint8_t*>(a.data()), n * sizeof(T));
        EXPECT_EQ(std::memcmp(d[0].data(), ref, 32), 0) << n;
      }
      if (finite[1]) {
        crypto_hash_sha256(ref, reinterpret_cast<const uint8_t*>(b.data()), n * sizeof(T));
        EXPECT_EQ(std::memcmp(d[1].data(), ref, 32), 0) << n;
      }
    }
  }
}

TEST_P(Sha256Impls, PairsHashLikeSingles) {
  std::mt19937 rng(15);
  check_pairs<float>(rng, vp::FloatLanes::F32);
  check_pairs<double>(rng, vp::FloatLanes::F64);
}

// hash_vector takes a prehashed digest only for the very memory it was
// computed from, and a non-finite one never, so errors still name the
// element.
TEST_P(Sha256Impls, PrehashedVectorsServeOnlyTheirOwnMemory) {
  std::mt19937 rng(16);
  std::vector<float> a = random_floats<float>(rng, 3072), b = random_floats<float>(rng, 3072);
  std::vector<float> c = a;  // same content, other memory
  b[5] = std::numeric_limits<float>::quiet_NaN();
  vp::Sha256Digest d, ref;
  vp::Error err;
  ASSERT_EQ(vp::hash_vector(c.data(), c.size(), vp::Dtype::F32, ref, err), VECTORPIN_OK);
  {
    const vp::PrehashedVectors ahead(a.data(), b.data(), a.size() * 4, vp::FloatLanes::F32);
    ASSERT_EQ(vp::hash_vector(a.data(), a.size(), vp::Dtype::F32, d, err), VECTORPIN_OK);
    EXPECT_EQ(d, ref);
    EXPECT_EQ(vp::hash_vector(b.data(), b.size(), vp::Dtype::F32, d, err), VECTORPIN_INVALID_INPUT);
    EXPECT_EQ(err.message, "vector element 5 is NaN or infinite");
    // A shorter view of the same memory is hashed, not looked up.
    // (Compared with the same 100 elements copied elsewhere, so the check
    // holds on big-endian hosts too, where the hashed bytes are not the
    // host's.)
    ASSERT_EQ(vp::hash_vector(a.data(), 100, vp::Dtype::F32, d, err), VECTORPIN_OK);
    const std::vector<float> head(a.begin(), a.begin() + 100);
    vp::Sha256Digest fresh;
    ASSERT_EQ(vp::hash_vector(head.data(), head.size(), vp::Dtype::F32, fresh, err), VECTORPIN_OK);
    EXPECT_EQ(d, fresh);
  }
  // Out of scope, a changed vector is hashed afresh.
  a[0] += 1.0f;
  ASSERT_EQ(vp::hash_vector(a.data(), a.size(), vp::Dtype::F32, d, err), VECTORPIN_OK);
  EXPECT_NE(d, ref);
}

TEST_P(Sha256Impls, HashTextAsciiAndNormalizedPathsAgree) {
  vp::Error err;
  vp::Sha256Digest d;
  std::string ascii(1000, 'x');
  ascii[999] = '\n';
  ASSERT_EQ(vp::hash_text_digest(ascii, d, err), VECTORPIN_OK);
  EXPECT_EQ(d, vp::sha256(ascii.data(), ascii.size()));
  // "é" decomposed normalizes to the composed form before hashing, also
  // when it sits behind a long ASCII run.
  std::string decomposed = ascii + "e\xcc\x81";
  std::string composed = ascii + "\xc3\xa9";
  vp::Sha256Digest a, b;
  ASSERT_EQ(vp::hash_text_digest(decomposed, a, err), VECTORPIN_OK);
  ASSERT_EQ(vp::hash_text_digest(composed, b, err), VECTORPIN_OK);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, vp::sha256(composed.data(), composed.size()));
  EXPECT_EQ(vp::hash_text_digest(ascii + "\xff", d, err), VECTORPIN_INVALID_INPUT);
  std::string s;
  ASSERT_EQ(vp::hash_text(composed, s, err), VECTORPIN_OK);
  EXPECT_TRUE(vp::hash_string_matches(a, s));
  EXPECT_FALSE(vp::hash_string_matches(a, s.substr(0, 70)));
  s[70] = s[70] == '0' ? '1' : '0';
  EXPECT_FALSE(vp::hash_string_matches(a, s));
}

INSTANTIATE_TEST_SUITE_P(Both, Sha256Impls, ::testing::Values(vp::Sha256Impl::Portable, vp::Sha256Impl::ShaNi),
                         [](const ::testing::TestParamInfo<vp::Sha256Impl>& info) {
                           return std::string(vp::sha256_implementation_name(info.param));
                         });

// The two implementations against each other, on the same inputs, with
// the finite check on and off.
TEST(Sha256Selection, PortableAndShaNiAgree) {
  if (!vp::sha256_shani_supported()) GTEST_SKIP() << "this CPU has no SHA extensions";
  std::mt19937 rng(99);
  for (int round = 0; round < 300; ++round) {
    std::vector<float> v(rng() % 5000);
    for (auto& x : v) x = static_cast<float>(static_cast<int32_t>(rng())) * 1e-9f;
    const size_t bytes = v.size() * 4;
    ASSERT_TRUE(vp::sha256_force_implementation(vp::Sha256Impl::Portable));
    vp::Sha256Digest plain_p = vp::sha256(v.data(), bytes);
    vp::Sha256 hp;
    ASSERT_TRUE(hp.update_finite(v.data(), bytes, vp::FloatLanes::F32));
    vp::Sha256Digest finite_p = hp.finish();
    ASSERT_TRUE(vp::sha256_force_implementation(vp::Sha256Impl::ShaNi));
    vp::Sha256Digest plain_s = vp::sha256(v.data(), bytes);
    vp::Sha256 hs;
    ASSERT_TRUE(hs.update_finite(v.data(), bytes, vp::FloatLanes::F32));
    vp::Sha256Digest finite_s = hs.finish();
    ASSERT_TRUE(vp::sha256_force_implementation(vp::Sha256Impl::Auto));
    ASSERT_EQ(plain_p, plain_s) << bytes;
    ASSERT_EQ(finite_p, plain_p) << bytes;
    ASSERT_EQ(finite_s, plain_s) << bytes;
  }
}

TEST(Sha256Selection, ForcingAndReturningToAuto) {
  ASSERT_TRUE(vp::sha256_force_implementation(vp::Sha256Impl::Portable));
  EXPECT_EQ(vp::sha256_active_implementation(), vp::Sha256Impl::Portable);
  EXPECT_EQ(vp::sha256_force_implementation(vp::Sha256Impl::ShaNi), vp::sha256_shani_supported());
  EXPECT_EQ(vp::sha256_active_implementation(),
            vp::sha256_shani_supported() ? vp::Sha256Impl::ShaNi : vp::Sha256Impl::Portable);
  ASSERT_TRUE(vp::sha256_force_implementation(vp::Sha256Impl::Auto));
  EXPECT_NE(vp::sha256_active_implementation(), vp::Sha256Impl::Auto);
  EXPECT_STREQ(vp::sha256_implementation_name(vp::Sha256Impl::ShaNi), "shani");
}

// Run by ctest under VECTORPIN_SHA256=portable|shani|auto (and unset).
TEST(Sha256Environment, StartupChoiceFollowsTheVariableOnce) {
  const char* env = std::getenv("VECTORPIN_SHA256");
  const std::string want = env ? env : "";
  vp::Sha256Impl expected = vp::sha256_shani_supported() ? vp::Sha256Impl::ShaNi : vp::Sha256Impl::Portable;
  if (want == "portable") expected = vp::Sha256Impl::Portable;
  ASSERT_TRUE(vp::sha256_force_implementation(vp::Sha256Impl::Auto));
  EXPECT_EQ(vp::sha256_active_implementation(), expected) << "VECTORPIN_SHA256=" << want;
  // Read once: changing the variable later changes nothing.
  setenv("VECTORPIN_SHA256", want == "portable" ? "shani" : "portable", 1);
  EXPECT_EQ(vp::sha256_active_implementation(), expected);
  if (env) setenv("VECTORPIN_SHA256", env, 1);
  else unsetenv("VECTORPIN_SHA256");
  // Whatever was chosen hashes correctly.
  EXPECT_EQ(hex(vp::sha256("abc", 3)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
