// The public C API: signing options and refusals, pins, verifiers,
// registries, keys and key files, constants, status names and misuse.
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.hpp"

namespace fs = std::filesystem;

namespace {

const std::vector<float> kVec = {0.25f, -0.5f, 1.0f, 0.125f};

struct Made {
  test::Pin pin;
  vectorpin_status status;
  std::string detail;
};

Made make_pin(const vectorpin_signer* s, const std::string& source, const std::string& model, const std::vector<float>& v,
              const vectorpin_pin_options* opts = nullptr) {
  vectorpin_pin* pin = nullptr;
  vectorpin_error err;
  vectorpin_status st = vectorpin_signer_pin_f32(s, &pin, source.data(), source.size(), model.data(), model.size(),
                                                 v.empty() ? nullptr : v.data(), v.size(), opts, &err);
  return {test::Pin(pin), st, err.message};
}

test::Options options() {
  vectorpin_pin_options* o = nullptr;
  EXPECT_EQ(vectorpin_pin_options_new(&o, nullptr), VECTORPIN_OK);
  return test::Options(o);
}

vectorpin_status verify_pin(const vectorpin_verifier* v, const vectorpin_pin* p, const std::string* source,
                            const std::vector<float>* vec, const vectorpin_expectations* e = nullptr,
                            vectorpin_error* err = nullptr) {
  return vectorpin_verify_f32(v, p, source ? source->data() : nullptr, source ? source->size() : 0,
                              vec ? vec->data() : nullptr, vec ? vec->size() : 0, e, err);
}

std::string get(const vectorpin_pin* p, vectorpin_pin_field f) {
  const char* s = nullptr;
  size_t n = 0;
  EXPECT_EQ(vectorpin_pin_get(p, &s, &n, f, nullptr), VECTORPIN_OK);
  return std::string(s, n);
}

TEST(Constants, MacrosEqualFunctions) {
  EXPECT_STREQ(vectorpin_version_string(), VECTORPIN_VERSION_STRING);
  EXPECT_EQ(vectorpin_version_number(), static_cast<uint32_t>(VECTORPIN_VERSION_NUMBER));
  EXPECT_EQ(vectorpin_version_number(),
            VECTORPIN_VERSION_MAJOR * 10000u + VECTORPIN_VERSION_MINOR * 100u + VECTORPIN_VERSION_PATCH);
  EXPECT_EQ(vectorpin_abi_version(), static_cast<uint32_t>(VECTORPIN_ABI_VERSION));
  EXPECT_EQ(vectorpin_protocol_version(), 2u);
  EXPECT_EQ(vectorpin_public_key_bytes(), size_t{VECTORPIN_PUBLIC_KEY_BYTES});
  EXPECT_EQ(vectorpin_seed_bytes(), size_t{VECTORPIN_SEED_BYTES});
  EXPECT_EQ(vectorpin_signature_bytes(), size_t{VECTORPIN_SIGNATURE_BYTES});
  EXPECT_EQ(vectorpin_hash_string_buffer_bytes(), size_t{VECTORPIN_HASH_STRING_BUFFER_BYTES});
  EXPECT_EQ(vectorpin_fingerprint_buffer_bytes(), size_t{VECTORPIN_FINGERPRINT_BUFFER_BYTES});
  EXPECT_EQ(vectorpin_timestamp_buffer_bytes(), size_t{VECTORPIN_TIMESTAMP_BUFFER_BYTES});
  EXPECT_EQ(vectorpin_max_pin_json_bytes(), size_t{65536});
  EXPECT_EQ(vectorpin_max_vec_dim(), size_t{1048576});
  EXPECT_EQ(vectorpin_max_extra_entries(), size_t{32});
  EXPECT_EQ(vectorpin_max_extra_key_bytes(), size_t{128});
  EXPECT_EQ(vectorpin_max_extra_value_bytes(), size_t{1024});
  EXPECT_EQ(vectorpin_error_message_bytes(), sizeof(vectorpin_error{}.message));
  EXPECT_EQ(vectorpin_default_prepared_key_limit(), size_t{VECTORPIN_DEFAULT_PREPARED_KEY_LIMIT});
  EXPECT_EQ(vectorpin_default_prepared_key_limit(), size_t{128});
}

TEST(Status, NamesAreStableAndDistinct) {
  const std::pair<int, const char*> kNames[] = {
      {0, "OK"},                {1, "UNSUPPORTED_VERSION"}, {2, "UNKNOWN_KEY"},         {3, "KEY_EXPIRED"},
      {4, "PARSE_ERROR"},       {5, "SIGNATURE_INVALID"},   {6, "VECTOR_TAMPERED"},     {7, "SOURCE_MISMATCH"},
      {8, "MODEL_MISMATCH"},    {9, "SHAPE_MISMATCH"},      {10, "RECORD_MISMATCH"},    {11, "COLLECTION_MISMATCH"},
      {12, "TENANT_MISMATCH"},  {100, "INVALID_ARGUMENT"},  {101, "INVALID_INPUT"},     {102, "INVALID_KEY"},
      {103, "DUPLICATE_KEY_ID"}, {104, "BUFFER_TOO_SMALL"}, {105, "OUT_OF_MEMORY"},     {106, "IO_ERROR"},
      {107, "FILE_EXISTS"},     {108, "INSECURE_PERMISSIONS"}, {109, "EXTERNAL_SIGNER_FAILED"}, {110, "NOT_FOUND"},
      {111, "INTERNAL_ERROR"}};
  std::set<std::string> seen;
  for (const auto& [code, name] : kNames) {
    EXPECT_STREQ(vectorpin_status_name(code), name);
    EXPECT_TRUE(seen.insert(name).second);
    EXPECT_EQ(vectorpin_status_is_verification_failure(code), code >= 1 && code <= 12) << name;
  }
  EXPECT_STREQ(vectorpin_status_name(13), "UNKNOWN_STATUS");
  EXPECT_STREQ(vectorpin_status_name(-1), "UNKNOWN_STATUS");
}

TEST(Signer, GenerateSignVerify) {
  vectorpin_signer* raw = nullptr;
  ASSERT_EQ(vectorpin_signer_generate(&raw, "k1", 2, nullptr), VECTORPIN_OK);
  test::Signer s(raw);
  uint8_t pk[32];
  ASSERT_EQ(vectorpin_signer_public_key(s.get(), pk, sizeof pk, nullptr), VECTORPIN_OK);
  Made m = make_pin(s.get(), "text", "model", kVec);
  ASSERT_EQ(m.status, VECTORPIN_OK) << m.detail;
  EXPECT_EQ(vectorpin_pin_version(m.pin.get()), 2);
  test::Verifier v = test::verifier_with("k1", std::string(reinterpret_cast<char*>(pk), 32));
  std::string src = "text";
  EXPECT_EQ(verify_pin(v.get(), m.pin.get(), &src, &kVec), VECTORPIN_OK);
  // Two generated keys differ.
  vectorpin_signer* raw2 = nullptr;
  ASSERT_EQ(vectorpin_signer_generate(&raw2, "k1", 2, nullptr), VECTORPIN_OK);
  test::Signer s2(raw2);
  uint8_t pk2[32];
  EXPECT_EQ(vectorpin_signer_public_key(s2.get(), pk2, sizeof pk2, nullptr), VECTORPIN_OK);
  EXPECT_NE(std::memcmp(pk, pk2, 32), 0);
}

TEST(Signer, DefaultTimestampIsNowAndCanonical) {
  test::Signer s = test::test_signer();
  char before[VECTORPIN_TIMESTAMP_BUFFER_BYTES], after[VECTORPIN_TIMESTAMP_BUFFER_BYTES];
  EXPECT_EQ(vectorpin_timestamp_now(before, sizeof before, nullptr), VECTORPIN_OK);
  Made m = make_pin(s.get(), "t", "m", kVec);
  EXPECT_EQ(vectorpin_timestamp_now(after, sizeof after, nullptr), VECTORPIN_OK);
  std::string ts = get(m.pin.get(), VECTORPIN_FIELD_TS);
  EXPECT_EQ(vectorpin_timestamp_check(ts.data(), ts.size(), nullptr), VECTORPIN_OK);
  EXPECT_GE(ts, std::string(before));
  EXPECT_LE(ts, std::string(after));
}

TEST(Signer, OptionsAreApplied) {
  test::Signer s = test::test_signer();
  test::Options o = options();
  std::string mh = "sha256:" + std::string(64, 'c'), ts = "2030-01-02T03:04:05Z";
  ASSERT_EQ(vectorpin_pin_options_set_model_hash(o.get(), mh.data(), mh.size(), nullptr), VECTORPIN_OK);
  ASSERT_EQ(vectorpin_pin_options_set_timestamp(o.get(), ts.data(), ts.size(), nullptr), VECTORPIN_OK);
  ASSERT_EQ(vectorpin_pin_options_set_dtype(o.get(), VECTORPIN_DTYPE_F64, nullptr), VECTORPIN_OK);
  ASSERT_EQ(vectorpin_pin_options_set_extra(o.get(), "z", 1, "1", 1, nullptr), VECTORPIN_OK);
  ASSERT_EQ(vectorpin_pin_options_set_extra(o.get(), "a", 1, "old", 3, nullptr), VECTORPIN_OK);
  ASSERT_EQ(vectorpin_pin_options_set_extra(o.get(), "a", 1, "new", 3, nullptr), VECTORPIN_OK);  // replaces
  Made m = make_pin(s.get(), "t", "m", kVec, o.get());
  ASSERT_EQ(m.status, VECTORPIN_OK) << m.detail;
  EXPECT_EQ(get(m.pin.get(), VECTORPIN_FIELD_MODEL_HASH), mh);
  EXPECT_EQ(get(m.pin.get(), VECTORPIN_FIELD_TS), ts);
  EXPECT_EQ(get(m.pin.get(), VECTORPIN_FIELD_VEC_DTYPE), "f64");
  EXPECT_EQ(vectorpin_pin_dtype(m.pin.get()), VECTORPIN_DTYPE_F64);
  EXPECT_EQ(vectorpin_pin_vec_dim(m.pin.get()), 4u);
  ASSERT_EQ(vectorpin_pin_extra_count(m.pin.get()), 2u);
  const char *k, *val;
  size_t kn, vn;
  ASSERT_EQ(vectorpin_pin_extra_at(m.pin.get(), &k, &kn, &val, &vn, 0, nullptr), VECTORPIN_OK);
  EXPECT_EQ(std::string(k, kn), "a");  // sorted
  EXPECT_EQ(std::string(val, vn), "new");
  EXPECT_EQ(vectorpin_pin_extra_at(m.pin.get(), &k, &kn, &val, &vn, 2, nullptr), VECTORPIN_NOT_FOUND);
  ASSERT_EQ(vectorpin_pin_extra_get(m.pin.get(), &val, &vn, "z", 1, nullptr), VECTORPIN_OK);
  EXPECT_EQ(std::string(val, vn), "1");
  EXPECT_EQ(vectorpin_pin_extra_get(m.pin.get(), &val, &vn, "q", 1, nullptr), VECTORPIN_NOT_FOUND);
  // The f64 hash of f32 input equals hashing the widened values.
  std::vector<double> wide(kVec.begin(), kVec.end());
  char h[VECTORPIN_HASH_STRING_BUFFER_BYTES];
  EXPECT_EQ(vectorpin_hash_vector_f64(h, sizeof h, wide.data(), wide.size(), VECTORPIN_DTYPE_F64, nullptr), VECTORPIN_OK);
  EXPECT_EQ(get(m.pin.get(), VECTORPIN_FIELD_VEC_HASH), h);
  // Removing the dtype override and the model hash.
  EXPECT_EQ(vectorpin_pin_options_set_dtype(o.get(), VECTORPIN_DTYPE_DEFAULT, nullptr), VECTORPIN_OK);
  EXPECT_EQ(vectorpin_pin_options_set_model_hash(o.get(), nullptr, 0, nullptr), VECTORPIN_OK);
  Made m2 = make_pin(s.get(), "t", "m", kVec, o.get());
  EXPECT_EQ(get(m2.pin.get(), VECTORPIN_FIELD_VEC_DTYPE), "f32");
  const char* p;
  size_t n;
  EXPECT_EQ(vectorpin_pin_get(m2.pin.get(), &p, &n, VECTORPIN_FIELD_MODEL_HASH, nullptr), VECTORPIN_NOT_FOUND);
}

TEST(Signer, NormalizesToNfc) {
  test::Signer s = test::test_signer("kid-e\xcc\x81");
  const char* kid;
  size_t kid_len;
  EXPECT_EQ(vectorpin_signer_kid(s.get(), &kid, &kid_len, nullptr), VECTORPIN_OK);
  EXPECT_EQ(std::string(kid, kid_len), "kid-\xc3\xa9");
  test::Options o = options();
  EXPECT_EQ(vectorpin_pin_options_set_extra(o.get(), "ke\xcc\x81y", 5, "ve\xcc\x81", 4, nullptr), VECTORPIN_OK);
  Made m = make_pin(s.get(), "t", "mode\xcc\x80le", kVec, o.get());
  ASSERT_EQ(m.status, VECTORPIN_OK) << m.detail;
  EXPECT_EQ(get(m.pin.get(), VECTORPIN_FIELD_MODEL), "mod\xc3\xa8le");
  const char* val;
  size_t vn;
  ASSERT_EQ(vectorpin_pin_extra_get(m.pin.get(), &val, &vn, "k\xc3\xa9y", 4, nullptr), VECTORPIN_OK);
  EXPECT_EQ(std::string(val, vn), "v\xc3\xa9");
  // Two keys that collide after NFC are refused rather than one silently lost.
  EXPECT_EQ(vectorpin_pin_options_set_extra(o.get(), "k\xc3\xa9y", 4, "other", 5, nullptr), VECTORPIN_OK);
  EXPECT_EQ(make_pin(s.get(), "t", "m", kVec, o.get()).status, VECTORPIN_INVALID_INPUT);
}

TEST(Signer, RefusalsNameTheField) {
  test::Signer s = test::test_signer();
  struct Case {
    std::string model;
    std::vector<float> vec;
    std::string source;
    const char* needle;
  } cases[] = {
      {"", kVec, "t", "model"},
      {"a\x01", kVec, "t", "model"},
      {"m", {}, "t", "empty"},
      {"m", {1.0f, std::nanf("")}, "t", "element 1"},
      {"m", kVec, "bad \xff", "source"},
      {"m\xff", kVec, "t", "model"},
  };
  for (const auto& c : cases) {
    Made m = make_pin(s.get(), c.source, c.model, c.vec);
    EXPECT_EQ(m.status, VECTORPIN_INVALID_INPUT) << c.needle;
    EXPECT_EQ(m.pin, nullptr);
    EXPECT_NE(m.detail.find(c.needle), std::string::npos) << m.detail;
  }
  vectorpin_signer* bad = nullptr;
  auto seed = test::test_seed();
  EXPECT_EQ(vectorpin_signer_from_seed(&bad, "", 0, seed.data(), 32, nullptr), VECTORPIN_INVALID_INPUT);
  EXPECT_EQ(vectorpin_signer_from_seed(&bad, "a\xe2\x81\xa7", 4, seed.data(), 32, nullptr), VECTORPIN_INVALID_INPUT);
  EXPECT_EQ(bad, nullptr);
  test::Options o = options();
  EXPECT_EQ(vectorpin_pin_options_set_protocol(o.get(), 3, nullptr), VECTORPIN_INVALID_INPUT);
}

TEST(Signer, MaxDimensionAndOverLimit) {
  test::Signer s = test::test_signer();
  std::vector<float> big(VECTORPIN_MAX_VEC_DIM, 0.5f);
  Made m = make_pin(s.get(), "t", "m", big);
  ASSERT_EQ(m.status, VECTORPIN_OK) << m.detail;
  EXPECT_EQ(vectorpin_pin_vec_dim(m.pin.get()), 1048576u);
  test::Verifier v = test::verifier_with("test-vectors-v2-2026-05", test::test_public_key());
  EXPECT_EQ(verify_pin(v.get(), m.pin.get(), nullptr, &big), VECTORPIN_OK);
  big.push_back(0.5f);
  EXPECT_EQ(make_pin(s.get(), "t", "m", big).status, VECTORPIN_INVALID_INPUT);
}

struct ExternalState {
  std::vector<uint8_t> seed;
  int calls = 0;
  int result = 0;
  bool corrupt = false;
};

// Stands in for a KMS: signs with a key the library never holds.
int external_sign(void* user, uint8_t* sig, const uint8_t* msg, size_t len) {
  auto* st = static_cast<ExternalState*>(user);
  ++st->calls;
  if (st->result != 0) return st->result;
  uint8_t pk[32], sk[64];
  crypto_sign_seed_keypair(pk, sk, st->seed.data());
  crypto_sign_detached(sig, nullptr, msg, len, sk);
  sodium_memzero(sk, sizeof sk);
  if (st->corrupt) sig[5] ^= 0x40;
  return 0;
}

TEST(Signer, ExternalSignerCallback) {
  ExternalState state{test::test_seed()};
  std::string pk = test::test_public_key();
  vectorpin_signer* raw = nullptr;
  ASSERT_EQ(vectorpin_signer_external(&raw, "hsm-1", 5, reinterpret_cast<const uint8_t*>(pk.data()), 32, external_sign,
                                      &state, nullptr),
            VECTORPIN_OK);
  test::Signer s(raw);
  Made m = make_pin(s.get(), "t", "m", kVec);
  ASSERT_EQ(m.status, VECTORPIN_OK) << m.detail;
  EXPECT_EQ(state.calls, 1);
  test::Verifier v = test::verifier_with("hsm-1", pk);
  EXPECT_EQ(verify_pin(v.get(), m.pin.get(), nullptr, &kVec), VECTORPIN_OK);
  // A failing backend and a backend returning a bad signature are both refused.
  state.result = 7;
  Made failed = make_pin(s.get(), "t", "m", kVec);
  EXPECT_EQ(failed.status, VECTORPIN_EXTERNAL_SIGNER_FAILED);
  state.result = 0;
  state.corrupt = true;
  Made corrupt = make_pin(s.get(), "t", "m", kVec);
  EXPECT_EQ(corrupt.status, VECTORPIN_EXTERNAL_SIGNER_FAILED);
  EXPECT_EQ(corrupt.pin, nullptr);
  // No private key to save.
  EXPECT_EQ(vectorpin_signer_save(s.get(), "/tmp", 4, 0, nullptr), VECTORPIN_INVALID_ARGUMENT);
  // A weak public key is refused up front.
  uint8_t identity[32] = {1};
  vectorpin_signer* weak = nullptr;
  EXPECT_EQ(vectorpin_signer_external(&weak, "x", 1, identity, 32, external_sign, &state, nullptr), VECTORPIN_INVALID_KEY);
}

TEST(Pin, ParseWriteRoundTripAndSignedBytes) {
  test::Signer s = test::test_signer();
  test::Options o = options();
  const std::string note = "quote \" backslash \\ \xc3\xa9 del \x7f";
  EXPECT_EQ(vectorpin_pin_options_set_extra(o.get(), "note", 4, note.data(), note.size(), nullptr), VECTORPIN_OK);
  Made m = make_pin(s.get(), "t", "m", kVec, o.get());
  ASSERT_EQ(m.status, VECTORPIN_OK) << m.detail;
  std::string json = test::to_json(m.pin.get());
  EXPECT_NE(json.find("quote \\\" backslash \\\\ \xc3\xa9 del \x7f"), std::string::npos) << json;
  vectorpin_pin* parsed = nullptr;
  ASSERT_EQ(vectorpin_pin_parse(&parsed, json.data(), json.size(), nullptr), VECTORPIN_OK);
  test::Pin p(parsed);
  EXPECT_EQ(test::to_json(p.get()), json);
  std::string sb = test::signed_bytes(p.get());
  EXPECT_EQ(sb.substr(0, 13), std::string("vectorpin/v2\0", 13));
  EXPECT_EQ(sb.find("\"sig\""), std::string::npos);
  EXPECT_NE(sb.find("\"kid\""), std::string::npos);
  uint8_t sig[64];
  EXPECT_EQ(vectorpin_pin_signature(p.get(), sig, 63, nullptr), VECTORPIN_BUFFER_TOO_SMALL);
  ASSERT_EQ(vectorpin_pin_signature(p.get(), sig, 64, nullptr), VECTORPIN_OK);
  EXPECT_EQ(test::b64(std::string(reinterpret_cast<char*>(sig), 64)), get(p.get(), VECTORPIN_FIELD_SIG));
}

TEST(Pin, ParseErrorsReportOffsetAndBoundedDetail) {
  std::string attack = "{\"v\":2,\"" + std::string(5000, 'X') + "\\u001b[2J\":1}";
  vectorpin_pin* p = nullptr;
  vectorpin_error err;
  ASSERT_EQ(vectorpin_pin_parse(&p, attack.data(), attack.size(), &err), VECTORPIN_PARSE_ERROR);
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(err.code, VECTORPIN_PARSE_ERROR);
  EXPECT_GE(err.offset, 0);
  std::string msg = err.message;
  EXPECT_LT(msg.size(), 160u);
  for (char c : msg) EXPECT_GE(static_cast<unsigned char>(c), 0x20);
  EXPECT_NE(msg.find("unknown field"), std::string::npos);
}

TEST(Verifier, RegistryDocument) {
  std::string doc = R"({"a": {"public_key": "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg", "valid_from": "2026-01-01T00:00:00Z",
                              "valid_until": null},
                        "b": {"public_key": "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"}})";
  vectorpin_verifier* raw = nullptr;
  EXPECT_EQ(vectorpin_verifier_new(&raw, nullptr), VECTORPIN_OK);
  test::Verifier v(raw);
  vectorpin_error err;
  ASSERT_EQ(vectorpin_verifier_load_registry(v.get(), doc.data(), doc.size(), &err), VECTORPIN_OK) << err.message;
  EXPECT_EQ(vectorpin_verifier_key_count(v.get()), 2u);
  const char* bad_docs[] = {
      R"({"c": {"public_key": "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"}, "d": {"public_key": "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}})",
      R"({"c": {"public_key": "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg", "color": "red"}})",
      R"({"c": {"valid_from": "2026-01-01T00:00:00Z"}})",
      R"({"c": {"public_key": "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg", "valid_from": "yesterday"}})",
      R"({"a": {"public_key": "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"}})",
      R"([1, 2])",
      R"({"c": {"public_key": "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"}, "c": {"public_key": "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"}})",
  };
  for (const char* bad : bad_docs) {
    EXPECT_NE(vectorpin_verifier_load_registry(v.get(), bad, std::strlen(bad), &err), VECTORPIN_OK) << bad;
    EXPECT_EQ(vectorpin_verifier_key_count(v.get()), 2u) << "registry loading must be all or nothing: " << bad;
  }
}

