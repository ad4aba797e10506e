// testvectors/cases.json: every fixture the generator writes, as one flat
// list of {id, rule, op, input, expect} cases for the conformance runner
// (docs/CONFORMANCE.md). Each case is run through the C ABI while it is
// generated and must give exactly its expectation.
#include <cstring>
#include <map>
#include <set>
#include <utility>

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "c_abi_ops.hpp"
#include "fixture_kit.hpp"
#include "generator.hpp"
#include "protocol_rules.hpp"

namespace fixtures {
namespace {

using nlohmann::ordered_json;
using json = nlohmann::ordered_json;  // keeps the fixtures' key order
using plain_json = nlohmann::json;

// The rule of each named fixture: exact names first, then name prefixes.
// A fixture no entry matches stops the generator.
const std::pair<const char*, const char*> kRuleByName[] = {
    // extended.json verify cases, negative_v2.json
    {"unknown_top_level_field", "3.b"},
    {"unknown_field_before_version", "5.1"},
    {"unsupported_version_before_field_rules", "5.1"},
    {"wrong_version", "3.v"},
    {"missing_version", "3.v"},
    {"missing_sig", "3.sig"},
    {"missing_kid", "3.kid"},
    {"missing_source_hash", "3.source_hash"},
    {"oversize_", "3.a"},
    {"non_string_extra_value", "3.extra"},
    {"extra_tampered_value", "5.5"},
    {"extra_entry_added", "5.5"},
    {"extra_empty_object", "4.a"},
    {"non_ascii_", "3.b"},
    {"reordered_with_whitespace", "3.b"},
    {"nfd_model_string", "3.model"},
    {"vec_hash_", "1.c"},
    {"model_hash_", "3.model_hash"},
    {"sig_padded", "1.b"},
    {"sig_standard_alphabet", "1.b"},
    {"sig_whitespace", "1.b"},
    {"sig_nonzero_trailing_bits", "1.b"},
    {"sig_63_bytes", "3.sig"},
    {"sig_65_bytes", "3.sig"},
    {"sig_wrong_length", "3.sig"},
    {"sig_", "5.5"},
    {"ts_tampered", "5.5"},
    {"ts_", "3.ts"},
    {"version_downgrade_to_v1", "5.5"},
    {"version_", "3.v"},
    {"kid_is_signed_v2", "5.5"},
    {"kid_", "3.kid"},
    {"model_tampered", "5.5"},
    {"model_mismatch_nfd", "5.8"},
    {"wrong_expected_model", "5.8"},
    {"model_", "3.model"},
    {"vec_dtype_", "3.vec_dtype"},
    {"vec_dim_", "3.vec_dim"},
    {"dim_", "3.vec_dim"},
    {"extra_", "3.extra"},
    {"unknown_key_", "5.3"},
    {"wrong_kid_unknown_key", "5.3"},
    {"order_unknown_key_before_signature", "5.3"},
    {"window_", "5.4"},
    {"unreal_date_", "5.4"},
    {"leap_", "5.4"},
    {"wrong_public_key", "5.5"},
    {"wrong_vec_dim_breaks_signature", "5.5"},
    {"order_signature_before_vector", "5.5"},
    {"order_vector_before_source", "5.6"},
    {"order_source_before_model", "5.7"},
    {"order_model_before_record", "5.8"},
    {"order_", "5.9"},
    {"vector_", "5.6"},
    {"negative_zero_", "5.6"},
    {"f64_pin_", "5.6"},
    {"tampered_vector", "5.6"},
    {"nan_in_vector_at_verify", "5.6"},
    {"source_", "5.7"},
    {"tampered_source", "5.7"},
    {"bound_all_match", "5.9"},
    {"record_", "5.9"},
    {"collection_", "5.9"},
    {"tenant_", "5.9"},
    {"v1_without_legacy", "5.2"},
    {"v1_without_legacy_unknown_kid", "5.2"},
    {"v1_kid_not_signed", "4.c"},
    {"v1_free_form_ts_with_window", "5.4"},
    {"v1_", "3.c"},
    {"duplicate_", "3.b"},
    {"bom_prefix", "3.b"},
    {"trailing_", "3.b"},
    {"two_objects", "3.b"},
    {"root_is_array", "3.b"},
    {"empty_input", "3.b"},
    {"truncated", "3.b"},
    {"deep_nesting", "3.b"},
    {"unescaped_control_in_string", "3.b"},
    {"invalid_utf8_byte", "3.b"},
    {"overlong_utf8", "3.b"},
    {"utf8_encoded_surrogate", "3.b"},
    {"lone_", "3.b"},
    {"reversed_surrogate_pair", "3.b"},
    {"unknown_escape", "3.b"},
    {"single_quotes", "3.b"},
};

// extended.json sign cases.
const std::pair<const char*, const char*> kSignRuleByName[] = {
    {"v2_basic", "4.b"},
    {"v1_basic", "4.c"},
    {"dtype_", "2.b"},
    {"model_hash_extra_timestamp", "4.a"},
    {"nan", "2.b"},
    {"overflow_on_cast", "2.b"},
    {"", "4.d"},
};

// Where upstream 0.2.0's TypeScript port (typescript/src/attestation.ts) is
// looser than PROTOCOL.md; docs/PROTOCOL-DECISIONS.md lists them.
const std::pair<const char*, const char*> kUpstream02Leniency[] = {
    {"version_fraction", "v is read as a JavaScript number, so 2.0 equals 2"},
    {"version_exponent", "v is read as a JavaScript number, so 2e0 equals 2"},
    {"sig_padded", "the base64url pattern allows up to two '=' of padding"},
    {"sig_nonzero_trailing_bits", "Buffer.from(..., 'base64url') ignores the bits beyond the last byte"},
    {"duplicate_top_level_key", "JSON.parse keeps the last of duplicate keys (here both hold the same value)"},
    {"model_hash_null", "a null model_hash is treated as absent"},
};

std::string rule_for(const std::string& name, const std::pair<const char*, const char*>* table, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (name == table[i].first) return table[i].second;
  for (size_t i = 0; i < n; ++i) {
    size_t len = std::strlen(table[i].first);
    if (len > 0 && table[i].first[len - 1] == '_' && name.compare(0, len, table[i].first) == 0) return table[i].second;
  }
  for (size_t i = 0; i < n; ++i)
    if (table[i].first[0] == '\0') return table[i].second;
  die("no PROTOCOL.md rule is assigned to fixture " + name);
}

std::string verify_rule(const std::string& name) {
  return rule_for(name, kRuleByName, sizeof kRuleByName / sizeof kRuleByName[0]);
}

ordered_json vector_input(const std::string& data_b64, const std::string& dtype) {
  return ordered_json{{"dtype", dtype}, {"data_b64", data_b64}};
}

// Pin or source text from a fixture: the text field, or its _b64 variant
// when the fixture holds bytes that are not valid UTF-8.
std::string b64_of_text_field(const json& o, const char* key) {
  if (o.contains(std::string(key) + "_b64")) return o.at(std::string(key) + "_b64").get<std::string>();
  return b64(o.at(key).get<std::string>());
}

class CaseList {
 public:
  void add(const std::string& id, const std::string& rule, const std::string& op, ordered_json input,
           ordered_json expect, const std::string& description = "") {
    if (!ids_.insert(id).second) die("duplicate case id " + id);
    bool known = false;
    for (const auto& r : protocol_rules()) known = known || rule == r.id;
    if (!known) die("case " + id + " names an unknown rule " + rule);
    // The case must hold for the library, exactly.
    plain_json response = conformance::run_c_abi_op(op, plain_json::parse(input.dump()));
    // Judged as the runner judges (docs/CONFORMANCE.md): outside verify and
    // parse, a refusal is a refusal whatever its code.
    const bool exact_codes = op == "verify" || op == "parse";
    if (!exact_codes && expect.at("status") != "OK" && response.at("status") != "OK") {
      std::string st = response.at("status");
      if (st == "unsupported") die("case " + id + ": the C ABI does not support " + op);
      expect = ordered_json{{"status", expect.at("status")}};
      response = plain_json{{"status", expect.at("status").get<std::string>()}};
    }
    for (const auto& [k, v] : expect.items()) {
      if (!response.contains(k) || plain_json::parse(v.dump()) != response.at(k))
        die("case " + id + ": expected " + k + " = " + v.dump() + ", the library answers " + response.dump().substr(0, 300));
    }
    ordered_json c;
    c["id"] = id;
    c["rule"] = rule;
    c["op"] = op;
    if (!description.empty()) c["description"] = description;
    c["input"] = std::move(input);
    c["expect"] = std::move(expect);
    cases_.push_back(std::move(c));
  }

