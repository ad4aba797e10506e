// Every fixture file, upstream's and ours, run through the public C API.
#include <map>
#include <optional>

#include "support.hpp"

namespace {

using test::json;

int g_cases = 0;

vectorpin_dtype dtype_of(const std::string& s) { return s == "f64" ? VECTORPIN_DTYPE_F64 : VECTORPIN_DTYPE_F32; }

struct Supplied {
  std::optional<std::string> source;
  std::optional<std::string> vector;  // raw little-endian bytes
  vectorpin_dtype vector_dtype = VECTORPIN_DTYPE_F32;
  std::map<vectorpin_expectation, std::string> expect;
};

std::string verify(const vectorpin_verifier* v, const std::string& pin_json, const Supplied& s) {
  test::Expectations e;
  {
    vectorpin_expectations* raw = nullptr;
    vectorpin_expectations_new(&raw, nullptr);
    e.reset(raw);
  }
  for (const auto& [which, value] : s.expect) vectorpin_expectations_set(e.get(), which, value.data(), value.size(), nullptr);
  const char* src = s.source ? (s.source->empty() ? "" : s.source->data()) : nullptr;
  size_t src_len = s.source ? s.source->size() : 0;
  vectorpin_error err;
  vectorpin_status st;
  if (s.vector && s.vector_dtype == VECTORPIN_DTYPE_F64) {
    auto vec = test::values<double>(*s.vector);
    static const double kEmpty = 0;
    st = vectorpin_verify_json_f64(v, pin_json.data(), pin_json.size(), src, src_len, vec.empty() ? &kEmpty : vec.data(),
                                   vec.size(), e.get(), &err);
  } else if (s.vector) {
    auto vec = test::values<float>(*s.vector);
    static const float kEmpty = 0;
    st = vectorpin_verify_json_f32(v, pin_json.data(), pin_json.size(), src, src_len, vec.empty() ? &kEmpty : vec.data(),
                                   vec.size(), e.get(), &err);
  } else {
    st = vectorpin_verify_json_f32(v, pin_json.data(), pin_json.size(), src, src_len, nullptr, 0, e.get(), &err);
  }
  // Every failure carries a bounded detail.
  if (st != VECTORPIN_OK) {
    EXPECT_GT(std::strlen(err.message), 0u);
    EXPECT_LT(std::strlen(err.message), sizeof err.message);
  }
  return vectorpin_status_name(st);
}

// Signs an upstream-schema input with the test seed and returns the pin.
std::string sign_input(const json& in, const std::string& kid, int protocol, const std::string& vector_field) {
  test::Signer signer = test::test_signer(kid);
  test::Options opts;
  {
    vectorpin_pin_options* raw = nullptr;
    vectorpin_pin_options_new(&raw, nullptr);
    opts.reset(raw);
  }
  vectorpin_pin_options_set_protocol(opts.get(), protocol, nullptr);
  std::string ts = in["timestamp"];
  vectorpin_pin_options_set_timestamp(opts.get(), ts.data(), ts.size(), nullptr);
  if (in.contains("model_hash")) {
    std::string mh = in["model_hash"];
    vectorpin_pin_options_set_model_hash(opts.get(), mh.data(), mh.size(), nullptr);
  }
  if (in.contains("extra"))
    for (const auto& [k, v] : in["extra"].items()) {
      std::string val = v;
      vectorpin_pin_options_set_extra(opts.get(), k.data(), k.size(), val.data(), val.size(), nullptr);
    }
  std::string source = in["source"], model = in["model"];
  std::string raw = test::unb64(in[vector_field]);
  vectorpin_pin* pin = nullptr;
  vectorpin_error err;
  vectorpin_status st;
  if (in["vec_dtype"] == "f32") {
    auto v = test::values<float>(raw);
    EXPECT_EQ(v.size(), in["vec_dim"].get<size_t>());
    st = vectorpin_signer_pin_f32(signer.get(), &pin, source.data(), source.size(), model.data(), model.size(), v.data(),
                                  v.size(), opts.get(), &err);
  } else {
    auto v = test::values<double>(raw);
    EXPECT_EQ(v.size(), in["vec_dim"].get<size_t>());
    st = vectorpin_signer_pin_f64(signer.get(), &pin, source.data(), source.size(), model.data(), model.size(), v.data(),
                                  v.size(), opts.get(), &err);
  }
  EXPECT_EQ(st, VECTORPIN_OK) << err.message;
  test::Pin owned(pin);
  return pin ? test::to_json(pin) : std::string();
}

std::string signed_bytes_of(const std::string& pin_json) {
  vectorpin_pin* pin = nullptr;
  EXPECT_EQ(vectorpin_pin_parse(&pin, pin_json.data(), pin_json.size(), nullptr), VECTORPIN_OK);
  test::Pin owned(pin);
  return pin ? test::signed_bytes(pin) : std::string();
}

void run_v1(const std::string& path) {
  json doc = test::load_json(path);
  test::Verifier legacy = test::verifier_with(doc["key_id"], test::unb64(doc["public_key_b64"]), true);
  test::Verifier strict = test::verifier_with(doc["key_id"], test::unb64(doc["public_key_b64"]), false);
  for (const auto& f : doc["fixtures"]) {
    SCOPED_TRACE(path + " " + f["name"].get<std::string>());
    const json& in = f["input"];
    const json& ex = f["expected"];
    std::string pin = ex["pin_json"];
    EXPECT_EQ(sign_input(in, doc["key_id"], 1, "vector_b64"), pin);
    EXPECT_EQ(test::b64(signed_bytes_of(pin)), ex["canonical_header_b64"].get<std::string>());
    Supplied s;
    s.source = in["source"].get<std::string>();
    s.vector = test::unb64(in["vector_b64"]);
    s.vector_dtype = dtype_of(in["vec_dtype"]);
    EXPECT_EQ(verify(legacy.get(), pin, s), "OK");
    EXPECT_EQ(verify(strict.get(), pin, s), "UNSUPPORTED_VERSION");
    char h[VECTORPIN_HASH_STRING_BUFFER_BYTES];
    std::string source = in["source"];
    vectorpin_hash_text(h, sizeof h, source.data(), source.size(), nullptr);
    EXPECT_EQ(std::string(h), ex["source_hash"].get<std::string>());
    ++g_cases;
  }
}

void run_negative_v1(const std::string& path) {
  json f = test::load_json(path);
  test::Verifier legacy = test::verifier_with("test-vectors-2026-05", test::test_public_key(), true);
  Supplied s;
  s.vector = test::unb64(f["tampered_vector_b64"]);
  EXPECT_EQ(f["expected_error"], "vector_tampered");
  EXPECT_EQ(verify(legacy.get(), f["pin_json"], s), "VECTOR_TAMPERED");
  ++g_cases;
}

void run_v2(const std::string& path) {
  json doc = test::load_json(path);
  test::Verifier v = test::verifier_with(doc["key_id"], test::unb64(doc["public_key_b64"]));
  EXPECT_EQ(test::unb64(doc["domain_tag_b64"]), std::string("vectorpin/v2\0", 13));
  for (const auto& f : doc["fixtures"]) {
    SCOPED_TRACE(path + " " + f["name"].get<std::string>());
    const json& in = f["input"];
    std::string pin = f["pin_json"];
    EXPECT_EQ(sign_input(in, doc["key_id"], 2, "vec_b64"), pin);
    EXPECT_EQ(test::b64(signed_bytes_of(pin)), f["expected_canonical_bytes_b64"].get<std::string>());
    Supplied s;
    s.source = in["source"].get<std::string>();
    s.vector = test::unb64(in["vec_b64"]);
    s.vector_dtype = dtype_of(in["vec_dtype"]);
    if (in.contains("extra") && in["extra"].contains("vectorpin.record_id"))
      s.expect[VECTORPIN_EXPECT_RECORD_ID] = in["extra"]["vectorpin.record_id"];
    s.expect[VECTORPIN_EXPECT_MODEL] = in["model"];
    EXPECT_EQ(verify(v.get(), pin, s), "OK");
    char h[VECTORPIN_HASH_STRING_BUFFER_BYTES];
    auto vec = s.vector_dtype == VECTORPIN_DTYPE_F32 ? (vectorpin_hash_vector_f32(h, sizeof h, test::values<float>(*s.vector).data(),
                                                                                   in["vec_dim"], VECTORPIN_DTYPE_F32, nullptr))
                                                     : (vectorpin_hash_vector_f64(h, sizeof h, test::values<double>(*s.vector).data(),
                                                                                   in["vec_dim"], VECTORPIN_DTYPE_F64, nullptr));
    EXPECT_EQ(vec, VECTORPIN_OK);
    EXPECT_EQ(std::string(h), f["expected_vec_hash"].get<std::string>());
    ++g_cases;
  }
}

void run_negative_v2(const std::string& path) {
  json doc = test::load_json(path);
  test::Verifier v = test::verifier_with(doc["key_id"], test::unb64(doc["public_key_b64"]));
  for (const auto& f : doc["fixtures"]) {
    SCOPED_TRACE(path + " " + f["name"].get<std::string>());
    Supplied s;
    if (f.contains("tampered_vec_b64")) s.vector = test::unb64(f["tampered_vec_b64"]);
    if (f.contains("nan_vec_b64")) s.vector = test::unb64(f["nan_vec_b64"]);
    if (f.contains("vec_dtype")) s.vector_dtype = dtype_of(f["vec_dtype"]);
    if (f.contains("tampered_source")) s.source = f["tampered_source"].get<std::string>();
    if (f.contains("expected_model")) s.expect[VECTORPIN_EXPECT_MODEL] = f["expected_model"];
    if (f.contains("expected_record_id")) s.expect[VECTORPIN_EXPECT_RECORD_ID] = f["expected_record_id"];
    EXPECT_EQ(verify(v.get(), f["pin_json"], s), f["expected_failure"].get<std::string>());
    ++g_cases;
  }
}

std::optional<std::string> opt_string(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<std::string>();
}

void run_extended(const std::string& path) {
  json doc = test::load_json(path);
  for (const auto& c : doc["verify_cases"]) {
    SCOPED_TRACE("extended verify " + c["name"].get<std::string>());
    vectorpin_verifier* raw = nullptr;
    vectorpin_verifier_new(&raw, nullptr);
    test::Verifier v(raw);
    for (const auto& k : c["keys"]) {
      std::string kid = k["kid"], pk = test::unb64(k["public_key_b64"]);
      auto from = opt_string(k, "valid_from"), until = opt_string(k, "valid_until");
      ASSERT_EQ(vectorpin_verifier_add_key(v.get(), kid.data(), kid.size(), reinterpret_cast<const uint8_t*>(pk.data()),
                                           pk.size(), from ? from->data() : nullptr, from ? from->size() : 0,
                                           until ? until->data() : nullptr, until ? until->size() : 0, nullptr),
                VECTORPIN_OK);
    }
    vectorpin_verifier_set_legacy_v1(v.get(), c["legacy_v1"].get<bool>(), nullptr);
    std::string pin = c.contains("pin_json") ? c["pin_json"].get<std::string>() : test::unb64(c["pin_json_b64"]);
    Supplied s;
    if (c.contains("source")) s.source = c["source"].get<std::string>();
    if (c.contains("source_b64")) s.source = test::unb64(c["source_b64"]);
    if (c.contains("vector_b64")) {
      s.vector = test::unb64(c["vector_b64"]);
      s.vector_dtype = dtype_of(c["vector_dtype"]);
    }
    const std::pair<const char*, vectorpin_expectation> kExpect[] = {{"expected_model", VECTORPIN_EXPECT_MODEL},
                                                                    {"expected_record_id", VECTORPIN_EXPECT_RECORD_ID},
                                                                    {"expected_collection_id", VECTORPIN_EXPECT_COLLECTION_ID},
                                                                    {"expected_tenant_id", VECTORPIN_EXPECT_TENANT_ID}};
    for (const auto& [key, which] : kExpect)
      if (c.contains(key)) s.expect[which] = c[key];
    EXPECT_EQ(verify(v.get(), pin, s), c["expected"].get<std::string>());
    ++g_cases;
  }
  for (const auto& c : doc["registry_cases"]) {
    SCOPED_TRACE("extended registry " + c["name"].get<std::string>());
    vectorpin_verifier* raw = nullptr;
    vectorpin_verifier_new(&raw, nullptr);
    test::Verifier v(raw);
    std::string pk = test::unb64(c["public_key_b64"]);
    auto from = opt_string(c, "valid_from"), until = opt_string(c, "valid_until");
    vectorpin_status st = vectorpin_verifier_add_key(v.get(), "k", 1, reinterpret_cast<const uint8_t*>(pk.data()), pk.size(),
                                                     from ? from->data() : nullptr, from ? from->size() : 0,
                                                     until ? until->data() : nullptr, until ? until->size() : 0, nullptr);
    EXPECT_EQ(vectorpin_status_name(st), c["expected"].get<std::string>());
    EXPECT_EQ(vectorpin_verifier_key_count(v.get()), st == VECTORPIN_OK ? 1u : 0u);
    ++g_cases;
  }
  for (const auto& c : doc["hash_text_cases"]) {
    SCOPED_TRACE("extended hash_text " + c["name"].get<std::string>());
    std::string text = test::unb64(c["text_b64"]);
    char h[VECTORPIN_HASH_STRING_BUFFER_BYTES];
    vectorpin_status st = vectorpin_hash_text(h, sizeof h, text.empty() ? "" : text.data(), text.size(), nullptr);
    if (c["expected"].is_null()) {
      EXPECT_EQ(st, VECTORPIN_INVALID_INPUT);
    } else {
      EXPECT_EQ(st, VECTORPIN_OK);
      EXPECT_EQ(std::string(h), c["expected"].get<std::string>());
    }
    ++g_cases;
  }
  for (const auto& c : doc["hash_vector_cases"]) {
    SCOPED_TRACE("extended hash_vector " + c["name"].get<std::string>());
    std::string bytes = test::unb64(c["vector_b64"]);
    char h[VECTORPIN_HASH_STRING_BUFFER_BYTES];
    vectorpin_dtype out = dtype_of(c["hash_dtype"]);
    vectorpin_status st;
    if (c["input_dtype"] == "f32") {
      auto v = test::values<float>(bytes);
      static const float kEmpty = 0;
      st = vectorpin_hash_vector_f32(h, sizeof h, v.empty() ? &kEmpty : v.data(), v.size(), out, nullptr);
    } else {
      auto v = test::values<double>(bytes);
      static const double kEmpty = 0;
      st = vectorpin_hash_vector_f64(h, sizeof h, v.empty() ? &kEmpty : v.data(), v.size(), out, nullptr);
    }
    if (c["expected"].is_null()) {
      EXPECT_EQ(st, VECTORPIN_INVALID_INPUT);
    } else {
      EXPECT_EQ(st, VECTORPIN_OK);
      EXPECT_EQ(std::string(h), c["expected"].get<std::string>());
    }
    ++g_cases;
  }
  for (const auto& c : doc["sign_cases"]) {
    SCOPED_TRACE("extended sign " + c["name"].get<std::string>());
    std::string kid = c["kid"];
    auto seed = test::test_seed();
    vectorpin_signer* sraw = nullptr;
    vectorpin_status st = vectorpin_signer_from_seed(&sraw, kid.data(), kid.size(), seed.data(), seed.size(), nullptr);
    test::Signer signer(sraw);
    if (st == VECTORPIN_OK) {
      vectorpin_pin_options* oraw = nullptr;
      vectorpin_pin_options_new(&oraw, nullptr);
      test::Options opts(oraw);
      const json& o = c["options"];
      if (o.contains("protocol")) vectorpin_pin_options_set_protocol(opts.get(), o["protocol"].get<int>(), nullptr);
      if (o.contains("dtype")) vectorpin_pin_options_set_dtype(opts.get(), dtype_of(o["dtype"]), nullptr);
      if (auto mh = opt_string(o, "model_hash")) vectorpin_pin_options_set_model_hash(opts.get(), mh->data(), mh->size(), nullptr);
      if (auto ts = opt_string(o, "timestamp")) vectorpin_pin_options_set_timestamp(opts.get(), ts->data(), ts->size(), nullptr);
      if (o.contains("extra"))
        for (const auto& [k, val] : o["extra"].items()) {
          std::string v = val;
          vectorpin_pin_options_set_extra(opts.get(), k.data(), k.size(), v.data(), v.size(), nullptr);
        }
      std::string source = c["source"], model = c["model"];
      std::string bytes = test::unb64(c["vector_b64"]);
      vectorpin_pin* pin = nullptr;
      if (c["input_dtype"] == "f32") {
        auto v = test::values<float>(bytes);
        st = vectorpin_signer_pin_f32(signer.get(), &pin, source.data(), source.size(), model.data(), model.size(),
                                      v.empty() ? nullptr : v.data(), v.size(), opts.get(), nullptr);
      } else {
        auto v = test::values<double>(bytes);
        st = vectorpin_signer_pin_f64(signer.get(), &pin, source.data(), source.size(), model.data(), model.size(),
                                      v.empty() ? nullptr : v.data(), v.size(), opts.get(), nullptr);
      }
      test::Pin owned(pin);
      if (st == VECTORPIN_OK) EXPECT_EQ(test::to_json(pin), c["pin_json"].get<std::string>());
      else EXPECT_EQ(pin, nullptr);
    }
    EXPECT_EQ(vectorpin_status_name(st), c["expected"].get<std::string>());
    ++g_cases;
  }
}

// The four files in upstream's schemas, from `dir`; returns the cases run.
int run_upstream_schema_files(const std::string& dir) {
  int before = g_cases;
  run_v1(dir + "v1.json");
  run_negative_v1(dir + "negative_v1.json");
  run_v2(dir + "v2.json");
  run_negative_v2(dir + "negative_v2.json");
  return g_cases - before;
}

TEST(Fixtures, UpstreamFiles) {
  int cases = run_upstream_schema_files(test::vectors_dir() + "/upstream/");
  std::printf("upstream fixture cases run: %d\n", cases);
  EXPECT_EQ(cases, 4 + 1 + 4 + 17);
}

TEST(Fixtures, RegeneratedFiles) {
  int cases = run_upstream_schema_files(test::vectors_dir() + "/");
  std::printf("regenerated fixture cases run: %d\n", cases);
  EXPECT_EQ(cases, 4 + 1 + 4 + 17);
}

TEST(Fixtures, ExtendedFile) {
  int before = g_cases;
  run_extended(test::vectors_dir() + "/extended.json");
  std::printf("extended fixture cases run: %d\n", g_cases - before);
  EXPECT_GT(g_cases - before, 200);
}

// Our regenerated files carry exactly upstream's pins, canonical bytes and
// hashes for every fixture name; only the prose differs.
TEST(Fixtures, RegeneratedMatchUpstreamCryptography) {
  const std::string dir = test::vectors_dir() + "/";
  auto by_name = [](const json& doc) {
    std::map<std::string, json> m;
    for (const auto& f : doc["fixtures"]) m[f["name"]] = f;
    return m;
  };
  for (const char* file : {"v1.json", "v2.json", "negative_v2.json"}) {
    SCOPED_TRACE(file);
    json ours = test::load_json(dir + file), theirs = test::load_json(dir + "upstream/" + file);
    auto a = by_name(ours), b = by_name(theirs);
    ASSERT_EQ(a.size(), b.size());
    for (auto& [name, f] : b) {
      ASSERT_TRUE(a.count(name)) << name;
      json g = a[name];
      for (const char* prose : {"description"}) {
        f.erase(prose);
        g.erase(prose);
      }
      EXPECT_EQ(g, f) << name;
    }
    EXPECT_EQ(ours["public_key_b64"], theirs["public_key_b64"]);
    EXPECT_EQ(ours["key_id"], theirs["key_id"]);
  }
  EXPECT_EQ(test::load_json(dir + "negative_v1.json"), test::load_json(dir + "upstream/negative_v1.json"));
}

}  // namespace
