// One verifier shared by 8 threads, each verifying a mix of valid and
// invalid pins; every result must be exactly what a single thread gets.
// Run under TSan (label `concurrency`) this also proves the verify path
// shares no unsynchronized state.
#include <atomic>
#include <thread>

#include "support.hpp"

using namespace hostile;

TEST(HostileConcurrency, OneVerifierEightThreads) {
  VerifierHandle v{make_verifier()};
  const std::vector<float> vec = {0.5f, -1.0f, 2.0f};
  struct Case {
    std::string pin;
    std::string source;
    std::vector<float> vec;
    int expected;
  };
  std::vector<Case> cases;
  std::string good = sign_json(vec, "doc", {{"vectorpin.record_id", "r1"}});
  cases.push_back({good, "doc", vec, VECTORPIN_OK});
  cases.push_back({good, "other", vec, VECTORPIN_SOURCE_MISMATCH});
  cases.push_back({good, "doc", {0.5f, -1.0f, 2.5f}, VECTORPIN_VECTOR_TAMPERED});
  cases.push_back({good, "doc", {0.5f, -1.0f}, VECTORPIN_SHAPE_MISMATCH});
  cases.push_back({replace_once(good, "\"model\":\"m\"", "\"model\":\"n\""), "doc", vec,
                   VECTORPIN_SIGNATURE_INVALID});
  cases.push_back({replace_once(good, "\"kid\":\"hostile-kid\"", "\"kid\":\"nobody\""), "doc", vec,
                   VECTORPIN_UNKNOWN_KEY});
  cases.push_back({good.substr(0, good.size() - 1), "doc", vec, VECTORPIN_PARSE_ERROR});
  cases.push_back({replace_once(good, "\"v\":2", "\"v\":1"), "doc", vec, VECTORPIN_UNSUPPORTED_VERSION});

  // Single-threaded answers first, as the reference.
  for (const auto& c : cases) {
    int st = vectorpin_verify_json_f32(v.v, c.pin.data(), c.pin.size(), c.source.data(), c.source.size(),
                                       c.vec.data(), c.vec.size(), nullptr, nullptr);
    ASSERT_EQ(status_name(st), status_name(c.expected));
  }

  // Parsed handles are shared across threads as well.
  std::vector<vectorpin_pin*> parsed(cases.size(), nullptr);
  // A pin that does not parse (the truncated and the v1 one) is verified
  // from JSON only, and its parse fails for the reason verification gives.
  for (size_t i = 0; i < cases.size(); ++i) {
    int st = vectorpin_pin_parse(&parsed[i], cases[i].pin.data(), cases[i].pin.size(), nullptr);
    EXPECT_TRUE(st == VECTORPIN_OK || st == cases[i].expected) << "case " << i << ": " << status_name(st);
    EXPECT_EQ(parsed[i] != nullptr, st == VECTORPIN_OK) << "case " << i;
  }

  constexpr int kThreads = 8;
  constexpr int kRounds = 150;
  std::atomic<int> wrong{0}, done{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int r = 0; r < kRounds; ++r) {
        const size_t i = static_cast<size_t>(t + r) % cases.size();
        const Case& c = cases[i];
        vectorpin_error e;
        int st;
        if (parsed[i] != nullptr && (r & 1))
          st = vectorpin_verify_f32(v.v, parsed[i], c.source.data(), c.source.size(), c.vec.data(), c.vec.size(),
                                    nullptr, &e);
        else
          st = vectorpin_verify_json_f32(v.v, c.pin.data(), c.pin.size(), c.source.data(), c.source.size(),
                                         c.vec.data(), c.vec.size(), nullptr, &e);
        if (st != c.expected || e.code != st) wrong.fetch_add(1);
        done.fetch_add(1);
      }
    });
  }
  go.store(true);
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(done.load(), kThreads * kRounds);
  for (auto* p : parsed) vectorpin_pin_free(p);
}