  ordered_json& last() { return cases_.back(); }
  const std::vector<ordered_json>& cases() const { return cases_; }

 private:
  std::set<std::string> ids_;
  std::vector<ordered_json> cases_;
};

ordered_json ok_with(const char* key, const std::string& value) {
  return ordered_json{{"status", "OK"}, {key, value}};
}
ordered_json status(const std::string& s) { return ordered_json{{"status", s}}; }

void from_upstream_schema_v1(CaseList& cases, const json& f1, const json& neg1) {
  const std::string kid = f1.at("key_id"), pk = f1.at("public_key_b64"), seed = f1.at("private_seed_b64");
  for (const auto& f : f1.at("fixtures")) {
    const std::string name = f.at("name");
    const json& in = f.at("input");
    const json& ex = f.at("expected");
    ordered_json vec = vector_input(in.at("vector_b64"), in.at("vec_dtype"));
    cases.add("sign/v1/" + name, "4.c", "sign",
              {{"seed_b64", seed}, {"kid", kid}, {"model", in.at("model")}, {"source_b64", b64(in.at("source").get<std::string>())},
               {"vector", vec}, {"protocol", 1}, {"timestamp", in.at("timestamp")}},
              ok_with("pin_b64", b64(ex.at("pin_json").get<std::string>())));
    ordered_json parsed = status("OK");
    parsed["signed_bytes_b64"] = ex.at("canonical_header_b64");
    parsed["pin_b64"] = b64(ex.at("pin_json").get<std::string>());
    cases.add("parse/v1/" + name, "4.c", "parse", {{"pin_b64", b64(ex.at("pin_json").get<std::string>())}}, parsed);
    cases.add("verify/v1/" + name, "3.c", "verify",
              {{"pin_b64", b64(ex.at("pin_json").get<std::string>())},
               {"keys", ordered_json::array({{{"kid", kid}, {"public_key_b64", pk}}})},
               {"legacy_v1", true},
               {"source_b64", b64(in.at("source").get<std::string>())},
               {"vector", vec}},
              status("OK"));
    cases.add("hash_text/v1/" + name, "2.a", "hash_text", {{"text_b64", b64(in.at("source").get<std::string>())}},
              ok_with("hash", ex.at("source_hash")));
    cases.add("hash_vector/v1/" + name, "2.b", "hash_vector", {{"vector", vec}, {"hash_dtype", in.at("vec_dtype")}},
              ok_with("hash", ex.at("vec_hash")));
  }
  cases.add("verify/negative_v1/" + neg1.at("name").get<std::string>(), "5.6", "verify",
            {{"pin_b64", b64(neg1.at("pin_json").get<std::string>())},
             {"keys", ordered_json::array({{{"kid", kid}, {"public_key_b64", pk}}})},
             {"legacy_v1", true},
             {"vector", vector_input(neg1.at("tampered_vector_b64"), "f32")}},
            status("VECTOR_TAMPERED"));
}

void from_upstream_schema_v2(CaseList& cases, const json& f2, const json& neg2) {
  const std::string kid = f2.at("key_id"), pk = f2.at("public_key_b64"), seed = f2.at("private_key_b64");
  const ordered_json keys = ordered_json::array({{{"kid", kid}, {"public_key_b64", pk}}});
  for (const auto& f : f2.at("fixtures")) {
    const std::string name = f.at("name");
    const json& in = f.at("input");
    const std::string pin_b64 = b64(f.at("pin_json").get<std::string>());
    ordered_json vec = vector_input(in.at("vec_b64"), in.at("vec_dtype"));
    ordered_json sign_in = {{"seed_b64", seed},
                            {"kid", kid},
                            {"model", in.at("model")},
                            {"source_b64", b64(in.at("source").get<std::string>())},
                            {"vector", vec},
                            {"protocol", 2},
                            {"timestamp", in.at("timestamp")}};
    if (in.contains("model_hash")) sign_in["model_hash"] = in.at("model_hash");
    if (in.contains("extra")) sign_in["extra"] = in.at("extra");
    cases.add("sign/v2/" + name, "8", "sign", sign_in, ok_with("pin_b64", pin_b64), f.at("description"));
    ordered_json parsed = status("OK");
    parsed["signed_bytes_b64"] = f.at("expected_canonical_bytes_b64");
    parsed["pin_b64"] = pin_b64;
    cases.add("parse/v2/" + name, in.contains("extra") ? "4.a" : "4.b", "parse", {{"pin_b64", pin_b64}}, parsed);
    cases.add("verify/v2/" + name, "5.5", "verify",
              {{"pin_b64", pin_b64}, {"keys", keys}, {"legacy_v1", false},
               {"source_b64", b64(in.at("source").get<std::string>())}, {"vector", vec}},
              status("OK"));
    cases.add("hash_text/v2/" + name, "2.a", "hash_text", {{"text_b64", b64(in.at("source").get<std::string>())}},
              ok_with("hash", f.at("expected_source_hash")));
    cases.add("hash_vector/v2/" + name, "2.b", "hash_vector", {{"vector", vec}, {"hash_dtype", in.at("vec_dtype")}},
              ok_with("hash", f.at("expected_vec_hash")));
  }
  for (const auto& f : neg2.at("fixtures")) {
    const std::string name = f.at("name");
    ordered_json in = {{"pin_b64", b64(f.at("pin_json").get<std::string>())}, {"keys", keys}, {"legacy_v1", false}};
    for (const char* vec_key : {"tampered_vec_b64", "nan_vec_b64"})
      if (f.contains(vec_key)) in["vector"] = vector_input(f.at(vec_key), f.at("vec_dtype"));
    if (f.contains("tampered_source")) in["source_b64"] = b64(f.at("tampered_source").get<std::string>());
    if (f.contains("expected_model")) in["expect_model"] = f.at("expected_model");
    if (f.contains("expected_record_id")) in["expect_record_id"] = f.at("expected_record_id");
    cases.add("verify/negative_v2/" + name, verify_rule(name), "verify", in, status(f.at("expected_failure")),
              f.at("description"));
  }
}

void from_extended(CaseList& cases, const json& x) {
  std::map<std::string, std::string> ok_pins;  // name -> pin text, for the write-back cases
  for (const auto& c : x.at("verify_cases")) {
    const std::string name = c.at("name");
    ordered_json in;
    in["pin_b64"] = b64_of_text_field(c, "pin_json");
    ordered_json keys = ordered_json::array();
    for (const auto& k : c.at("keys")) {
      ordered_json key = {{"kid", k.at("kid")}, {"public_key_b64", k.at("public_key_b64")}};
      if (!k.at("valid_from").is_null()) key["valid_from"] = k.at("valid_from");
      if (!k.at("valid_until").is_null()) key["valid_until"] = k.at("valid_until");
      keys.push_back(key);
    }
    in["keys"] = keys;
    in["legacy_v1"] = c.at("legacy_v1");
    if (c.contains("source") || c.contains("source_b64")) in["source_b64"] = b64_of_text_field(c, "source");
    if (c.contains("vector_b64")) in["vector"] = vector_input(c.at("vector_b64"), c.at("vector_dtype"));
    const std::pair<const char*, const char*> kExpectations[] = {{"expected_model", "expect_model"},
                                                                 {"expected_record_id", "expect_record_id"},
                                                                 {"expected_collection_id", "expect_collection_id"},
                                                                 {"expected_tenant_id", "expect_tenant_id"}};
    for (const auto& [from, to] : kExpectations)
      if (c.contains(from)) in[to] = c.at(from);
    cases.add("verify/extended/" + name, verify_rule(name), "verify", in, status(c.at("expected")), c.at("description"));
    for (const auto& [lenient, why] : kUpstream02Leniency)
      if (name == lenient) cases.last()["lenient"] = {{"upstream-0.2", {{"expect", status("OK")}, {"why", why}}}};
    if (c.at("expected") == "OK" && c.contains("pin_json")) ok_pins[name] = c.at("pin_json");
  }

  // Writing a pin back (3.d): a re-formatted pin is written in the one
  // canonical form, which is the form the signer produced.
  auto write_back = [&](const std::string& name, const std::string& canonical_name, const std::string& description) {
    if (!ok_pins.count(name) || !ok_pins.count(canonical_name)) die("write-back case needs fixture " + name);
    plain_json r = conformance::run_c_abi_op("parse", {{"pin_b64", b64(ok_pins[name])}});
    ordered_json expect = status("OK");
    expect["pin_b64"] = b64(ok_pins[canonical_name]);
    expect["signed_bytes_b64"] = r.value("signed_bytes_b64", "");
    cases.add("parse/extended/" + name, "3.d", "parse", {{"pin_b64", b64(ok_pins[name])}}, expect, description);
  };
  write_back("non_ascii_escaped", "non_ascii_raw", "\\u escapes are written back as raw UTF-8.");
  write_back("reordered_with_whitespace", "vector_ok", "Reordered keys and whitespace are written back sorted and compact.");
  write_back("trailing_newline", "vector_ok", "Trailing whitespace is not part of the written pin.");
  {
    // Canonical JSON escapes control characters as lowercase \u00xx (4.a);
    // a legacy v1 extra value may hold one.
    const std::string pin = ok_pins.at("v1_extra_control_char");
    plain_json r = conformance::run_c_abi_op("parse", {{"pin_b64", b64(pin)}});
    std::string signed_bytes = unb64(r.value("signed_bytes_b64", ""));
    if (signed_bytes.find("a\\u0001b") == std::string::npos) die("v1_extra_control_char: signed bytes lack \\u0001");
    ordered_json expect = status("OK");
    expect["signed_bytes_b64"] = r.at("signed_bytes_b64").get<std::string>();
    cases.add("parse/extended/v1_extra_control_char", "4.a", "parse", {{"pin_b64", b64(pin)}}, expect,
              "A control character in the canonical JSON is written as a lowercase \\u00xx escape.");
  }

  for (const auto& c : x.at("registry_cases")) {
    const std::string name = c.at("name");
    ordered_json in = {{"kid", "k"}, {"public_key_b64", c.at("public_key_b64")}};
    if (!c.at("valid_from").is_null()) in["valid_from"] = c.at("valid_from");
    if (!c.at("valid_until").is_null()) in["valid_until"] = c.at("valid_until");
    bool weak = name.rfind("weak_", 0) == 0 || name == "off_curve" || name == "mixed_order_torsion";
    cases.add("add_key/extended/" + name, weak ? "5.5" : "6.d", "add_key", in, status(c.at("expected")));
  }
  for (const auto& c : x.at("hash_text_cases")) {
    const std::string name = c.at("name");
    cases.add("hash_text/extended/" + name, "2.a", "hash_text", {{"text_b64", c.at("text_b64")}},
              c.at("expected").is_null() ? status("INVALID_INPUT") : ok_with("hash", c.at("expected")));
  }
  for (const auto& c : x.at("hash_vector_cases")) {
    const std::string name = c.at("name");
    cases.add("hash_vector/extended/" + name, "2.b", "hash_vector",
              {{"vector", vector_input(c.at("vector_b64"), c.at("input_dtype"))}, {"hash_dtype", c.at("hash_dtype")}},
              c.at("expected").is_null() ? status("INVALID_INPUT") : ok_with("hash", c.at("expected")));
  }
  for (const auto& c : x.at("sign_cases")) {
    const std::string name = c.at("name");
    const json& o = c.at("options");
    ordered_json in = {{"seed_b64", x.at("private_seed_b64")},
                       {"kid", c.at("kid")},
                       {"model", c.at("model")},
                       {"source_b64", b64(c.at("source").get<std::string>())},
                       {"vector", vector_input(c.at("vector_b64"), c.at("input_dtype"))},
                       {"protocol", o.at("protocol")}};
    for (const char* k : {"dtype", "model_hash", "timestamp"})
      if (o.contains(k)) in[k] = o.at(k);
    if (o.contains("extra")) in["extra"] = o.at("extra");
    cases.add("sign/extended/" + name, rule_for(name, kSignRuleByName, sizeof kSignRuleByName / sizeof kSignRuleByName[0]),
              "sign", in, c.at("expected") == "OK" ? ok_with("pin_b64", b64(c.at("pin_json").get<std::string>())) : status("INVALID_INPUT"));
  }
}

// Cases for rules no fixture file covers: key and seed sizes, fingerprints.
void key_cases(CaseList& cases) {
  const std::string pk = unb64(test_public_key_b64());
  cases.add("fingerprint/test_key", "6.c", "fingerprint", {{"public_key_b64", b64(pk)}},
            ok_with("fingerprint", "5647:5aa7:5463:474c"), "PROTOCOL.md's example: the upstream test key.");
  {
    uint8_t seed[32], other[32], sk[64];
    for (int i = 0; i < 32; ++i) seed[i] = static_cast<uint8_t>(0x20 + i);
    crypto_sign_seed_keypair(other, sk, seed);
    sodium_memzero(sk, sizeof sk);
    uint8_t digest[32];
    crypto_hash_sha256(digest, other, 32);
    static const char kHex[] = "0123456789abcdef";
    std::string fp;
    for (int i = 0; i < 8; ++i) {
      if (i && i % 2 == 0) fp += ':';
      fp += kHex[digest[i] >> 4];
      fp += kHex[digest[i] & 15];
    }
    cases.add("fingerprint/second_key", "6.c", "fingerprint",
              {{"public_key_b64", b64(std::string(reinterpret_cast<char*>(other), 32))}}, ok_with("fingerprint", fp),
              "The key of seed 0x20..0x3f; expected value computed with libsodium's SHA-256.");
  }
  cases.add("add_key/key_31_bytes", "1.a", "add_key", {{"kid", "k"}, {"public_key_b64", b64(pk.substr(0, 31))}},
            status("INVALID_KEY"), "A public key is exactly 32 bytes.");
  cases.add("add_key/key_33_bytes", "1.a", "add_key", {{"kid", "k"}, {"public_key_b64", b64(pk + '\0')}},
            status("INVALID_KEY"), "A public key is exactly 32 bytes.");
  cases.add("fingerprint/key_31_bytes", "1.a", "fingerprint", {{"public_key_b64", b64(pk.substr(0, 31))}},
            status("INVALID_KEY"), "A public key is exactly 32 bytes.");
  auto seed = test_seed();
  ordered_json in = {{"seed_b64", b64(std::vector<uint8_t>(seed.begin(), seed.begin() + 31))},
                     {"kid", kV2Kid},
                     {"model", "m"},
                     {"source_b64", b64(std::string("s"))},
                     {"vector", vector_input(b64(f32_bytes({1.0f})), "f32")},
                     {"timestamp", kTimestamp}};
  cases.add("sign/seed_31_bytes", "1.a", "sign", in, status("INVALID_KEY"), "A seed is exactly 32 bytes.");
}

}  // namespace

std::string generate_cases() {
  CaseList cases;
  from_upstream_schema_v1(cases, json::parse(generate_v1()), json::parse(generate_negative_v1()));
  from_upstream_schema_v2(cases, json::parse(generate_v2()), json::parse(generate_negative_v2()));
  from_extended(cases, json::parse(generate_extended()));
  key_cases(cases);

  std::map<std::string, size_t> per_rule;
  for (const auto& c : cases.cases()) ++per_rule[c.at("rule").get<std::string>()];
  for (const auto& r : protocol_rules())
    if (!*r.outside_shim_protocol && per_rule[r.id] == 0) die(std::string("rule ") + r.id + " has no case");

  // One case per line keeps the file greppable and its diffs readable.
  std::string out = "{\n  \"format\": 1,\n";
  out += "  \"comment\": " +
         ordered_json("Conformance cases for PROTOCOL.md, generated by testvectors/generator; schema in "
                      "testvectors/cases.schema.json, protocol in docs/CONFORMANCE.md. The test seed is public: never "
                      "use it for anything real.")
             .dump() +
         ",\n";
  out += "  \"rules\": [\n";
  const auto& rules = protocol_rules();
  for (size_t i = 0; i < rules.size(); ++i) {
    ordered_json r = {{"id", rules[i].id}, {"summary", rules[i].summary}};
    if (*rules[i].outside_shim_protocol) r["outside_shim_protocol"] = rules[i].outside_shim_protocol;
    out += "    " + r.dump(-1, ' ', false) + (i + 1 < rules.size() ? ",\n" : "\n");
  }
  out += "  ],\n  \"cases\": [\n";
  const auto& all = cases.cases();
  for (size_t i = 0; i < all.size(); ++i) out += "    " + all[i].dump(-1, ' ', false) + (i + 1 < all.size() ? ",\n" : "\n");
  out += "  ]\n}\n";
  return out;
}

}  // namespace fixtures
