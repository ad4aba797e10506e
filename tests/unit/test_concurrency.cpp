// One verifier and one signer shared by many threads (also run under TSan).
#include <atomic>
#include <thread>

#include "support.hpp"

namespace {

TEST(Concurrency, SharedVerifierAndSigner) {
  test::Signer signer = test::test_signer();
  test::Verifier verifier = test::verifier_with("test-vectors-v2-2026-05", test::test_public_key());
  constexpr int kPins = 16;
  std::vector<std::string> pins;
  std::vector<std::vector<float>> vectors;
  for (int i = 0; i < kPins; ++i) {
    vectors.push_back({static_cast<float>(i), 0.5f, -1.0f});
    std::string src = "doc " + std::to_string(i);
    vectorpin_pin* p = nullptr;
    ASSERT_EQ(vectorpin_signer_pin_f32(signer.get(), &p, src.data(), src.size(), "m", 1, vectors.back().data(), 3, nullptr,
                                       nullptr),
              VECTORPIN_OK);
    pins.push_back(test::to_json(p));
    vectorpin_pin_free(p);
  }
  std::atomic<int> wrong{0}, done{0};
  auto worker = [&](int t) {
    for (int round = 0; round < 200; ++round) {
      int i = (round + t) % kPins;
      std::string src = "doc " + std::to_string(i);
      std::vector<float> v = vectors[i];
      bool tamper = (round % 3) == 0;
      if (tamper) v[1] += 1.0f;
      vectorpin_error err;
      vectorpin_status st = vectorpin_verify_json_f32(verifier.get(), pins[i].data(), pins[i].size(), src.data(), src.size(),
                                                      v.data(), v.size(), nullptr, &err);
      if (st != (tamper ? VECTORPIN_VECTOR_TAMPERED : VECTORPIN_OK)) ++wrong;
      if (round % 50 == 0) {  // signing concurrently with the same signer
        vectorpin_pin* p = nullptr;
        if (vectorpin_signer_pin_f32(signer.get(), &p, src.data(), src.size(), "m", 1, v.data(), 3, nullptr, nullptr) !=
            VECTORPIN_OK)
          ++wrong;
        vectorpin_pin_free(p);
      }
      ++done;
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) threads.emplace_back(worker, t);
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(done.load(), 8 * 200);
}

}  // namespace