// Three keys, each signing one pin; the limit decides how many get tables,
// and never an answer. With VECTORPIN_ED25519=libsodium (the engine is the
// process's choice) no table is ever built.
TEST(Verifier, PreparedKeyLimitBoundsTablesNotAnswers) {
  EXPECT_GT(vectorpin_prepared_key_bytes(), size_t{100000});
  if (sizeof(void*) == 8) EXPECT_EQ(vectorpin_prepared_key_bytes(), size_t{146120});
  const char* engine = std::getenv("VECTORPIN_ED25519");
  const bool tables = engine == nullptr || std::string(engine) != "libsodium";
  std::vector<test::Signer> signers;
  std::vector<std::string> pks;
  std::vector<test::Pin> pins;
  for (int k = 0; k < 3; ++k) {
    const std::string kid = "k" + std::to_string(k);
    vectorpin_signer* raw = nullptr;
    ASSERT_EQ(vectorpin_signer_generate(&raw, kid.data(), kid.size(), nullptr), VECTORPIN_OK);
    signers.emplace_back(raw);
    uint8_t pk[32];
    ASSERT_EQ(vectorpin_signer_public_key(raw, pk, sizeof pk, nullptr), VECTORPIN_OK);
    pks.emplace_back(reinterpret_cast<char*>(pk), 32);
    Made m = make_pin(raw, "text", "model", kVec);
    ASSERT_EQ(m.status, VECTORPIN_OK) << m.detail;
    pins.push_back(std::move(m.pin));
  }
  const std::string src = "text";
  for (size_t limit : {size_t{0}, size_t{1}, size_t{2}, size_t{VECTORPIN_DEFAULT_PREPARED_KEY_LIMIT}}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    vectorpin_verifier* raw = nullptr;
    ASSERT_EQ(vectorpin_verifier_new(&raw, nullptr), VECTORPIN_OK);
    test::Verifier v(raw);
    EXPECT_EQ(vectorpin_verifier_prepared_key_limit(v.get()), size_t{VECTORPIN_DEFAULT_PREPARED_KEY_LIMIT});
    ASSERT_EQ(vectorpin_verifier_set_prepared_key_limit(v.get(), limit, nullptr), VECTORPIN_OK);
    EXPECT_EQ(vectorpin_verifier_prepared_key_limit(v.get()), limit);
    // Kid "k2" is registered with k0's key: its pin's signature must fail
    // whether or not that key has a table.
    for (int k = 0; k < 3; ++k) {
      const std::string kid = "k" + std::to_string(k);
      const std::string& pk = pks[k == 2 ? 0 : k];
      ASSERT_EQ(vectorpin_verifier_add_key(v.get(), kid.data(), kid.size(), reinterpret_cast<const uint8_t*>(pk.data()),
                                           pk.size(), nullptr, 0, nullptr, 0, nullptr),
                VECTORPIN_OK);
    }
    EXPECT_EQ(vectorpin_verifier_prepared_key_count(v.get()), 0u) << "registering must not build tables";
    for (int round = 0; round < 2; ++round) {
      EXPECT_EQ(verify_pin(v.get(), pins[0].get(), &src, &kVec), VECTORPIN_OK);
      EXPECT_EQ(verify_pin(v.get(), pins[1].get(), &src, &kVec), VECTORPIN_OK);
      EXPECT_EQ(verify_pin(v.get(), pins[2].get(), &src, &kVec), VECTORPIN_SIGNATURE_INVALID);
    }
    // Kids k0 and k2 share a public key but not a table: each registered
    // key is prepared on its own.
    EXPECT_EQ(vectorpin_verifier_prepared_key_count(v.get()), tables ? std::min<size_t>(limit, 3) : 0u);
    // Lowering the limit frees nothing and changes no answer.
    const size_t before = vectorpin_verifier_prepared_key_count(v.get());
    ASSERT_EQ(vectorpin_verifier_set_prepared_key_limit(v.get(), 0, nullptr), VECTORPIN_OK);
    EXPECT_EQ(verify_pin(v.get(), pins[1].get(), &src, &kVec), VECTORPIN_OK);
    EXPECT_EQ(verify_pin(v.get(), pins[2].get(), &src, &kVec), VECTORPIN_SIGNATURE_INVALID);
    EXPECT_EQ(vectorpin_verifier_prepared_key_count(v.get()), before);
  }
  EXPECT_EQ(vectorpin_verifier_set_prepared_key_limit(nullptr, 1, nullptr), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_verifier_prepared_key_limit(nullptr), 0u);
  EXPECT_EQ(vectorpin_verifier_prepared_key_count(nullptr), 0u);
}

