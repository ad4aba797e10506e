// The verification path of a parsed pin allocates nothing once warm, and
// reusing its per-thread buffer never leaks one pin's bytes into another's.
#include <atomic>
#include <cstdlib>
#include <limits>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "support.hpp"

namespace {

// Counts global operator new calls made while `g_counting` is set, from
// any thread. Replacing the global allocation functions is how standard C++
// lets a program watch every allocation the library makes.
std::atomic<bool> g_counting{false};
std::atomic<size_t> g_allocations{0};

void* counted_alloc(size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

// Below operator new, the C allocator: libsodium, utf8proc and the C++
// runtime all end up in malloc. With glibc the program can stand in front
// of it and forward to the real one, which catches allocations that never
// pass through operator new. Sanitizers replace malloc themselves, so the
// hook is left out of those builds (the operator new count still runs).
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define VECTORPIN_TEST_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define VECTORPIN_TEST_SANITIZED 1
#endif
#if defined(__GLIBC__) && !defined(VECTORPIN_TEST_SANITIZED)
#define VECTORPIN_TEST_MALLOC_HOOK 1
namespace {
std::atomic<size_t> g_mallocs{0};
}
extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* malloc(size_t n) noexcept {
  if (g_counting.load(std::memory_order_relaxed)) g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n);
}
void* calloc(size_t n, size_t size) noexcept {
  if (g_counting.load(std::memory_order_relaxed)) g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(n, size);
}
void* realloc(void* p, size_t n) noexcept {
  if (g_counting.load(std::memory_order_relaxed)) g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, n);
}
}
constexpr bool kMallocHooked = true;
size_t malloc_count() { return g_mallocs.load(); }
#else
constexpr bool kMallocHooked = false;
size_t malloc_count() { return 0; }
#endif

