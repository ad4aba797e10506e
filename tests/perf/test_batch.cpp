// Batch verification gives, item for item, what one-at-a-time verification
// gives: over every verify case of testvectors/extended.json and over a
// synthetic mix, with 1, 2 and "all" threads, in both the one-call and the
// streaming form; and misuse is refused.
#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support.hpp"

#if defined(__linux__)
#include <sched.h>
#endif

namespace {

using test::json;

struct Case {
  std::string name;
  std::string pin;
  std::optional<std::string> source;
  std::vector<float> f32;
  std::vector<double> f64;
  bool has_vector = false;
  bool vector_is_f64 = false;
  std::string expected;
  test::Expectations expectations;
};

struct Group {
  test::Verifier verifier;
  std::vector<Case> cases;
};

// An empty std::vector may have no storage, but an empty vector is still a
// supplied one (a shape mismatch), so it needs a non-NULL pointer.
template <typename T>
const T* data_of(const std::vector<T>& v) {
  static const T kNothing[1] = {};
  return v.empty() ? kNothing : v.data();
}

std::string errstr(const vectorpin_error& e) {
  return std::string(vectorpin_status_name(e.code)) + " @" + std::to_string(e.offset) + " " + e.message;
}

bool same(const vectorpin_error& a, const vectorpin_error& b) {
  return a.code == b.code && a.offset == b.offset && std::strcmp(a.message, b.message) == 0;
}

vectorpin_batch_item item_of(const Case& c) {
  vectorpin_batch_item it = VECTORPIN_BATCH_ITEM_INIT;
  it.pin_json = c.pin.data();
  it.pin_json_len = c.pin.size();
  if (c.source) {
    it.source = c.source->data();
    it.source_len = c.source->size();
  }
  if (c.has_vector) {
    it.vector = c.vector_is_f64 ? static_cast<const void*>(data_of(c.f64)) : static_cast<const void*>(data_of(c.f32));
    it.dim = c.vector_is_f64 ? c.f64.size() : c.f32.size();
    it.vector_dtype = c.vector_is_f64 ? VECTORPIN_DTYPE_F64 : VECTORPIN_DTYPE_F32;
  }
  it.expectations = c.expectations.get();
  return it;
}

vectorpin_error one_at_a_time(const vectorpin_verifier* v, const Case& c) {
  vectorpin_error e;
  const char* src = c.source ? c.source->data() : nullptr;
  size_t src_len = c.source ? c.source->size() : 0;
  vectorpin_status st;
  if (c.has_vector && c.vector_is_f64)
    st = vectorpin_verify_json_f64(v, c.pin.data(), c.pin.size(), src, src_len, data_of(c.f64), c.f64.size(),
                                   c.expectations.get(), &e);
  else if (c.has_vector)
    st = vectorpin_verify_json_f32(v, c.pin.data(), c.pin.size(), src, src_len, data_of(c.f32), c.f32.size(),
                                   c.expectations.get(), &e);
  else
    st = vectorpin_verify_json_f32(v, c.pin.data(), c.pin.size(), src, src_len, nullptr, 0, c.expectations.get(), &e);
  // The outcome is compared through `e`; the returned status must say the same.
  EXPECT_EQ(st, e.code) << c.name;
  return e;
}

vectorpin_status submit(vectorpin_batch* b, uint64_t cookie, const Case& c) {
  const char* src = c.source ? c.source->data() : nullptr;
  size_t src_len = c.source ? c.source->size() : 0;
  if (c.has_vector && c.vector_is_f64)
    return vectorpin_batch_submit_f64(b, cookie, c.pin.data(), c.pin.size(), src, src_len, data_of(c.f64),
                                      c.f64.size(), c.expectations.get(), nullptr);
  return vectorpin_batch_submit_f32(b, cookie, c.pin.data(), c.pin.size(), src, src_len,
                                    c.has_vector ? data_of(c.f32) : nullptr, c.has_vector ? c.f32.size() : 0,
                                    c.expectations.get(), nullptr);
}

// Runs `cases` through every batch form and thread count and compares each
// result with the one-at-a-time one. Returns the number of comparisons.
size_t check_batch_equals_single(const vectorpin_verifier* v, const std::vector<Case>& cases) {
  std::vector<vectorpin_error> single;
  for (const auto& c : cases) single.push_back(one_at_a_time(v, c));
  std::vector<vectorpin_batch_item> items;
  for (const auto& c : cases) items.push_back(item_of(c));
  size_t compared = 0;

  for (uint32_t threads : {1u, 2u, 0u}) {
    std::vector<vectorpin_error> results(cases.size());
    vectorpin_error err;
    EXPECT_EQ(vectorpin_verify_batch(v, results.data(), items.data(), items.size(), threads, &err), VECTORPIN_OK)
        << err.message;
    for (size_t i = 0; i < cases.size(); ++i, ++compared)
      EXPECT_TRUE(same(results[i], single[i]))
          << cases[i].name << " threads " << threads << ": " << errstr(results[i]) << " vs " << errstr(single[i]);

    vectorpin_batch* b = nullptr;
    EXPECT_EQ(vectorpin_batch_new(&b, v, threads, &err), VECTORPIN_OK) << err.message;
    for (size_t i = 0; i < cases.size(); ++i) EXPECT_EQ(submit(b, 1000 + i, cases[i]), VECTORPIN_OK);
    EXPECT_EQ(vectorpin_batch_pending(b), cases.size());
    for (size_t i = 0; i < cases.size(); ++i, ++compared) {
      uint64_t cookie = 0;
      vectorpin_error r;
      EXPECT_EQ(vectorpin_batch_next_result(b, &cookie, &r, 1, nullptr), VECTORPIN_OK);
      EXPECT_EQ(cookie, 1000 + i);
      EXPECT_TRUE(same(r, single[i])) << cases[i].name << " streaming, threads " << threads << ": " << errstr(r)
                                      << " vs " << errstr(single[i]);
    }
    vectorpin_error r;
    EXPECT_EQ(vectorpin_batch_next_result(b, nullptr, &r, 1, nullptr), VECTORPIN_NOT_FOUND);
    EXPECT_EQ(vectorpin_batch_pending(b), 0u);
    vectorpin_batch_free(b);
  }
  return compared;
}

test::Expectations expectations_from(const json& c) {
  static const std::pair<const char*, vectorpin_expectation> kinds[] = {
      {"expected_model", VECTORPIN_EXPECT_MODEL},
      {"expected_record_id", VECTORPIN_EXPECT_RECORD_ID},
      {"expected_collection_id", VECTORPIN_EXPECT_COLLECTION_ID},
      {"expected_tenant_id", VECTORPIN_EXPECT_TENANT_ID}};
  test::Expectations out;
  for (const auto& [field, kind] : kinds) {
    if (!c.contains(field)) continue;
    if (!out) {
      vectorpin_expectations* e = nullptr;
      EXPECT_EQ(vectorpin_expectations_new(&e, nullptr), VECTORPIN_OK);
      out.reset(e);
    }
    std::string value = c[field].get<std::string>();
    EXPECT_EQ(vectorpin_expectations_set(out.get(), kind, value.data(), value.size(), nullptr), VECTORPIN_OK)
        << c.value("name", std::string()) << ": " << field;
  }
  return out;
}

test::Verifier registry_of(const json& c) {
  vectorpin_verifier* v = nullptr;
  EXPECT_EQ(vectorpin_verifier_new(&v, nullptr), VECTORPIN_OK);
  for (const auto& k : c["keys"]) {
    std::string kid = k["kid"].get<std::string>();
    std::string pk = test::unb64(k["public_key_b64"].get<std::string>());
    std::string from = k["valid_from"].is_null() ? "" : k["valid_from"].get<std::string>();
    std::string until = k["valid_until"].is_null() ? "" : k["valid_until"].get<std::string>();
    EXPECT_EQ(vectorpin_verifier_add_key(v, kid.data(), kid.size(), reinterpret_cast<const uint8_t*>(pk.data()),
                                         pk.size(), k["valid_from"].is_null() ? nullptr : from.data(), from.size(),
                                         k["valid_until"].is_null() ? nullptr : until.data(), until.size(), nullptr),
              VECTORPIN_OK);
  }
  EXPECT_EQ(vectorpin_verifier_set_legacy_v1(v, c["legacy_v1"].get<bool>(), nullptr), VECTORPIN_OK);
  return test::Verifier(v);
}

TEST(BatchFixtures, EveryExtendedVerifyCaseMatchesOneAtATime) {
  json doc = test::load_json(test::vectors_dir() + "/extended.json");
  // Cases sharing a registry go into one batch, as an audit would run them.
  std::map<std::string, Group> groups;
  size_t cases = 0;
  for (const auto& c : doc["verify_cases"]) {
    std::string key = c["keys"].dump() + (c["legacy_v1"].get<bool>() ? "+v1" : "");
    Group& g = groups[key];
    if (!g.verifier) g.verifier = registry_of(c);
    Case k;
    k.name = c["name"].get<std::string>();
    k.pin = c.contains("pin_json") ? c["pin_json"].get<std::string>() : test::unb64(c["pin_json_b64"].get<std::string>());
    if (c.contains("source")) k.source = c["source"].get<std::string>();
    if (c.contains("source_b64")) k.source = test::unb64(c["source_b64"].get<std::string>());
    if (c.contains("vector_b64")) {
      k.has_vector = true;
      std::string bytes = test::unb64(c["vector_b64"].get<std::string>());
      k.vector_is_f64 = c["vector_dtype"].get<std::string>() == "f64";
      if (k.vector_is_f64) k.f64 = test::values<double>(bytes);
      else k.f32 = test::values<float>(bytes);
    }
    k.expectations = expectations_from(c);
    k.expected = c["expected"].get<std::string>();
    g.cases.push_back(std::move(k));
    ++cases;
  }
  ASSERT_GT(cases, 100u);
  size_t compared = 0;
  std::map<std::string, int> outcomes;
  for (auto& [key, g] : groups) {
    for (const auto& c : g.cases) {
      vectorpin_error e = one_at_a_time(g.verifier.get(), c);
      EXPECT_EQ(vectorpin_status_name(e.code), c.expected) << c.name;
      ++outcomes[vectorpin_status_name(e.code)];
    }
    compared += check_batch_equals_single(g.verifier.get(), g.cases);
  }
  EXPECT_EQ(compared, cases * 6);
  EXPECT_GE(outcomes.size(), 10u);  // the mix really spans the outcomes
  std::printf("extended.json: %zu verify cases in %zu registries, %zu batch results compared\n", cases,
              groups.size(), compared);
}

// A synthetic mix with a long vector, an oversized pin and f32/f64 inputs.
struct Mix {
  test::Signer signer = test::test_signer();
  test::Verifier verifier = test::verifier_with("test-vectors-v2-2026-05", test::test_public_key());
  std::vector<Case> cases;

