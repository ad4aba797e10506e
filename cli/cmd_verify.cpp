// `verify-pin` and `inspect`.
#include <iostream>

#include "cli.hpp"
#include "json_emit.hpp"

namespace cli {
namespace {

// The library refuses pins over VECTORPIN_MAX_PIN_JSON_BYTES. One byte more
// than that is all it needs to see to say so, so a hostile pin file of any
// size fails as a pin (PARSE_ERROR, exit 1) and is never held in memory.
constexpr size_t kPinReadLimit = VECTORPIN_MAX_PIN_JSON_BYTES + 1;
const std::string kOversizedDetail =
    "pin file is larger than " + std::to_string(VECTORPIN_MAX_PIN_JSON_BYTES) + " bytes, the limit for a pin";
bool oversized(const std::string& read) { return read.size() > VECTORPIN_MAX_PIN_JSON_BYTES; }

int report_outcome(vectorpin_status st, const std::string& detail) {
  JsonEmitter j;
  j.begin_object().field_bool("ok", st == VECTORPIN_OK);
  if (st == VECTORPIN_OK) {
    j.key("error").null().key("detail").null();
  } else {
    j.field("error", vectorpin_status_name(st)).field("detail", detail);
  }
  j.end_object();
  std::cout << j.str() << "\n";
  return st == VECTORPIN_OK ? kExitOk : kExitVerificationFailed;
}

}  // namespace

int cmd_verify_pin(const std::vector<std::string>& argv) {
  Args a = Args::parse(argv, {{"public-key", true, false},
                              {"key-id", true, false},
                              {"registry", true, false},
                              {"valid-from", true, false},
                              {"valid-until", true, false},
                              {"pin", true, false},
                              {"source", true, false},
                              {"source-newlines", true, false},
                              {"vector", true, false},
                              {"expect-model", true, false},
                              {"record-id", true, false},
                              {"collection-id", true, false},
                              {"tenant-id", true, false},
                              {"legacy-v1", false, false}});
  std::string pin_path = a.require("pin");
  VerifierHandle verifier;
  vectorpin_error err;
  check(vectorpin_verifier_new(&verifier.p, &err), err, "verifier");
  setup_verifier_keys(a, verifier.p);
  if (a.has("legacy-v1")) check(vectorpin_verifier_set_legacy_v1(verifier.p, 1, &err), err, "--legacy-v1");

  ExpectationsHandle expect;
  check(vectorpin_expectations_new(&expect.p, &err), err, "expectations");
  const std::pair<const char*, vectorpin_expectation> kExpect[] = {{"expect-model", VECTORPIN_EXPECT_MODEL},
                                                                  {"record-id", VECTORPIN_EXPECT_RECORD_ID},
                                                                  {"collection-id", VECTORPIN_EXPECT_COLLECTION_ID},
                                                                  {"tenant-id", VECTORPIN_EXPECT_TENANT_ID}};
  for (const auto& [flag, which] : kExpect)
    if (auto v = a.get(flag)) check(vectorpin_expectations_set(expect.p, which, v->data(), v->size(), &err), err, flag);

  std::string pin_json = read_file_prefix(pin_path, kPinReadLimit);
  std::optional<std::string> source;
  if (auto p = a.get("source")) source = read_source_file(*p, a.get("source-newlines"));
  else if (a.has("source-newlines")) usage_error("--source-newlines applies to --source");
  std::optional<VectorData> vec;
  if (auto p = a.get("vector")) {
    // A JSON vector is read in the element type the pin was made in, so that
    // each decimal is rounded once, as when it was pinned. A pin that does
    // not parse fails below whatever the vector holds.
    vectorpin_dtype json_dtype = VECTORPIN_DTYPE_F64;
    PinHandle parsed;
    if (vectorpin_pin_parse(&parsed.p, pin_json.data(), pin_json.size(), nullptr) == VECTORPIN_OK)
      json_dtype = vectorpin_pin_dtype(parsed.p);
    vec = read_vector_file(*p, json_dtype);
  }

  const char* src = source ? source->data() : nullptr;
  size_t src_len = source ? source->size() : 0;
  if (source && src == nullptr) src = "";  // an empty file is still a supplied source
  vectorpin_status st;
  if (vec && vec->dtype == VECTORPIN_DTYPE_F32)
    st = vectorpin_verify_json_f32(verifier.p, pin_json.data(), pin_json.size(), src, src_len,
                                   vec->f32.empty() ? reinterpret_cast<const float*>("") : vec->f32.data(),
                                   vec->f32.size(), expect.p, &err);
  else if (vec)
    st = vectorpin_verify_json_f64(verifier.p, pin_json.data(), pin_json.size(), src, src_len,
                                   vec->f64.empty() ? reinterpret_cast<const double*>("") : vec->f64.data(),
                                   vec->f64.size(), expect.p, &err);
  else
    st = vectorpin_verify_json_f32(verifier.p, pin_json.data(), pin_json.size(), src, src_len, nullptr, 0, expect.p,
                                   &err);
  if (!vectorpin_status_is_verification_failure(st) && st != VECTORPIN_OK) check(st, err, "verifying");
  return report_outcome(st, st == VECTORPIN_PARSE_ERROR && oversized(pin_json) ? kOversizedDetail : err.message);
}

int cmd_inspect(const std::vector<std::string>& argv) {
  Args a = Args::parse(argv, {{"pin", true, false}});
  std::string pin_json = read_file_prefix(a.require("pin"), kPinReadLimit);
  PinHandle pin;
  vectorpin_error err;
  vectorpin_status st = vectorpin_pin_parse(&pin.p, pin_json.data(), pin_json.size(), &err);
  if (st != VECTORPIN_OK) return report_outcome(st, oversized(pin_json) ? kOversizedDetail : err.message);

  auto text = [&](vectorpin_pin_field f) {
    const char* p;
    size_t n;
    return vectorpin_pin_get(pin.p, &p, &n, f, nullptr) == VECTORPIN_OK ? std::optional<std::string>(std::string(p, n))
                                                                : std::nullopt;
  };
  JsonEmitter j(2);
  j.begin_object().field("v", static_cast<int64_t>(vectorpin_pin_version(pin.p)));
  j.field("kid", *text(VECTORPIN_FIELD_KID)).field("model", *text(VECTORPIN_FIELD_MODEL));
  j.key("model_hash");
  if (auto mh = text(VECTORPIN_FIELD_MODEL_HASH)) j.string(*mh);
  else j.null();
  j.field("source_hash", *text(VECTORPIN_FIELD_SOURCE_HASH))
      .field("vec_hash", *text(VECTORPIN_FIELD_VEC_HASH))
      .field("vec_dtype", *text(VECTORPIN_FIELD_VEC_DTYPE))
      .field("vec_dim", static_cast<int64_t>(vectorpin_pin_vec_dim(pin.p)))
      .field("ts", *text(VECTORPIN_FIELD_TS));
  j.key("extra").begin_object();
  for (size_t i = 0; i < vectorpin_pin_extra_count(pin.p); ++i) {
    const char *k, *v;
    size_t kn, vn;
    vectorpin_error extra_err;
    check(vectorpin_pin_extra_at(pin.p, &k, &kn, &v, &vn, i, &extra_err), extra_err, "extra");
    j.field(std::string(k, kn), std::string(v, vn));
  }
  j.end_object();
  j.field("sig", *text(VECTORPIN_FIELD_SIG));
  uint8_t* signed_bytes = nullptr;
  size_t signed_len = 0;
  check(vectorpin_pin_signed_bytes(pin.p, &signed_bytes, &signed_len, &err), err, "signed bytes");
  j.field("signed_bytes_b64", base64url(signed_bytes, signed_len));
  vectorpin_free(signed_bytes);
  LibString written;
  check(vectorpin_pin_to_json(pin.p, &written.p, &written.n, &err), err, "writing the pin");
  j.field("pin_json", written.str());  // the canonical wire form (PROTOCOL.md 3)
  j.end_object();
  std::cout << j.str() << "\n";
  std::cerr << "note: inspect parses the pin but does not verify its signature\n";
  return kExitOk;
}

}  // namespace cli