TEST(Verifier, DuplicateAndNormalizedKids) {
  vectorpin_verifier* raw = nullptr;
  EXPECT_EQ(vectorpin_verifier_new(&raw, nullptr), VECTORPIN_OK);
  test::Verifier v(raw);
  std::string pk = test::test_public_key();
  auto add = [&](const std::string& kid) {
    return vectorpin_verifier_add_key(v.get(), kid.data(), kid.size(), reinterpret_cast<const uint8_t*>(pk.data()), 32,
                                      nullptr, 0, nullptr, 0, nullptr);
  };
  EXPECT_EQ(add("k\xc3\xa9"), VECTORPIN_OK);
  EXPECT_EQ(add("ke\xcc\x81"), VECTORPIN_DUPLICATE_KEY_ID);  // the same kid after NFC
  EXPECT_EQ(add(""), VECTORPIN_INVALID_INPUT);
  EXPECT_EQ(vectorpin_verifier_add_key(v.get(), "x", 1, reinterpret_cast<const uint8_t*>(pk.data()), 31, nullptr, 0, nullptr,
                                       0, nullptr),
            VECTORPIN_INVALID_ARGUMENT);
}

TEST(Keys, PublicKeyForms) {
  std::string raw = test::test_public_key();
  uint8_t out[32];
  ASSERT_EQ(vectorpin_public_key_decode(out, 32, reinterpret_cast<const uint8_t*>(raw.data()), 32, nullptr), VECTORPIN_OK);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out), 32), raw);
  std::string text = "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg\n";
  ASSERT_EQ(vectorpin_public_key_decode(out, 32, reinterpret_cast<const uint8_t*>(text.data()), text.size(), nullptr),
            VECTORPIN_OK);
  char* pem = nullptr;
  size_t pem_len = 0;
  ASSERT_EQ(vectorpin_public_key_pem(&pem, &pem_len, out, 32, nullptr), VECTORPIN_OK);
  std::string pem_text(pem, pem_len);
  vectorpin_free(pem);
  EXPECT_EQ(pem_text.rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u);
  uint8_t again[32];
  ASSERT_EQ(vectorpin_public_key_decode(again, 32, reinterpret_cast<const uint8_t*>(pem_text.data()), pem_text.size(), nullptr),
            VECTORPIN_OK);
  EXPECT_EQ(std::memcmp(again, out, 32), 0);
  char fp[VECTORPIN_FINGERPRINT_BUFFER_BYTES];
  ASSERT_EQ(vectorpin_public_key_fingerprint(fp, sizeof fp, out, 32, nullptr), VECTORPIN_OK);
  EXPECT_STREQ(fp, "5647:5aa7:5463:474c");
  EXPECT_EQ(vectorpin_public_key_fingerprint(fp, 19, out, 32, nullptr), VECTORPIN_BUFFER_TOO_SMALL);
  std::string wrong_label = pem_text;
  wrong_label.replace(wrong_label.find("PUBLIC"), 6, "PRIVATE");
  EXPECT_EQ(vectorpin_public_key_decode(again, 32, reinterpret_cast<const uint8_t*>(wrong_label.data()), wrong_label.size(),
                                        nullptr),
            VECTORPIN_INVALID_KEY);
  uint8_t identity[32] = {1};
  EXPECT_EQ(vectorpin_public_key_decode(again, 32, identity, 32, nullptr), VECTORPIN_INVALID_KEY);
  // Oversized input is refused before it is scanned.
  std::string huge = "-----BEGIN PUBLIC KEY-----\n" + std::string(1 << 20, 'A');
  vectorpin_error err;
  EXPECT_EQ(vectorpin_public_key_decode(again, 32, reinterpret_cast<const uint8_t*>(huge.data()), huge.size(), &err),
            VECTORPIN_INVALID_KEY);
  EXPECT_NE(std::string(err.message).find("too large"), std::string::npos);
  vectorpin_signer* s = nullptr;
  EXPECT_EQ(vectorpin_signer_from_private_key(&s, "k", 1, reinterpret_cast<const uint8_t*>(huge.data()), huge.size(), nullptr),
            VECTORPIN_INVALID_KEY);
}

