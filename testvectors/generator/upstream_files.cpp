// The four files in upstream's schemas: v1.json, negative_v1.json, v2.json,
// negative_v2.json. Same names and inputs as upstream's, our own wording.
#include <cmath>
#include <cstring>
#include <limits>

#include "fixture_kit.hpp"
#include "generator.hpp"

namespace fixtures {
namespace {

struct UpstreamInput {
  const char* name;
  const char* source;
  const char* model;
  const char* vector_b64;
  const char* dtype;
  const char* model_hash;
  std::vector<std::pair<const char*, const char*>> extra;
};

#include "upstream_inputs.inc"

constexpr const char* kKeyComment =
    "The signing seed below is public on purpose: it only makes these fixtures reproducible. Never use it to sign "
    "anything real.";

PinRequest request_for(const UpstreamInput& in, const char* kid, int protocol) {
  PinRequest r;
  r.kid = kid;
  r.source = in.source;
  r.model = in.model;
  r.vector_bytes = unb64(in.vector_b64);
  r.input_dtype = std::strcmp(in.dtype, "f32") == 0 ? VECTORPIN_DTYPE_F32 : VECTORPIN_DTYPE_F64;
  r.protocol = protocol;
  if (in.model_hash) r.model_hash = in.model_hash;
  for (const auto& [k, v] : in.extra) r.extra[k] = v;
  return r;
}

int64_t dim_of(const PinRequest& r) {
  return static_cast<int64_t>(r.vector_bytes.size() / (r.input_dtype == VECTORPIN_DTYPE_F32 ? 4 : 8));
}

// The first element nudged by 0.001, as a tampering attacker would.
std::string nudge_first(const std::string& f32_vector) {
  std::vector<float> v = f32_values(f32_vector);
  v[0] = static_cast<float>(static_cast<double>(v[0]) + 0.001);
  return f32_bytes(v);
}

std::string nan_first(const std::string& f32_vector) {
  std::vector<float> v = f32_values(f32_vector);
  v[0] = std::numeric_limits<float>::quiet_NaN();
  return f32_bytes(v);
}

// Flips the lowest bit of the signature's first byte.
std::string flip_sig_bit(const std::string& pin_json) {
  cli::PinHandle pin;
  must(vectorpin_pin_parse(&pin.p, pin_json.data(), pin_json.size(), nullptr), "vectorpin_pin_parse");
  uint8_t sig[64];
  must(vectorpin_pin_signature(pin.p, sig, sizeof sig, nullptr), "vectorpin_pin_signature");
  std::string old_text = cli::base64url(sig, 64);
  sig[0] ^= 0x01;
  return replace_once(pin_json, old_text, cli::base64url(sig, 64));
}

void header(cli::JsonEmitter& j, int version, const char* comment, const char* kid, bool with_domain_tag = false) {
  j.field("version", static_cast<int64_t>(version));
  if (with_domain_tag) j.field("domain_tag_b64", b64(std::string("vectorpin/v2\0", 13)));
  j.field("comment", comment).field("key_id", kid).field("public_key_b64", test_public_key_b64());
}

}  // namespace

std::string generate_v1() {
  cli::JsonEmitter j(2, true);
  j.begin_object();
  header(j, 1, (std::string("Protocol v1 (legacy) fixtures; they verify only with legacy v1 enabled. ") + kKeyComment).c_str(),
         kV1Kid);
  j.field("private_seed_b64", b64(test_seed()));
  j.key("fixtures").begin_array();
  for (const auto& in : kV1Inputs) {
    PinRequest r = request_for(in, kV1Kid, 1);
    std::string pin = sign(r);
    j.begin_object().field("name", in.name);
    j.key("input").begin_object();
    j.field("source", in.source).field("model", in.model).field("vector_b64", in.vector_b64);
    j.field("vec_dtype", in.dtype).field("vec_dim", dim_of(r)).field("timestamp", kTimestamp);
    j.end_object();
    j.key("expected").begin_object();
    j.field("pin_json", pin).field("canonical_header_b64", b64(signed_bytes(pin)));
    j.field("vec_hash", vec_hash(pin)).field("source_hash", source_hash(pin));
    j.end_object().end_object();
  }
  j.end_array().end_object();
  return j.str() + "\n";
}

std::string generate_negative_v1() {
  PinRequest r = request_for(kV1Inputs[0], kV1Kid, 1);
  cli::JsonEmitter j(2, true);
  j.begin_object()
      .field("name", "tampered_vector")
      .field("pin_json", sign(r))
      .field("tampered_vector_b64", b64(nudge_first(r.vector_bytes)))
      .field("expected_error", "vector_tampered")
      .end_object();
  return j.str() + "\n";
}

std::string generate_v2() {
  static const char* kDescriptions[] = {
      "f32 vector of 16 elements; neither model_hash nor extra.",
      "f64 vector of 8 elements; the source spans several lines.",
      "f32 vector with a model_hash, which the signature covers.",
      "f32 vector with extra entries, one of them the reserved vectorpin.record_id; NFC source.",
  };
  cli::JsonEmitter j(2, true);
  j.begin_object();
  header(j, 2, (std::string("Protocol v2 fixtures. ") + kKeyComment).c_str(), kV2Kid, true);
  j.field("private_key_b64", b64(test_seed()));
  j.key("fixtures").begin_array();
  size_t i = 0;
  for (const auto& in : kV2Inputs) {
    PinRequest r = request_for(in, kV2Kid, 2);
    std::string pin = sign(r);
    j.begin_object().field("name", in.name).field("description", kDescriptions[i++]);
    j.key("input").begin_object();
    j.field("source", in.source).field("model", in.model).field("vec_b64", in.vector_b64);
    j.field("vec_dtype", in.dtype).field("vec_dim", dim_of(r)).field("timestamp", kTimestamp);
    if (in.model_hash) j.field("model_hash", in.model_hash);
    if (!in.extra.empty()) {
      j.key("extra").begin_object();
      for (const auto& [k, v] : in.extra) j.field(k, v);
      j.end_object();
    }
    j.end_object();
    j.field("pin_json", pin).field("expected_canonical_bytes_b64", b64(signed_bytes(pin)));
    j.field("expected_vec_hash", vec_hash(pin)).field("expected_source_hash", source_hash(pin));
    j.end_object();
  }
  j.end_array().end_object();
  return j.str() + "\n";
}

std::string generate_negative_v2() {
  PinRequest base_req = request_for(kV2Inputs[0], kV2Kid, 2);
  const std::string base = sign(base_req);
  const std::string vec = base_req.vector_bytes;
  cli::JsonEmitter j(2, true);
  j.begin_object();
  header(j, 2, (std::string("Protocol v2 negative fixtures: each names the failure code a verifier must return. ") + kKeyComment).c_str(),
         kV2Kid);
  j.field("private_key_b64", b64(test_seed()));
  j.key("fixtures").begin_array();
  auto start = [&](const char* name, const char* description, const char* failure, const std::string& pin) {
    j.begin_object().field("name", name).field("description", description).field("expected_failure", failure);
    j.field("pin_json", pin);
  };
  start("tampered_vector", "One element of the vector changed after pinning.", "VECTOR_TAMPERED", base);
  j.field("tampered_vec_b64", b64(nudge_first(vec))).field("vec_dtype", "f32").field("vec_dim", dim_of(base_req));
  j.end_object();
  start("tampered_source", "The source supplied at verification differs from the pinned one.", "SOURCE_MISMATCH", base);
  j.field("tampered_source", "goodbye world").field("original_source", "hello world").end_object();
  start("wrong_expected_model", "The caller expects a model other than the pinned one.", "MODEL_MISMATCH", base);
  j.field("expected_model", "some-other-model").end_object();
  start("wrong_vec_dim_breaks_signature",
        "vec_dim edited; it is signed, so the signature check (which comes before the shape check) fails.",
        "SIGNATURE_INVALID", replace_once(base, "\"vec_dim\":16", "\"vec_dim\":17"));
  j.end_object();
  start("wrong_version", "v = 99: refused before any signature work.", "UNSUPPORTED_VERSION",
        replace_once(base, "\"v\":2", "\"v\":99"));
  j.end_object();
  start("wrong_kid_unknown_key", "The kid is not in the verifier's registry.", "UNKNOWN_KEY",
        replace_once(base, std::string("\"") + kV2Kid + "\"", "\"no-such-kid\""));
  j.end_object();
  start("sig_bit_flipped", "A single bit of the signature flipped.", "SIGNATURE_INVALID", flip_sig_bit(base));
  j.end_object();
  {
    cli::PinHandle p;
    must(vectorpin_pin_parse(&p.p, base.data(), base.size(), nullptr), "vectorpin_pin_parse");
    const char* sig;
    size_t n;
    must(vectorpin_pin_get(p.p, &sig, &n, VECTORPIN_FIELD_SIG, nullptr), "vectorpin_pin_get");
    start("sig_wrong_length", "The signature decodes to 32 bytes instead of 64.", "PARSE_ERROR",
          replace_once(base, std::string(sig, n), b64(std::string(32, '\0'))));
    j.end_object();
    start("unknown_top_level_field", "A top-level field the protocol does not define.", "PARSE_ERROR",
          replace_once(base, std::string(sig, n) + "\",", std::string(sig, n) + "\",\"sig2\":\"extra\","));
    j.end_object();
  }
  start("non_string_extra_value", "An extra value that is a number, not a string.", "PARSE_ERROR",
        "{\"extra\":{\"region\":5}," + base.substr(1));
  j.end_object();
  start("nan_in_vector_at_verify", "The vector supplied at verification holds a NaN.", "PARSE_ERROR", base);
  j.field("nan_vec_b64", b64(nan_first(vec))).field("vec_dtype", "f32").field("vec_dim", dim_of(base_req));
  j.end_object();
  start("nfd_model_string", "The model string is in NFD (e + combining acute), not NFC.", "PARSE_ERROR",
        replace_once(base, "\"test-model-v1\"", "\"cafe\xcc\x81\""));
  j.end_object();
  start("ts_fractional_seconds", "The timestamp carries fractional seconds.", "PARSE_ERROR",
        replace_once(base, kTimestamp, "2026-05-05T12:00:00.000Z"));
  j.end_object();
  start("ts_with_offset", "The timestamp has a numeric offset instead of Z.", "PARSE_ERROR",
        replace_once(base, kTimestamp, "2026-05-05T12:00:00+00:00"));
  j.end_object();
  start("ts_lowercase_tz", "The timestamp uses lowercase t and z.", "PARSE_ERROR",
        replace_once(base, kTimestamp, "2026-05-05t12:00:00z"));
  j.end_object();
  PinRequest bound = base_req;
  bound.extra["vectorpin.record_id"] = "rec-real";
  start("record_id_mismatch", "The pin is bound to record rec-real; the caller expects rec-other.", "RECORD_MISMATCH",
        sign(bound));
  j.field("expected_record_id", "rec-other").end_object();
  start("oversize_pin_json", "The pin JSON is larger than 64 KiB and is refused before parsing.", "PARSE_ERROR",
        replace_once(base, "\"test-model-v1\"", "\"" + std::string(70000, 'x') + "\""));
  j.end_object();
  j.end_array().end_object();
  return j.str() + "\n";
}

}  // namespace fixtures