void* operator new(size_t n) { return counted_alloc(n); }
void* operator new[](size_t n) { return counted_alloc(n); }
// The nothrow forms too: the library uses them, and under a sanitizer
// its own default ones would allocate from a heap std::free cannot release.
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  try {
    return counted_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](size_t n, const std::nothrow_t&) noexcept {
  try {
    return counted_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace {

struct Fixture {
  test::Signer signer = test::test_signer();
  test::Verifier verifier = test::verifier_with("test-vectors-v2-2026-05", test::test_public_key());
  std::string source;
  std::vector<float> vec;
  std::vector<double> vec64;
  test::Pin pin32;
  test::Pin pin64;
  test::Expectations expect;

  Fixture() {
    source.assign(1024, 'q');
    for (size_t i = 0; i < source.size(); i += 37) source[i] = ' ';
    for (int i = 0; i < 3072; ++i) vec.push_back(static_cast<float>(i % 97) * 0.01f - 0.3f);
    vec64.assign(vec.begin(), vec.end());
    vectorpin_pin_options* o = nullptr;
    EXPECT_EQ(vectorpin_pin_options_new(&o, nullptr), VECTORPIN_OK);
    test::Options opts(o);
    EXPECT_EQ(vectorpin_pin_options_set_extra(o, "vectorpin.record_id", 19, "rec-1", 5, nullptr), VECTORPIN_OK);
    EXPECT_EQ(vectorpin_pin_options_set_extra(o, "vectorpin.tenant_id", 19, "tenant-a", 8, nullptr), VECTORPIN_OK);
    EXPECT_EQ(vectorpin_pin_options_set_model_hash(
                  o, "sha256:0000000000000000000000000000000000000000000000000000000000000000", 71, nullptr),
              VECTORPIN_OK);
    vectorpin_pin* p = nullptr;
    EXPECT_EQ(vectorpin_signer_pin_f32(signer.get(), &p, source.data(), source.size(), "model-x", 7, vec.data(),
                                       vec.size(), o, nullptr),
              VECTORPIN_OK);
    pin32.reset(p);
    EXPECT_EQ(vectorpin_signer_pin_f64(signer.get(), &p, source.data(), source.size(), "model-x", 7,
                                       vec64.data(), vec64.size(), o, nullptr),
              VECTORPIN_OK);
    pin64.reset(p);
    vectorpin_expectations* e = nullptr;
    EXPECT_EQ(vectorpin_expectations_new(&e, nullptr), VECTORPIN_OK);
    expect.reset(e);
    EXPECT_EQ(vectorpin_expectations_set(e, VECTORPIN_EXPECT_MODEL, "model-x", 7, nullptr), VECTORPIN_OK);
    EXPECT_EQ(vectorpin_expectations_set(e, VECTORPIN_EXPECT_RECORD_ID, "rec-1", 5, nullptr), VECTORPIN_OK);
    EXPECT_EQ(vectorpin_expectations_set(e, VECTORPIN_EXPECT_TENANT_ID, "tenant-a", 8, nullptr), VECTORPIN_OK);
  }

  vectorpin_status full32(vectorpin_error* err) const {
    return vectorpin_verify_f32(verifier.get(), pin32.get(), source.data(), source.size(), vec.data(), vec.size(),
                                expect.get(), err);
  }
  vectorpin_status full64(vectorpin_error* err) const {
    return vectorpin_verify_f64(verifier.get(), pin64.get(), source.data(), source.size(), vec64.data(),
                                vec64.size(), expect.get(), err);
  }
};

TEST(VerifyPath, SuccessfulVerificationAllocatesNothingOnceWarm) {
  Fixture f;
  vectorpin_error err;
  ASSERT_EQ(f.full32(&err), VECTORPIN_OK) << err.message;  // warms the per-thread buffer
  ASSERT_EQ(f.full64(&err), VECTORPIN_OK) << err.message;

  const size_t mallocs_before = malloc_count();
  g_allocations = 0;
  g_counting = true;
  int ok = 0;
  for (int i = 0; i < 50; ++i) {
    ok += f.full32(&err) == VECTORPIN_OK;
    ok += f.full64(&err) == VECTORPIN_OK;
    ok += vectorpin_verify_f32(f.verifier.get(), f.pin32.get(), nullptr, 0, nullptr, 0, nullptr, nullptr) ==
          VECTORPIN_OK;
  }
  g_counting = false;
  EXPECT_EQ(ok, 150);
  EXPECT_EQ(g_allocations.load(), 0u);
  EXPECT_EQ(malloc_count() - mallocs_before, 0u);
}

TEST(VerifyPath, FirstVerificationOnAFreshThreadAllocatesOnlyItsBuffer) {
  // A thread's first verification sizes its signed-bytes buffer; every
  // later one on that thread allocates nothing. The key's verification
  // table is built by the first verification under the key on any thread,
  // so that one happens here first.
  Fixture f;
  size_t first = 0, later = 0;
  int ok = 0;
  {
    vectorpin_error err;
    ASSERT_EQ(f.full32(&err), VECTORPIN_OK) << err.message;
  }
  std::thread t([&] {
    vectorpin_error err;
    g_allocations = 0;
    g_counting = true;
    ok += f.full32(&err) == VECTORPIN_OK;
    first = g_allocations.load();
    g_allocations = 0;
    for (int i = 0; i < 20; ++i) ok += f.full32(&err) == VECTORPIN_OK;
    later = g_allocations.load();
    g_counting = false;
  });
  t.join();
  EXPECT_EQ(ok, 21);
  EXPECT_LE(first, 1u);
  EXPECT_EQ(later, 0u);
}

TEST(VerifyPath, TheCounterDoesSeeAllocations) {
  // Guards the test above against a counter that never counts.
  Fixture f;
  g_allocations = 0;
  g_counting = true;
  test::Pin p;
  vectorpin_pin* raw = nullptr;
  std::string json = test::to_json(f.pin32.get());
  vectorpin_status st = vectorpin_pin_parse(&raw, json.data(), json.size(), nullptr);
  g_counting = false;
  p.reset(raw);
  EXPECT_EQ(st, VECTORPIN_OK);
  EXPECT_GT(g_allocations.load(), 0u);
  if (kMallocHooked) {
    // NFC of non-ASCII text runs in utf8proc, which calls malloc directly.
    const size_t before = malloc_count();
    g_counting = true;
    char out[VECTORPIN_HASH_STRING_BUFFER_BYTES];
    st = vectorpin_hash_text(out, sizeof out, "caf\xc3\xa9", 5, nullptr);
    g_counting = false;
    EXPECT_EQ(st, VECTORPIN_OK);
    EXPECT_GT(malloc_count() - before, 0u);
  }
}

TEST(VerifyPath, OutcomesUnchangedOnTheFastPath) {
  Fixture f;
  vectorpin_error err;
  std::vector<float> tampered = f.vec;
  tampered[3071] += 1.0f;
  EXPECT_EQ(vectorpin_verify_f32(f.verifier.get(), f.pin32.get(), nullptr, 0, tampered.data(), tampered.size(),
                                 nullptr, &err),
            VECTORPIN_VECTOR_TAMPERED);
  std::string other = f.source;
  other[5] = 'Q';
  EXPECT_EQ(vectorpin_verify_f32(f.verifier.get(), f.pin32.get(), other.data(), other.size(), nullptr, 0, nullptr,
                                 &err),
            VECTORPIN_SOURCE_MISMATCH);
  // The vector is checked before the source (PROTOCOL.md section 5).
  EXPECT_EQ(vectorpin_verify_f32(f.verifier.get(), f.pin32.get(), other.data(), other.size(), tampered.data(),
                                 tampered.size(), nullptr, &err),
            VECTORPIN_VECTOR_TAMPERED);
  tampered = f.vec;
  tampered[10] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(vectorpin_verify_f32(f.verifier.get(), f.pin32.get(), nullptr, 0, tampered.data(), tampered.size(),
                                 nullptr, &err),
            VECTORPIN_PARSE_ERROR);
  EXPECT_STREQ(err.message, "supplied vector: vector element 10 is NaN or infinite");
  // f32 elements checked against an f64 pin: hashed as f64, equal values.
  EXPECT_EQ(vectorpin_verify_f32(f.verifier.get(), f.pin64.get(), nullptr, 0, f.vec.data(), f.vec.size(), nullptr,
                                 &err),
            VECTORPIN_OK);
  std::string bad_utf8 = "abc\xc3";
  EXPECT_EQ(vectorpin_verify_f32(f.verifier.get(), f.pin32.get(), bad_utf8.data(), bad_utf8.size(), nullptr, 0,
                                 nullptr, &err),
            VECTORPIN_PARSE_ERROR);
}

// The signed bytes skip the escaper for strings that need no escape; with
// strings that do (quotes, backslashes, DEL, non-ASCII, and in a legacy v1
// extra control characters), they must still equal an independent
// canonical writer's output: nlohmann::json sorts keys by byte order and
// escapes exactly as PROTOCOL.md section 4 says.
std::string canonical_oracle(const std::string& pin_json, int version) {
  test::json header = test::json::parse(pin_json);
  header.erase("sig");
  if (version == 1) header.erase("kid");
  std::string dumped = header.dump(-1, ' ', false, test::json::error_handler_t::strict);
  return version == 2 ? std::string("vectorpin/v2", 12) + '\0' + dumped : dumped;
}

TEST(VerifyPath, SignedBytesMatchAnIndependentCanonicalWriter) {
  test::Signer signer = test::test_signer();
  vectorpin_pin_options* o = nullptr;
  ASSERT_EQ(vectorpin_pin_options_new(&o, nullptr), VECTORPIN_OK);
  test::Options opts(o);
  const std::pair<std::string, std::string> extras[] = {
      {"q\"uote", "back\\slash \"both\""}, {"del", "a\x7f" "b"}, {"caf\xc3\xa9", "na\xc3\xafve \xf0\x9f\x98\x80"},
      {"plain", "nothing to escape"}, {"slash/", "</script>"}};
  for (const auto& [k, v] : extras)
    ASSERT_EQ(vectorpin_pin_options_set_extra(o, k.data(), k.size(), v.data(), v.size(), nullptr), VECTORPIN_OK) << k;
  float vec[3] = {1.0f, -0.0f, 2.5f};
  vectorpin_pin* raw = nullptr;
  vectorpin_error err;
  ASSERT_EQ(vectorpin_signer_pin_f32(signer.get(), &raw, "src", 3, "m\"odel\\x", 8, vec, 3, o, &err), VECTORPIN_OK)
      << err.message;
  test::Pin pin(raw);
  const std::string json = test::to_json(pin.get());
  EXPECT_EQ(test::signed_bytes(pin.get()), canonical_oracle(json, 2));

  // A legacy v1 pin may carry control characters in extra values.
  const std::string hash = "sha256:" + std::string(64, 'a');
  const std::string v1 = std::string("{\"extra\":{\"ctl\":\"a\\u0001b\\tc\\nd\\u001fe\\\"f\\\\\"},") +
                         "\"kid\":\"k\",\"model\":\"m\",\"sig\":\"" + test::b64(std::string(64, '\0')) +
                         "\",\"source_hash\":\"" + hash + "\",\"ts\":\"whenever\",\"v\":1,\"vec_dim\":3," +
                         "\"vec_dtype\":\"f32\",\"vec_hash\":\"" + hash + "\"}";
  ASSERT_EQ(vectorpin_pin_parse(&raw, v1.data(), v1.size(), &err), VECTORPIN_OK) << err.message;
  test::Pin legacy(raw);
  const std::string bytes = test::signed_bytes(legacy.get());
  EXPECT_NE(bytes.find("\\u0001b\\tc\\nd\\u001fe"), std::string::npos) << bytes;
  EXPECT_EQ(bytes, canonical_oracle(v1, 1));
}

TEST(VerifyPath, ReusedBufferHoldsOnlyTheCurrentPin) {
  // A large pin, then a small one, then the large one again, on one thread
  // and on fresh threads: each verifies, and a forged copy of each fails.
  Fixture f;
  const test::Signer& s = f.signer;
  vectorpin_pin_options* o = nullptr;
  ASSERT_EQ(vectorpin_pin_options_new(&o, nullptr), VECTORPIN_OK);
  test::Options opts(o);
  std::string long_value(1000, 'v');
  for (int i = 0; i < 30; ++i) {
    std::string key = "k" + std::to_string(i);
    ASSERT_EQ(vectorpin_pin_options_set_extra(o, key.data(), key.size(), long_value.data(), long_value.size(), nullptr),
              VECTORPIN_OK);
  }
  vectorpin_pin* raw = nullptr;
  float small[2] = {1.0f, 2.0f};
  ASSERT_EQ(vectorpin_signer_pin_f32(s.get(), &raw, "s", 1, "m", 1, small, 2, o, nullptr), VECTORPIN_OK);
  test::Pin big(raw);
  ASSERT_EQ(vectorpin_signer_pin_f32(s.get(), &raw, "s", 1, "m", 1, small, 2, nullptr, nullptr), VECTORPIN_OK);
  test::Pin tiny(raw);

  auto round = [&] {
    int ok = 0;
    for (const vectorpin_pin* p : {big.get(), tiny.get(), big.get(), tiny.get()})
      ok += vectorpin_verify_f32(f.verifier.get(), p, "s", 1, small, 2, nullptr, nullptr) == VECTORPIN_OK;
    return ok;
  };
  EXPECT_EQ(round(), 4);
  int in_thread = 0;
  std::thread t([&] { in_thread = round(); });
  t.join();
  EXPECT_EQ(in_thread, 4);

  // The tiny pin's signature over the big pin's header must fail.
  std::string big_json = test::to_json(big.get());
  std::string tiny_json = test::to_json(tiny.get());
  uint8_t sig[64];
  ASSERT_EQ(vectorpin_pin_signature(tiny.get(), sig, 64, nullptr), VECTORPIN_OK);
  std::string tiny_sig = test::b64(std::string(reinterpret_cast<char*>(sig), 64));
  ASSERT_EQ(vectorpin_pin_signature(big.get(), sig, 64, nullptr), VECTORPIN_OK);
  std::string big_sig = test::b64(std::string(reinterpret_cast<char*>(sig), 64));
  size_t at = big_json.find(big_sig);
  ASSERT_NE(at, std::string::npos);
  big_json.replace(at, big_sig.size(), tiny_sig);
  EXPECT_EQ(vectorpin_verify_json_f32(f.verifier.get(), tiny_json.data(), tiny_json.size(), nullptr, 0, nullptr, 0,
                                      nullptr, nullptr),
            VECTORPIN_OK);
  EXPECT_EQ(vectorpin_verify_json_f32(f.verifier.get(), big_json.data(), big_json.size(), nullptr, 0, nullptr, 0,
                                      nullptr, nullptr),
            VECTORPIN_SIGNATURE_INVALID);
}

}  // namespace