// OpenSSL is the interoperability reference for RFC 8410 PEM.
class OpenSslInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("openssl version >/dev/null 2>&1") != 0) GTEST_FAIL() << "openssl is required for this test";
    dir_ = fs::temp_directory_path() / ("vp-openssl-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(OpenSslInterop, KeysBothWays) {
  std::string key = (dir_ / "k.pem").string(), pub = (dir_ / "k.pub.pem").string();
  ASSERT_EQ(std::system(("openssl genpkey -algorithm ed25519 -out " + key + " 2>/dev/null").c_str()), 0);
  ASSERT_EQ(std::system(("openssl pkey -in " + key + " -pubout -out " + pub).c_str()), 0);
  std::string priv_pem = test::read_file(key), pub_pem = test::read_file(pub);
  vectorpin_signer* raw = nullptr;
  ASSERT_EQ(vectorpin_signer_from_private_key(&raw, "ossl", 4, reinterpret_cast<const uint8_t*>(priv_pem.data()),
                                              priv_pem.size(), nullptr),
            VECTORPIN_OK);
  test::Signer s(raw);
  uint8_t ours[32], theirs[32];
  EXPECT_EQ(vectorpin_signer_public_key(s.get(), ours, 32, nullptr), VECTORPIN_OK);
  ASSERT_EQ(vectorpin_public_key_decode(theirs, 32, reinterpret_cast<const uint8_t*>(pub_pem.data()), pub_pem.size(), nullptr),
            VECTORPIN_OK);
  EXPECT_EQ(std::memcmp(ours, theirs, 32), 0);
  // Our PEM export is read by OpenSSL and yields the same key.
  char* pem = nullptr;
  size_t n = 0;
  EXPECT_EQ(vectorpin_public_key_pem(&pem, &n, ours, 32, nullptr), VECTORPIN_OK);
  std::string mine = (dir_ / "mine.pub.pem").string();
  std::ofstream(mine) << std::string(pem, n);
  vectorpin_free(pem);
  std::string der = (dir_ / "mine.der").string();
  ASSERT_EQ(std::system(("openssl pkey -pubin -in " + mine + " -outform DER -out " + der).c_str()), 0);
  std::string d = test::read_file(der);
  ASSERT_EQ(d.size(), 44u);
  EXPECT_EQ(std::memcmp(d.data() + 12, ours, 32), 0);
  // OpenSSL verifies a signature we made over a pin's signed bytes.
  Made m = make_pin(s.get(), "t", "m", kVec);
  std::string msg = (dir_ / "msg").string(), sig = (dir_ / "sig").string();
  std::ofstream(msg, std::ios::binary) << test::signed_bytes(m.pin.get());
  uint8_t raw_sig[64];
  EXPECT_EQ(vectorpin_pin_signature(m.pin.get(), raw_sig, 64, nullptr), VECTORPIN_OK);
  std::ofstream(sig, std::ios::binary).write(reinterpret_cast<char*>(raw_sig), 64);
  EXPECT_EQ(std::system(("openssl pkeyutl -verify -pubin -inkey " + pub + " -rawin -in " + msg + " -sigfile " + sig +
                         " >/dev/null")
                            .c_str()),
            0);
}

class KeyFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vp-keys-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  static mode_t mode(const fs::path& p) {
    struct stat st;
    EXPECT_EQ(::stat(p.c_str(), &st), 0);
    return st.st_mode & 07777;
  }
  fs::path dir_;
};

TEST_F(KeyFiles, SaveCreatesPrivateFilesAndNeverOverwrites) {
  test::Signer s = test::test_signer("svc-1");
  const std::vector<uint8_t> seed = test::test_seed();
  const std::string seed_bytes(seed.begin(), seed.end());
  std::string d = dir_.string();
  ASSERT_EQ(vectorpin_signer_save(s.get(), d.data(), d.size(), 0, nullptr), VECTORPIN_OK);
  EXPECT_EQ(mode(dir_), 0700u);
  EXPECT_EQ(mode(dir_ / "svc-1.priv"), 0600u);
  EXPECT_EQ(mode(dir_ / "svc-1.pub"), 0644u);
  EXPECT_EQ(test::read_file((dir_ / "svc-1.priv").string()), seed_bytes);
  EXPECT_EQ(test::read_file((dir_ / "svc-1.pub").string()), test::test_public_key());
  // A second save, with another key under the same kid, changes nothing.
  vectorpin_signer* other = nullptr;
  EXPECT_EQ(vectorpin_signer_generate(&other, "svc-1", 5, nullptr), VECTORPIN_OK);
  test::Signer o(other);
  vectorpin_error err;
  EXPECT_EQ(vectorpin_signer_save(o.get(), d.data(), d.size(), 0, &err), VECTORPIN_FILE_EXISTS);
  EXPECT_EQ(test::read_file((dir_ / "svc-1.priv").string()), seed_bytes);
  // Only the .pub exists: still refused, and no .priv appears.
  fs::remove(dir_ / "svc-1.priv");
  EXPECT_EQ(vectorpin_signer_save(o.get(), d.data(), d.size(), 0, &err), VECTORPIN_FILE_EXISTS);
  EXPECT_FALSE(fs::exists(dir_ / "svc-1.priv"));
}