  Mix() {
    std::vector<float> vec(3072);
    for (size_t i = 0; i < vec.size(); ++i) vec[i] = static_cast<float>(i) * 0.001f;
    std::string source = "the source text";
    vectorpin_pin* p = nullptr;
    EXPECT_EQ(vectorpin_signer_pin_f32(signer.get(), &p, source.data(), source.size(), "m", 1, vec.data(), vec.size(),
                                       nullptr, nullptr),
              VECTORPIN_OK);
    test::Pin pin(p);
    std::string good = test::to_json(pin.get());

    auto add = [&](const std::string& name, std::string json, std::optional<std::string> src, bool with_vec,
                   bool as_f64, std::vector<float> v) {
      Case c;
      c.name = name;
      c.pin = std::move(json);
      c.source = std::move(src);
      c.has_vector = with_vec;
      c.vector_is_f64 = as_f64;
      if (as_f64) c.f64.assign(v.begin(), v.end());
      else c.f32 = std::move(v);
      cases.push_back(std::move(c));
    };
    std::vector<float> tampered = vec;
    tampered[1234] = -tampered[1234] - 1.0f;
    std::vector<float> nan = vec;
    nan[77] = std::nanf("");
    add("ok", good, source, true, false, vec);
    add("ok_f64_input", good, source, true, true, vec);
    add("ok_signature_only", good, std::nullopt, false, false, {});
    add("tampered", good, source, true, false, tampered);
    add("nan", good, source, true, true, nan);
    add("short", good, source, true, false, std::vector<float>(vec.begin(), vec.end() - 1));
    add("empty_vector", good, source, true, false, {});
    add("wrong_source", good, std::string("another text"), true, false, vec);
    add("empty_source", good, std::string(), false, false, {});
    add("garbage", "{not json", std::nullopt, false, false, {});
    add("empty_json", "", std::nullopt, false, false, {});
    add("oversized", std::string(VECTORPIN_MAX_PIN_JSON_BYTES + 10, ' '), std::nullopt, false, false, {});
    std::string forged = good;
    forged[forged.find("\"sig\":\"") + 8] ^= 1;
    add("forged", forged, source, true, false, vec);
    // A forged signature is what is reported, whatever fails after it.
    add("forged_and_tampered", forged, source, true, false, tampered);
    add("forged_and_wrong_source", forged, std::string("another text"), true, false, vec);
    std::string other_kid = good;
    other_kid.replace(other_kid.find("test-vectors"), 4, "TEST");
    add("unknown_kid", other_kid, std::nullopt, false, false, {});
    for (auto& c : cases)
      if (c.name == "ok_signature_only") {
        vectorpin_expectations* e = nullptr;
        EXPECT_EQ(vectorpin_expectations_new(&e, nullptr), VECTORPIN_OK);
        c.expectations.reset(e);
        EXPECT_EQ(vectorpin_expectations_set(e, VECTORPIN_EXPECT_MODEL, "other", 5, nullptr), VECTORPIN_OK);
      }
  }
};

TEST(Batch, SyntheticMixMatchesOneAtATime) {
  Mix m;
  std::map<int, int> outcomes;
  for (const auto& c : m.cases) ++outcomes[one_at_a_time(m.verifier.get(), c).code];
  EXPECT_GE(outcomes.size(), 7u);
  EXPECT_EQ(outcomes[VECTORPIN_OK], 2);
  EXPECT_EQ(check_batch_equals_single(m.verifier.get(), m.cases), m.cases.size() * 6);
}

TEST(Batch, EmptyBatch) {
  Mix m;
  vectorpin_error err;
  EXPECT_EQ(vectorpin_verify_batch(m.verifier.get(), nullptr, nullptr, 0, 0, &err), VECTORPIN_OK);
  EXPECT_EQ(err.code, VECTORPIN_OK);
  vectorpin_batch* b = nullptr;
  ASSERT_EQ(vectorpin_batch_new(&b, m.verifier.get(), 2, nullptr), VECTORPIN_OK);
  vectorpin_error r, call;
  r.code = -7;
  EXPECT_EQ(vectorpin_batch_next_result(b, nullptr, &r, 0, &call), VECTORPIN_NOT_FOUND);
  EXPECT_EQ(vectorpin_batch_next_result(b, nullptr, &r, 1, &call), VECTORPIN_NOT_FOUND);  // does not block
  EXPECT_EQ(call.code, VECTORPIN_NOT_FOUND);  // the call's own status, in its error
  EXPECT_EQ(r.code, -7);                      // no result was delivered
  EXPECT_EQ(vectorpin_batch_pending(b), 0u);
  vectorpin_batch_free(b);
}

TEST(Batch, MisuseIsRefusedAndWritesNothing) {
  Mix m;
  std::vector<vectorpin_batch_item> items;
  for (const auto& c : m.cases) items.push_back(item_of(c));
  std::vector<vectorpin_error> results(items.size());
  for (auto& r : results) r.code = 12345;
  const vectorpin_verifier* v = m.verifier.get();
  vectorpin_error err;
  EXPECT_EQ(vectorpin_verify_batch(nullptr, results.data(), items.data(), items.size(), 1, &err),
            VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(err.code, VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_verify_batch(v, nullptr, items.data(), items.size(), 1, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_verify_batch(v, results.data(), nullptr, items.size(), 1, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_verify_batch(v, results.data(), items.data(), items.size(), VECTORPIN_BATCH_MAX_THREADS + 1,
                                   &err),
            VECTORPIN_INVALID_ARGUMENT);
  for (const auto& r : results) EXPECT_EQ(r.code, 12345);
  EXPECT_EQ(vectorpin_batch_max_threads(), static_cast<uint32_t>(VECTORPIN_BATCH_MAX_THREADS));

  vectorpin_batch* b = reinterpret_cast<vectorpin_batch*>(&err);  // must be overwritten with NULL
  EXPECT_EQ(vectorpin_batch_new(&b, nullptr, 1, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(b, nullptr);
  EXPECT_EQ(vectorpin_batch_new(nullptr, v, 1, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_batch_new(&b, v, VECTORPIN_BATCH_MAX_THREADS + 1, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(b, nullptr);

  float x = 1.0f;
  EXPECT_EQ(vectorpin_batch_submit_f32(nullptr, 1, "{}", 2, nullptr, 0, nullptr, 0, nullptr, &err),
            VECTORPIN_INVALID_ARGUMENT);
  ASSERT_EQ(vectorpin_batch_new(&b, v, 1, &err), VECTORPIN_OK);
  EXPECT_EQ(vectorpin_batch_submit_f32(b, 1, nullptr, 5, nullptr, 0, nullptr, 0, nullptr, &err),
            VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_batch_submit_f32(b, 1, "{}", 2, nullptr, 3, nullptr, 0, nullptr, &err),
            VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_batch_submit_f64(b, 1, "{}", 2, nullptr, 0, nullptr, 3, nullptr, &err),
            VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_batch_pending(b), 0u);  // nothing was queued
  EXPECT_EQ(vectorpin_batch_submit_f32(b, 1, "{}", 2, nullptr, 0, &x, 1, nullptr, &err), VECTORPIN_OK);
  vectorpin_error r, call;
  r.code = -7;
  EXPECT_EQ(vectorpin_batch_next_result(nullptr, nullptr, &r, 1, &call), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(call.code, VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(r.code, -7);
  EXPECT_EQ(vectorpin_batch_next_result(b, nullptr, nullptr, 1, nullptr), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_batch_pending(b), 1u);
  EXPECT_EQ(vectorpin_batch_next_result(b, nullptr, &r, 1, nullptr), VECTORPIN_OK);
  EXPECT_EQ(r.code, VECTORPIN_PARSE_ERROR);
  vectorpin_batch_free(b);
  vectorpin_batch_free(nullptr);
  EXPECT_EQ(vectorpin_batch_pending(nullptr), 0u);
  EXPECT_EQ(vectorpin_batch_threads(nullptr), 0u);
}

TEST(Batch, AnItemsOwnMisuseSparesTheOthers) {
  Mix m;
  std::vector<vectorpin_batch_item> items;
  for (const auto& c : m.cases) items.push_back(item_of(c));
  items[1].source = nullptr;  // with a non-zero length
  items[3].vector_dtype = 7;
  items[4].version = 2;  // differs from the first item's
  items[5].vector = nullptr;  // with dim 3071
  std::vector<vectorpin_error> results(items.size());
  ASSERT_EQ(vectorpin_verify_batch(m.verifier.get(), results.data(), items.data(), items.size(), 2, nullptr),
            VECTORPIN_OK);
  for (size_t i = 0; i < items.size(); ++i) {
    if (i == 1 || i == 3 || i == 4 || i == 5) {
      EXPECT_EQ(results[i].code, VECTORPIN_INVALID_ARGUMENT) << i;
    } else {
      EXPECT_TRUE(same(results[i], one_at_a_time(m.verifier.get(), m.cases[i]))) << m.cases[i].name;
    }
  }
  EXPECT_EQ(results[0].code, VECTORPIN_OK);
}

TEST(Batch, ThreadCounts) {
  Mix m;
  vectorpin_batch* b = nullptr;
  ASSERT_EQ(vectorpin_batch_new(&b, m.verifier.get(), 0, nullptr), VECTORPIN_OK);
  // "Every core" means the ones this process may run on.
  unsigned cores = std::thread::hardware_concurrency();
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  ASSERT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  cores = static_cast<unsigned>(CPU_COUNT(&set));
#endif
  EXPECT_EQ(vectorpin_batch_threads(b), cores == 0 ? 1u : std::min(cores, 256u));
  vectorpin_batch_free(b);
  ASSERT_EQ(vectorpin_batch_new(&b, m.verifier.get(), 3, nullptr), VECTORPIN_OK);
  EXPECT_EQ(vectorpin_batch_threads(b), 3u);
  vectorpin_batch_free(b);
}

#if defined(__linux__)
TEST(Batch, AllCoresMeansTheCoresThisProcessMayUse) {
  // Pinned to one CPU (as taskset or a container limit would), "0 threads"
  // starts one worker, not one per CPU of the machine.
  Mix m;
  cpu_set_t saved;
  ASSERT_EQ(sched_getaffinity(0, sizeof saved, &saved), 0);
  int first = -1;
  for (int c = 0; c < CPU_SETSIZE && first < 0; ++c)
    if (CPU_ISSET(c, &saved)) first = c;
  ASSERT_GE(first, 0);
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
  vectorpin_batch* b = nullptr;
  vectorpin_status st = vectorpin_batch_new(&b, m.verifier.get(), 0, nullptr);
  const uint32_t threads = vectorpin_batch_threads(b);
  vectorpin_batch_free(b);
  ASSERT_EQ(sched_setaffinity(0, sizeof saved, &saved), 0);
  EXPECT_EQ(st, VECTORPIN_OK);
  EXPECT_EQ(threads, 1u);
}
#endif

TEST(Batch, StreamingCopiesInputsAtSubmit) {
  Mix m;
  const Case& ok = m.cases[0];
  vectorpin_batch* b = nullptr;
  ASSERT_EQ(vectorpin_batch_new(&b, m.verifier.get(), 2, nullptr), VECTORPIN_OK);
  for (int round = 0; round < 20; ++round) {
    std::string pin = ok.pin;
    std::string source = *ok.source;
    std::vector<float> vec = ok.f32;
    vectorpin_expectations* e = nullptr;
    ASSERT_EQ(vectorpin_expectations_new(&e, nullptr), VECTORPIN_OK);
    ASSERT_EQ(vectorpin_expectations_set(e, VECTORPIN_EXPECT_MODEL, round % 2 ? "m" : "x", 1, nullptr), VECTORPIN_OK);
    ASSERT_EQ(vectorpin_batch_submit_f32(b, static_cast<uint64_t>(round), pin.data(), pin.size(), source.data(),
                                         source.size(), vec.data(), vec.size(), e, nullptr),
              VECTORPIN_OK);
    // Everything the caller passed is gone or scribbled over at once.
    vectorpin_expectations_free(e);
    std::fill(pin.begin(), pin.end(), 'x');
    std::fill(source.begin(), source.end(), 'x');
    std::fill(vec.begin(), vec.end(), 9.0f);
  }
  for (int round = 0; round < 20; ++round) {
    uint64_t cookie = 99;
    vectorpin_error r;
    ASSERT_EQ(vectorpin_batch_next_result(b, &cookie, &r, 1, nullptr), VECTORPIN_OK);
    EXPECT_EQ(cookie, static_cast<uint64_t>(round));
    EXPECT_EQ(r.code, round % 2 ? VECTORPIN_OK : VECTORPIN_MODEL_MISMATCH) << r.message;
  }
  vectorpin_batch_free(b);
}

TEST(Batch, PollingWithoutWaitingCollectsEverything) {
  Mix m;
  vectorpin_batch* b = nullptr;
  ASSERT_EQ(vectorpin_batch_new(&b, m.verifier.get(), 2, nullptr), VECTORPIN_OK);
  const size_t n = 40;
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(submit(b, i, m.cases[i % m.cases.size()]), VECTORPIN_OK);
  size_t got = 0, not_ready = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (got < n && std::chrono::steady_clock::now() < deadline) {
    uint64_t cookie;
    vectorpin_error r;
    vectorpin_status st = vectorpin_batch_next_result(b, &cookie, &r, 0, nullptr);
    if (st == VECTORPIN_NOT_FOUND) {
      ++not_ready;
      std::this_thread::yield();
      continue;
    }
    ASSERT_EQ(st, VECTORPIN_OK);
    EXPECT_EQ(cookie, got);
    EXPECT_TRUE(same(r, one_at_a_time(m.verifier.get(), m.cases[got % m.cases.size()])));
    ++got;
  }
  EXPECT_EQ(got, n);
  EXPECT_EQ(vectorpin_batch_pending(b), 0u);
  vectorpin_batch_free(b);
}

TEST(Batch, ProducerAndConsumerOnDifferentThreads) {
  Mix m;
  vectorpin_batch* b = nullptr;
  ASSERT_EQ(vectorpin_batch_new(&b, m.verifier.get(), 2, nullptr), VECTORPIN_OK);
  std::vector<vectorpin_error> expected;
  for (const auto& c : m.cases) expected.push_back(one_at_a_time(m.verifier.get(), c));
  const size_t n = 300;
  std::atomic<size_t> submitted{0};
  std::thread producer([&] {
    for (size_t i = 0; i < n; ++i) {
      // Keep at most 16 in flight, as an audit bounding its memory would.
      while (vectorpin_batch_pending(b) >= 16) std::this_thread::yield();
      if (submit(b, i, m.cases[i % m.cases.size()]) == VECTORPIN_OK) ++submitted;
    }
  });
  size_t got = 0, mismatched = 0;
  while (got < n) {
    uint64_t cookie;
    vectorpin_error r;
    if (vectorpin_batch_next_result(b, &cookie, &r, 1, nullptr) != VECTORPIN_OK) {
      std::this_thread::yield();  // the producer has not caught up yet
      continue;
    }
    if (cookie != got || !same(r, expected[got % expected.size()])) ++mismatched;
    ++got;
  }
  producer.join();
  EXPECT_EQ(submitted.load(), n);
  EXPECT_EQ(mismatched, 0u);
  vectorpin_batch_free(b);
}

// Many more threads than cores, several batches at once on one verifier,
// and streaming with several producers: every result is still exactly the
// one-at-a-time result of its own item.
TEST(BatchStress, ManyThreadsManyItems) {
  Mix m;
  std::vector<vectorpin_error> expected;
  for (const auto& c : m.cases) expected.push_back(one_at_a_time(m.verifier.get(), c));
  const size_t n = 1500;
  std::vector<vectorpin_batch_item> items;
  for (size_t i = 0; i < n; ++i) items.push_back(item_of(m.cases[(i * 7) % m.cases.size()]));
  for (uint32_t threads : {64u, static_cast<uint32_t>(VECTORPIN_BATCH_MAX_THREADS)}) {
    std::vector<vectorpin_error> results(n);
    ASSERT_EQ(vectorpin_verify_batch(m.verifier.get(), results.data(), items.data(), n, threads, nullptr),
              VECTORPIN_OK);
    size_t mismatched = 0;
    for (size_t i = 0; i < n; ++i) mismatched += !same(results[i], expected[(i * 7) % m.cases.size()]);
    EXPECT_EQ(mismatched, 0u) << threads << " threads";
  }
}

TEST(BatchStress, ConcurrentBatchesOnOneVerifier) {
  Mix m;
  std::vector<vectorpin_error> expected;
  for (const auto& c : m.cases) expected.push_back(one_at_a_time(m.verifier.get(), c));
  std::vector<vectorpin_batch_item> items;
  for (size_t i = 0; i < 200; ++i) items.push_back(item_of(m.cases[i % m.cases.size()]));
  std::atomic<size_t> mismatched{0}, failed_calls{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 6; ++c) {
    callers.emplace_back([&, c] {
      std::vector<vectorpin_error> results(items.size());
      if (vectorpin_verify_batch(m.verifier.get(), results.data(), items.data(), items.size(),
                                 static_cast<uint32_t>(c % 3 + 2), nullptr) != VECTORPIN_OK)
        ++failed_calls;
      for (size_t i = 0; i < items.size(); ++i) mismatched += !same(results[i], expected[i % m.cases.size()]);
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(failed_calls.load(), 0u);
  EXPECT_EQ(mismatched.load(), 0u);
}

TEST(BatchStress, StreamingWithSeveralProducers) {
  Mix m;
  std::vector<vectorpin_error> expected;
  for (const auto& c : m.cases) expected.push_back(one_at_a_time(m.verifier.get(), c));
  vectorpin_batch* b = nullptr;
  ASSERT_EQ(vectorpin_batch_new(&b, m.verifier.get(), 32, nullptr), VECTORPIN_OK);
  EXPECT_EQ(vectorpin_batch_threads(b), 32u);
  const size_t producers = 4, per_producer = 150, n = producers * per_producer;
  std::atomic<size_t> submit_failures{0};
  std::vector<std::thread> threads;
  for (size_t p = 0; p < producers; ++p) {
    threads.emplace_back([&, p] {
      for (size_t i = 0; i < per_producer; ++i) {
        // The cookie says which case was submitted, so the consumer can
        // check each result whatever order the producers interleaved in.
        const size_t which = (p * per_producer + i) % m.cases.size();
        const uint64_t cookie = (static_cast<uint64_t>(p) << 32) | (static_cast<uint64_t>(i) << 8) | which;
        if (submit(b, cookie, m.cases[which]) != VECTORPIN_OK) ++submit_failures;
      }
    });
  }
  std::vector<size_t> next_index(producers, 0);
  size_t got = 0, mismatched = 0, out_of_order = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (got < n && std::chrono::steady_clock::now() < deadline) {
    uint64_t cookie = 0;
    vectorpin_error r;
    if (vectorpin_batch_next_result(b, &cookie, &r, 1, nullptr) != VECTORPIN_OK) {
      std::this_thread::yield();  // producers still catching up
      continue;
    }
    const size_t p = static_cast<size_t>(cookie >> 32), i = static_cast<size_t>((cookie >> 8) & 0xffffff),
                 which = static_cast<size_t>(cookie & 0xff);
    ASSERT_LT(p, producers);
    // One producer's items come back in the order it submitted them.
    if (i != next_index[p]) ++out_of_order;
    next_index[p] = i + 1;
    if (!same(r, expected[which])) ++mismatched;
    ++got;
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(got, n);
  EXPECT_EQ(submit_failures.load(), 0u);
  EXPECT_EQ(mismatched, 0u);
  EXPECT_EQ(out_of_order, 0u);
  EXPECT_EQ(vectorpin_batch_pending(b), 0u);
  vectorpin_batch_free(b);
}

TEST(Batch, FreeWithWorkInFlight) {
  Mix m;
  for (uint32_t threads : {1u, 2u}) {
    vectorpin_batch* b = nullptr;
    ASSERT_EQ(vectorpin_batch_new(&b, m.verifier.get(), threads, nullptr), VECTORPIN_OK);
    for (size_t i = 0; i < 100; ++i) ASSERT_EQ(submit(b, i, m.cases[0]), VECTORPIN_OK);
    uint64_t cookie;
    vectorpin_error r;
    ASSERT_EQ(vectorpin_batch_next_result(b, &cookie, &r, 1, nullptr), VECTORPIN_OK);
    EXPECT_EQ(r.code, VECTORPIN_OK);
    vectorpin_batch_free(b);  // 99 queued or running: dropped without waiting for all
  }
}

}  // namespace