TEST_F(KeyFiles, LoadChecksPermissionsAndFormats) {
  test::Signer s = test::test_signer("svc-2");
  std::string d = dir_.string();
  ASSERT_EQ(vectorpin_signer_save(s.get(), d.data(), d.size(), VECTORPIN_SAVE_PEM, nullptr), VECTORPIN_OK);
  std::string priv = (dir_ / "svc-2.priv").string();
  EXPECT_EQ(test::read_file(priv).rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  vectorpin_signer* raw = nullptr;
  ASSERT_EQ(vectorpin_signer_load_file(&raw, "svc-2", 5, priv.data(), priv.size(), 0, nullptr), VECTORPIN_OK);
  test::Signer loaded(raw);
  uint8_t a[32], b[32];
  EXPECT_EQ(vectorpin_signer_public_key(s.get(), a, 32, nullptr), VECTORPIN_OK);
  EXPECT_EQ(vectorpin_signer_public_key(loaded.get(), b, 32, nullptr), VECTORPIN_OK);
  EXPECT_EQ(std::memcmp(a, b, 32), 0);
  for (mode_t m : {0640, 0604, 0660, 0606}) {
    ::chmod(priv.c_str(), m);
    vectorpin_signer* r = nullptr;
    vectorpin_error err;
    EXPECT_EQ(vectorpin_signer_load_file(&r, "svc-2", 5, priv.data(), priv.size(), 0, &err), VECTORPIN_INSECURE_PERMISSIONS);
    EXPECT_EQ(r, nullptr);
    EXPECT_NE(std::string(err.message).find("chmod 600"), std::string::npos);
    ASSERT_EQ(vectorpin_signer_load_file(&r, "svc-2", 5, priv.data(), priv.size(), VECTORPIN_LOAD_ALLOW_INSECURE_PERMISSIONS,
                                         nullptr),
              VECTORPIN_OK);
    vectorpin_signer_free(r);
  }
  std::string missing = (dir_ / "nope.priv").string();
  EXPECT_EQ(vectorpin_signer_load_file(&raw, "k", 1, missing.data(), missing.size(), 0, nullptr), VECTORPIN_IO_ERROR);
  std::string junk = (dir_ / "junk.priv").string();
  { std::ofstream(junk) << "not a key"; }
  ::chmod(junk.c_str(), 0600);
  EXPECT_EQ(vectorpin_signer_load_file(&raw, "k", 1, junk.data(), junk.size(), 0, nullptr), VECTORPIN_INVALID_KEY);
}

TEST_F(KeyFiles, UnsafeKidsAreNotFileNames) {
  std::string d = dir_.string();
  for (const char* kid : {"../escape", "a/b", ".hidden", "a\\b"}) {
    test::Signer s = test::test_signer(kid);
    EXPECT_EQ(vectorpin_signer_save(s.get(), d.data(), d.size(), 0, nullptr), VECTORPIN_INVALID_INPUT) << kid;
  }
  EXPECT_FALSE(fs::exists(dir_.parent_path() / "escape.priv"));
}

TEST(Misuse, NullArgumentsNeverCrash) {
  vectorpin_error err;
  char h[VECTORPIN_HASH_STRING_BUFFER_BYTES];
  EXPECT_EQ(vectorpin_hash_text(nullptr, 72, "a", 1, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(err.code, VECTORPIN_INVALID_ARGUMENT);
  EXPECT_GT(std::strlen(err.message), 0u);
  EXPECT_EQ(vectorpin_hash_text(h, sizeof h, nullptr, 1, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_hash_text(h, sizeof h, nullptr, 0, &err), VECTORPIN_OK);  // empty input
  EXPECT_EQ(err.code, VECTORPIN_OK);
  EXPECT_STREQ(err.message, "");
  EXPECT_EQ(vectorpin_hash_text(h, 10, "a", 1, &err), VECTORPIN_BUFFER_TOO_SMALL);
  EXPECT_EQ(vectorpin_hash_vector_f32(h, sizeof h, nullptr, 3, VECTORPIN_DTYPE_F32, &err), VECTORPIN_INVALID_ARGUMENT);
  float one = 1;
  EXPECT_EQ(vectorpin_hash_vector_f32(h, sizeof h, &one, 1, static_cast<vectorpin_dtype>(9), &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_sha256(nullptr, 32, nullptr, 0, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_signer_generate(nullptr, "k", 1, &err), VECTORPIN_INVALID_ARGUMENT);
  vectorpin_signer* s = reinterpret_cast<vectorpin_signer*>(0x1);
  EXPECT_EQ(vectorpin_signer_generate(&s, nullptr, 1, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_signer_from_seed(&s, "k", 1, test::test_seed().data(), 31, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(s, nullptr);  // outputs are cleared on failure
  EXPECT_EQ(vectorpin_signer_pin_f32(nullptr, nullptr, "", 0, "", 0, nullptr, 0, nullptr, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_signer_kid(nullptr, nullptr, nullptr, nullptr), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_signer_public_key(nullptr, nullptr, 0, nullptr), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_signer_fingerprint(nullptr, nullptr, 0, nullptr), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_signer_save(nullptr, "d", 1, 0, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_signer_external(&s, "k", 1, nullptr, 32, nullptr, nullptr, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_pin_parse(nullptr, "{}", 2, &err), VECTORPIN_INVALID_ARGUMENT);
  vectorpin_pin* p = nullptr;
  EXPECT_EQ(vectorpin_pin_parse(&p, nullptr, 5, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_pin_parse(&p, nullptr, 0, &err), VECTORPIN_PARSE_ERROR);
  EXPECT_EQ(vectorpin_pin_to_json(nullptr, nullptr, nullptr, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_pin_signed_bytes(nullptr, nullptr, nullptr, &err), VECTORPIN_INVALID_ARGUMENT);
  const char* t;
  size_t n;
  EXPECT_EQ(vectorpin_pin_get(nullptr, &t, &n, VECTORPIN_FIELD_KID, nullptr), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_pin_version(nullptr), 0);
  EXPECT_EQ(vectorpin_pin_vec_dim(nullptr), 0u);
  EXPECT_EQ(vectorpin_pin_dtype(nullptr), VECTORPIN_DTYPE_DEFAULT);
  EXPECT_EQ(vectorpin_pin_extra_count(nullptr), 0u);
  EXPECT_EQ(vectorpin_verifier_new(nullptr, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_verifier_add_key(nullptr, "k", 1, nullptr, 32, nullptr, 0, nullptr, 0, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_verifier_load_registry(nullptr, "{}", 2, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_verifier_set_legacy_v1(nullptr, 1, nullptr), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_verifier_key_count(nullptr), 0u);
  EXPECT_EQ(vectorpin_verify_f32(nullptr, nullptr, nullptr, 0, nullptr, 0, nullptr, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_verify_json_f64(nullptr, "{}", 2, nullptr, 0, nullptr, 0, nullptr, &err), VECTORPIN_INVALID_ARGUMENT);
  vectorpin_verifier* v = nullptr;
  EXPECT_EQ(vectorpin_verifier_new(&v, nullptr), VECTORPIN_OK);
  test::Verifier owned(v);
  EXPECT_EQ(vectorpin_verify_json_f32(v, "{}", 2, nullptr, 3, nullptr, 0, nullptr, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_verify_json_f32(v, "{}", 2, nullptr, 0, nullptr, 3, nullptr, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_expectations_set(nullptr, VECTORPIN_EXPECT_MODEL, "m", 1, &err), VECTORPIN_INVALID_ARGUMENT);
  vectorpin_expectations* e = nullptr;
  EXPECT_EQ(vectorpin_expectations_new(&e, nullptr), VECTORPIN_OK);
  test::Expectations eo(e);
  EXPECT_EQ(vectorpin_expectations_set(e, static_cast<vectorpin_expectation>(99), "m", 1, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_pin_options_set_protocol(nullptr, 2, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_pin_options_set_extra(nullptr, "k", 1, "v", 1, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_base64url_decode(nullptr, nullptr, "", 0, &err), VECTORPIN_INVALID_ARGUMENT);
  EXPECT_EQ(vectorpin_timestamp_now(nullptr, 0, &err), VECTORPIN_INVALID_ARGUMENT);
  char ts[5];
  EXPECT_EQ(vectorpin_timestamp_now(ts, sizeof ts, &err), VECTORPIN_BUFFER_TOO_SMALL);
  // Every free accepts NULL.
  vectorpin_free(nullptr);
  vectorpin_signer_free(nullptr);
  vectorpin_verifier_free(nullptr);
  vectorpin_pin_free(nullptr);
  vectorpin_pin_options_free(nullptr);
  vectorpin_expectations_free(nullptr);
  // A NULL error pointer is fine everywhere.
  EXPECT_EQ(vectorpin_hash_text(nullptr, 0, nullptr, 0, nullptr), VECTORPIN_INVALID_ARGUMENT);
}

TEST(Misuse, VerifyWithoutInputsChecksOnlyTheSignature) {
  test::Signer s = test::test_signer();
  Made m = make_pin(s.get(), "t", "m", kVec);
  test::Verifier v = test::verifier_with("test-vectors-v2-2026-05", test::test_public_key());
  EXPECT_EQ(verify_pin(v.get(), m.pin.get(), nullptr, nullptr), VECTORPIN_OK);
  // A non-NULL pointer with length 0 supplies the empty source.
  EXPECT_EQ(vectorpin_verify_f32(v.get(), m.pin.get(), "", 0, nullptr, 0, nullptr, nullptr), VECTORPIN_SOURCE_MISMATCH);
}

}  // namespace
