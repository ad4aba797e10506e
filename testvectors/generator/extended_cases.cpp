// extended.json: the rules of PROTOCOL.md that upstream's files leave out.
// Every case is checked against the library while it is generated, so a
// case and the implementation cannot silently disagree.
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

#include <sodium.h>

#include "fixture_kit.hpp"
#include "generator.hpp"
#include "util/utf8.hpp"

namespace fixtures {
namespace {

struct Key {
  std::string kid;
  std::string public_key_b64;
  std::optional<std::string> valid_from, valid_until;
};

struct VerifyCase {
  std::string name, description;
  std::string pin;
  std::vector<Key> keys;
  bool legacy_v1 = false;
  std::optional<std::string> source;
  std::optional<std::string> vector_bytes;
  vectorpin_dtype vector_dtype = VECTORPIN_DTYPE_F32;
  std::optional<std::string> model, record, collection, tenant;
  std::string expected;
};

const std::vector<float> kVec = {0.25f, -0.5f, 1.0f, 0.125f};

std::vector<Key> default_keys() { return {{kV2Kid, test_public_key_b64(), {}, {}}, {kV1Kid, test_public_key_b64(), {}, {}}}; }

std::string other_public_key_b64() {
  uint8_t seed[32], pk[32], sk[64];
  for (int i = 0; i < 32; ++i) seed[i] = static_cast<uint8_t>(0x20 + i);
  crypto_sign_seed_keypair(pk, sk, seed);
  sodium_memzero(sk, sizeof sk);
  return cli::base64url(pk, 32);
}

PinRequest base_request() {
  PinRequest r;
  r.vector_bytes = f32_bytes(kVec);
  return r;
}

// Runs one case through the public API.
vectorpin_status run(const VerifyCase& c, std::string& detail) {
  cli::VerifierHandle v;
  must(vectorpin_verifier_new(&v.p, nullptr), "vectorpin_verifier_new");
  vectorpin_error err;
  for (const auto& k : c.keys) {
    std::string raw = unb64(k.public_key_b64);
    vectorpin_status st = vectorpin_verifier_add_key(
        v.p, k.kid.data(), k.kid.size(), reinterpret_cast<const uint8_t*>(raw.data()), raw.size(),
        k.valid_from ? k.valid_from->data() : nullptr, k.valid_from ? k.valid_from->size() : 0,
        k.valid_until ? k.valid_until->data() : nullptr, k.valid_until ? k.valid_until->size() : 0, &err);
    if (st != VECTORPIN_OK) die("case " + c.name + ": key registration failed: " + err.message);
  }
  must(vectorpin_verifier_set_legacy_v1(v.p, c.legacy_v1, nullptr), "vectorpin_verifier_set_legacy_v1");
  cli::ExpectationsHandle e;
  must(vectorpin_expectations_new(&e.p, nullptr), "vectorpin_expectations_new");
  // A refused expectation is the case's answer (as in the conformance
  // operations): verifying without it would record the wrong outcome.
  vectorpin_status set_st = VECTORPIN_OK;
  auto set = [&](const std::optional<std::string>& val, vectorpin_expectation which) {
    if (val && set_st == VECTORPIN_OK) set_st = vectorpin_expectations_set(e.p, which, val->data(), val->size(), &err);
  };
  set(c.model, VECTORPIN_EXPECT_MODEL);
  set(c.record, VECTORPIN_EXPECT_RECORD_ID);
  set(c.collection, VECTORPIN_EXPECT_COLLECTION_ID);
  set(c.tenant, VECTORPIN_EXPECT_TENANT_ID);
  if (set_st != VECTORPIN_OK) {
    detail = err.message;
    return set_st;
  }
  const char* src = c.source ? (c.source->empty() ? "" : c.source->data()) : nullptr;
  size_t src_len = c.source ? c.source->size() : 0;
  vectorpin_status st;
  if (c.vector_bytes && c.vector_dtype == VECTORPIN_DTYPE_F64) {
    auto vec = f64_values(*c.vector_bytes);
    st = vectorpin_verify_json_f64(v.p, c.pin.data(), c.pin.size(), src, src_len,
                                   vec.empty() ? reinterpret_cast<const double*>("") : vec.data(), vec.size(), e.p, &err);
  } else if (c.vector_bytes) {
    auto vec = f32_values(*c.vector_bytes);
    st = vectorpin_verify_json_f32(v.p, c.pin.data(), c.pin.size(), src, src_len,
                                   vec.empty() ? reinterpret_cast<const float*>("") : vec.data(), vec.size(), e.p, &err);
  } else {
    st = vectorpin_verify_json_f32(v.p, c.pin.data(), c.pin.size(), src, src_len, nullptr, 0, e.p, &err);
  }
  detail = err.message;
  return st;
}

class Extended {
 public:
  void add(VerifyCase c) {
    if (c.keys.empty()) c.keys = default_keys();
    std::string detail;
    vectorpin_status st = run(c, detail);
    if (c.expected != vectorpin_status_name(st))
      die("case " + c.name + ": expected " + c.expected + ", the library says " + vectorpin_status_name(st) + " (" +
          detail + ")");
    verify_.push_back(std::move(c));
  }

  void hash_text(const std::string& name, const std::string& text, bool refused) {
    char out[VECTORPIN_HASH_STRING_BUFFER_BYTES];
    vectorpin_status st = vectorpin_hash_text(out, sizeof out, text.data(), text.size(), nullptr);
    if ((st != VECTORPIN_OK) != refused) die("hash_text case " + name + " disagrees with the library");
    hash_text_.push_back({name, text, refused ? std::optional<std::string>() : std::string(out)});
  }

  void hash_vector(const std::string& name, const std::string& bytes, vectorpin_dtype in, vectorpin_dtype out_dtype,
                   bool refused) {
    char out[VECTORPIN_HASH_STRING_BUFFER_BYTES];
    vectorpin_status st;
    if (in == VECTORPIN_DTYPE_F32) {
      auto v = f32_values(bytes);
      st = vectorpin_hash_vector_f32(out, sizeof out, v.empty() ? reinterpret_cast<const float*>("") : v.data(), v.size(),
                                     out_dtype, nullptr);
    } else {
      auto v = f64_values(bytes);
      st = vectorpin_hash_vector_f64(out, sizeof out, v.empty() ? reinterpret_cast<const double*>("") : v.data(),
                                     v.size(), out_dtype, nullptr);
    }
    if ((st != VECTORPIN_OK) != refused) die("hash_vector case " + name + " disagrees with the library");
    hash_vector_.push_back({name, bytes, in, out_dtype, refused ? std::optional<std::string>() : std::string(out)});
  }

  void sign_case(const std::string& name, const PinRequest& r, bool refused) {
    std::string pin, detail;
    vectorpin_status st = try_sign(r, pin, &detail);
    if ((st != VECTORPIN_OK) != refused)
      die("sign case " + name + ": library says " + vectorpin_status_name(st) + " " + detail);
    if (refused && st != VECTORPIN_INVALID_INPUT)
      die("sign case " + name + ": refused with " + vectorpin_status_name(st) + ", not INVALID_INPUT");
    sign_.push_back({name, r, refused ? std::optional<std::string>() : pin});
  }

  void registry(const std::string& name, const std::string& pk_b64, std::optional<std::string> from,
                std::optional<std::string> until, const std::string& expected) {
    cli::VerifierHandle v;
    must(vectorpin_verifier_new(&v.p, nullptr), "vectorpin_verifier_new");
    std::string raw = unb64(pk_b64);
    vectorpin_status st = vectorpin_verifier_add_key(
        v.p, "k", 1, reinterpret_cast<const uint8_t*>(raw.data()), raw.size(), from ? from->data() : nullptr,
        from ? from->size() : 0, until ? until->data() : nullptr, until ? until->size() : 0, nullptr);
    if (expected != vectorpin_status_name(st))
      die("registry case " + name + ": expected " + expected + ", library says " + vectorpin_status_name(st));
    registry_.push_back({name, pk_b64, from, until, expected});
  }

  std::string emit() const;

 private:
  struct HashText {
    std::string name, text;
    std::optional<std::string> expected;
  };
  struct HashVector {
    std::string name, bytes;
    vectorpin_dtype in, out;
    std::optional<std::string> expected;
  };
  struct Sign {
    std::string name;
    PinRequest request;
    std::optional<std::string> pin;
  };
  struct Registry {
    std::string name, pk;
    std::optional<std::string> from, until;
    std::string expected;
  };
  std::vector<VerifyCase> verify_;
  std::vector<HashText> hash_text_;
  std::vector<HashVector> hash_vector_;
  std::vector<Sign> sign_;
  std::vector<Registry> registry_;
};

const char* dtype_text(vectorpin_dtype d) { return d == VECTORPIN_DTYPE_F64 ? "f64" : "f32"; }

void opt_ts(cli::JsonEmitter& j, const char* key, const std::optional<std::string>& v) {
  j.key(key);
  if (v) j.string(*v);
  else j.null();
}

std::string Extended::emit() const {
  cli::JsonEmitter j(2, true);
  j.begin_object().field("version", int64_t{1});
  j.field("comment",
          "Cases for every rule of PROTOCOL.md beyond upstream's files; schema in testvectors/README.md. The test "
          "seed is public: never use it for anything real.");
  j.field("key_id", kV2Kid).field("public_key_b64", test_public_key_b64()).field("private_seed_b64", b64(test_seed()));
  j.key("verify_cases").begin_array();
  for (const auto& c : verify_) {
    j.begin_object().field("name", c.name).field("description", c.description);
    if (vectorpin::util::is_valid_utf8(c.pin)) j.field("pin_json", c.pin);
    else j.field("pin_json_b64", b64(c.pin));
    j.key("keys").begin_array();
    for (const auto& k : c.keys) {
      j.begin_object().field("kid", k.kid).field("public_key_b64", k.public_key_b64);
      opt_ts(j, "valid_from", k.valid_from);
      opt_ts(j, "valid_until", k.valid_until);
      j.end_object();
    }
    j.end_array().field_bool("legacy_v1", c.legacy_v1);
    if (c.source) {
      if (vectorpin::util::is_valid_utf8(*c.source)) j.field("source", *c.source);
      else j.field("source_b64", b64(*c.source));
    }
    if (c.vector_bytes) j.field("vector_b64", b64(*c.vector_bytes)).field("vector_dtype", dtype_text(c.vector_dtype));
    if (c.model) j.field("expected_model", *c.model);
    if (c.record) j.field("expected_record_id", *c.record);
    if (c.collection) j.field("expected_collection_id", *c.collection);
    if (c.tenant) j.field("expected_tenant_id", *c.tenant);
    j.field("expected", c.expected).end_object();
  }
  j.end_array();
  j.key("registry_cases").begin_array();
  for (const auto& r : registry_) {
    j.begin_object().field("name", r.name).field("public_key_b64", r.pk);
    opt_ts(j, "valid_from", r.from);
    opt_ts(j, "valid_until", r.until);
    j.field("expected", r.expected).end_object();
  }
  j.end_array();
  j.key("hash_text_cases").begin_array();
  for (const auto& h : hash_text_) {
    j.begin_object().field("name", h.name).field("text_b64", b64(h.text)).key("expected");
    if (h.expected) j.string(*h.expected);
    else j.null();
    j.end_object();
  }
  j.end_array();
  j.key("hash_vector_cases").begin_array();
  for (const auto& h : hash_vector_) {
    j.begin_object().field("name", h.name).field("vector_b64", b64(h.bytes));
    j.field("input_dtype", dtype_text(h.in)).field("hash_dtype", dtype_text(h.out)).key("expected");
    if (h.expected) j.string(*h.expected);
    else j.null();
    j.end_object();
  }
  j.end_array();
  j.key("sign_cases").begin_array();
  for (const auto& s : sign_) {
    const PinRequest& r = s.request;
    j.begin_object().field("name", s.name).field("kid", r.kid).field("model", r.model).field("source", r.source);
    j.field("vector_b64", b64(r.vector_bytes)).field("input_dtype", dtype_text(r.input_dtype));
    j.key("options").begin_object().field("protocol", static_cast<int64_t>(r.protocol));
    if (r.dtype != VECTORPIN_DTYPE_DEFAULT) j.field("dtype", dtype_text(r.dtype));
    if (r.model_hash) j.field("model_hash", *r.model_hash);
    if (r.timestamp) j.field("timestamp", *r.timestamp);
    if (!r.extra.empty()) {
      j.key("extra").begin_object();
      for (const auto& [k, v] : r.extra) j.field(k, v);
      j.end_object();
    }
    j.end_object();
    j.field("expected", s.pin ? "OK" : "INVALID_INPUT");
    if (s.pin) j.field("pin_json", *s.pin);
    j.end_object();
  }
  j.end_array().end_object();
  return j.str() + "\n";
}

std::string sig_of(const std::string& pin) {
  cli::PinHandle p;
  must(vectorpin_pin_parse(&p.p, pin.data(), pin.size(), nullptr), "vectorpin_pin_parse");
  const char* s;
  size_t n;
  must(vectorpin_pin_get(p.p, &s, &n, VECTORPIN_FIELD_SIG, nullptr), "vectorpin_pin_get");
  return std::string(s, n);
}

// Adds L (the group order) to the S half of a signature: same value mod L,
// non-canonical encoding, which strict verification refuses.
std::string add_order_to_s(const std::string& pin) {
  static const uint8_t kL[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                 0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
  std::string old_sig = sig_of(pin);
  std::string sig = unb64(old_sig);
  unsigned carry = 0;
  for (size_t i = 0; i < 32; ++i) {
    unsigned sum = static_cast<uint8_t>(sig[32 + i]) + kL[i] + carry;
    sig[32 + i] = static_cast<char>(sum & 0xff);
    carry = sum >> 8;
  }
  return replace_once(pin, old_sig, b64(sig));
}

std::string small_order_r(const std::string& pin) {
  std::string old_sig = sig_of(pin);
  std::string sig = unb64(old_sig);
  sig.replace(0, 32, std::string("\x01") + std::string(31, '\0'));
  return replace_once(pin, old_sig, b64(sig));
}

std::string hex_bytes(const char* hex) {
  std::string out;
  for (size_t i = 0; hex[i] && hex[i + 1]; i += 2) out += static_cast<char>(std::stoi(std::string(hex + i, 2), nullptr, 16));
  return out;
}

void add_parse_cases(Extended& x, const std::string& base) {
  auto parse_fail = [&](const std::string& name, const std::string& description, const std::string& pin) {
    x.add({name, description, pin, {}, false, {}, {}, VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "PARSE_ERROR"});
  };
  auto same_as = [&](const std::string& name, const std::string& description, const std::string& pin,
                     const std::string& expected) {
    x.add({name, description, pin, {}, false, {}, {}, VECTORPIN_DTYPE_F32, {}, {}, {}, {}, expected});
  };
  const std::string sig = sig_of(base);
  const std::string vh = vec_hash(base);

  // --- JSON syntax and structure ---
  parse_fail("duplicate_top_level_key", "The key \"model\" appears twice.",
             replace_once(base, "\"model\":\"test-model-v1\",", "\"model\":\"test-model-v1\",\"model\":\"test-model-v1\","));
  parse_fail("duplicate_version_key", "\"v\" appears twice with different values.",
             replace_once(base, "\"v\":2,", "\"v\":2,\"v\":1,"));
  {
    PinRequest r = base_request();
    r.extra["a"] = "1";
    std::string p = sign(r);
    parse_fail("duplicate_extra_key", "A key appears twice inside extra.", replace_once(p, "{\"a\":\"1\"}", "{\"a\":\"1\",\"a\":\"1\"}"));
  }
  parse_fail("bom_prefix", "A UTF-8 byte order mark before the object.", "\xef\xbb\xbf" + base);
  parse_fail("trailing_garbage", "Bytes after the closing brace.", base + "x");
  parse_fail("two_objects", "A second JSON value after the pin.", base + base);
  same_as("trailing_newline", "Whitespace after the object is allowed.", base + "\r\n \t", "OK");
  parse_fail("root_is_array", "The root is an array holding the pin.", "[" + base + "]");
  parse_fail("empty_input", "No bytes at all.", "");
  parse_fail("truncated", "The pin cut off before its end.", base.substr(0, base.size() - 1));
  parse_fail("deep_nesting", "100000 nested arrays as a value: refused without exhausting the stack.",
             replace_once(base, "\"model\":\"test-model-v1\"", "\"model\":" + std::string(100000, '[') + std::string(100000, ']')));
  parse_fail("unescaped_control_in_string", "A raw newline inside a JSON string.",
             replace_once(base, "test-model-v1", "test-model\nv1"));
  parse_fail("invalid_utf8_byte", "A stray 0xff byte inside the model string.", replace_once(base, "test-model-v1", "test-\xff-v1"));
  parse_fail("overlong_utf8", "An overlong two-byte encoding of '/'.", replace_once(base, "test-model-v1", "test\xc0\xafv1"));
  parse_fail("utf8_encoded_surrogate", "A surrogate code point encoded directly in UTF-8.",
             replace_once(base, "test-model-v1", "test\xed\xa0\x80v1"));
  parse_fail("lone_high_surrogate_escape", "\\ud800 not followed by a low surrogate.", replace_once(base, "test-model-v1", "test\\ud800v1"));
  parse_fail("lone_low_surrogate_escape", "\\udc00 with no high surrogate before it.", replace_once(base, "test-model-v1", "test\\udc00v1"));
  parse_fail("reversed_surrogate_pair", "Low surrogate escape before the high one.",
             replace_once(base, "test-model-v1", "test\\ude00\\ud83dv1"));
  parse_fail("unknown_escape", "\\x is not a JSON escape.", replace_once(base, "test-model-v1", "test\\x41v1"));
  parse_fail("single_quotes", "Single-quoted strings are not JSON.", replace_once(base, "\"model\":\"test-model-v1\"", "'model':'test-model-v1'"));
  parse_fail("trailing_comma", "A comma before the closing brace.", base.substr(0, base.size() - 1) + ",}");
  same_as("oversize_exactly_at_limit", "Whitespace pads the pin to exactly 65536 bytes: accepted.",
          base + std::string(VECTORPIN_MAX_PIN_JSON_BYTES - base.size(), ' '), "OK");
  parse_fail("oversize_one_byte_over", "Padded to 65537 bytes: refused before parsing.",
             base + std::string(VECTORPIN_MAX_PIN_JSON_BYTES + 1 - base.size(), ' '));
  parse_fail("missing_sig", "The sig field is absent.", replace_once(base, "\"sig\":\"" + sig + "\",", ""));
  parse_fail("missing_kid", "The kid field is absent.", replace_once(base, std::string("\"kid\":\"") + kV2Kid + "\",", ""));
  parse_fail("missing_source_hash", "The source_hash field is absent.",
             replace_once(base, "\"source_hash\":\"" + source_hash(base) + "\",", ""));
  parse_fail("missing_version", "The v field is absent.", replace_once(base, "\"v\":2,", ""));

  // --- v ---
  parse_fail("version_string", "v is the string \"2\".", replace_once(base, "\"v\":2", "\"v\":\"2\""));
  parse_fail("version_fraction", "v is 2.0, not an integer.", replace_once(base, "\"v\":2", "\"v\":2.0"));
  parse_fail("version_exponent", "v is 2e0, not an integer.", replace_once(base, "\"v\":2", "\"v\":2e0"));
  parse_fail("version_leading_zero", "v is 02: not valid JSON.", replace_once(base, "\"v\":2", "\"v\":02"));
  parse_fail("version_null", "v is null.", replace_once(base, "\"v\":2", "\"v\":null"));
  same_as("version_negative_zero", "v is -0, an integer other than 1 and 2.", replace_once(base, "\"v\":2", "\"v\":-0"),
          "UNSUPPORTED_VERSION");
  same_as("version_3", "v is 3.", replace_once(base, "\"v\":2", "\"v\":3"), "UNSUPPORTED_VERSION");
  same_as("version_2_pow_64_plus_2", "v is 2^64+2, which must not wrap around to 2.",
          replace_once(base, "\"v\":2", "\"v\":18446744073709551618"), "UNSUPPORTED_VERSION");
  same_as("unsupported_version_before_field_rules", "v = 3 with a malformed vec_dtype: the version is judged first.",
          replace_once(replace_once(base, "\"v\":2", "\"v\":3"), "\"f32\"", "\"f16\""), "UNSUPPORTED_VERSION");
  parse_fail("unknown_field_before_version", "v = 3 and an unknown field: unknown fields are judged first.",
             replace_once(replace_once(base, "\"v\":2", "\"v\":3"), "\"v\":3", "\"v\":3,\"color\":\"red\""));

  // --- identifiers ---
  parse_fail("kid_empty", "kid is the empty string.", replace_once(base, std::string("\"") + kV2Kid + "\"", "\"\""));
  parse_fail("kid_control_char", "kid holds U+0001 (escaped).", replace_once(base, kV2Kid, std::string(kV2Kid) + "\\u0001"));
  parse_fail("kid_bidi_override", "kid holds U+202E RIGHT-TO-LEFT OVERRIDE.", replace_once(base, kV2Kid, std::string(kV2Kid) + "\xe2\x80\xae"));
  parse_fail("kid_nfd", "kid is not in NFC.", replace_once(base, kV2Kid, std::string(kV2Kid) + "e\xcc\x81"));
  parse_fail("kid_not_string", "kid is a number.", replace_once(base, std::string("\"") + kV2Kid + "\"", "7"));
  parse_fail("model_empty", "model is the empty string.", replace_once(base, "\"test-model-v1\"", "\"\""));
  parse_fail("model_tab", "model holds a tab (escaped).", replace_once(base, "test-model-v1", "test\\tmodel"));
  parse_fail("model_isolate_bidi", "model holds U+2066 LEFT-TO-RIGHT ISOLATE.", replace_once(base, "test-model-v1", "test\xe2\x81\xa6model"));

  // --- hashes, dtype, dim, ts ---
  parse_fail("vec_hash_uppercase", "vec_hash in uppercase hex.", replace_once(base, vh.substr(7), [&] {
               std::string u = vh.substr(7);
               for (auto& ch : u) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
               return u;
             }()));
  parse_fail("vec_hash_no_prefix", "vec_hash without \"sha256:\".", replace_once(base, vh, vh.substr(7)));
  parse_fail("vec_hash_trailing_newline", "vec_hash followed by an escaped newline.", replace_once(base, vh, vh + "\\n"));
  parse_fail("vec_hash_short", "vec_hash with 63 hex digits.", replace_once(base, vh, vh.substr(0, 70)));
  parse_fail("vec_hash_sha512_prefix", "A prefix other than sha256.", replace_once(base, vh, "sha512:" + vh.substr(7)));
  parse_fail("model_hash_null", "model_hash is null.", base.substr(0, base.size() - 1) + ",\"model_hash\":null}");
  parse_fail("model_hash_malformed", "model_hash is not a hash string.",
             base.substr(0, base.size() - 1) + ",\"model_hash\":\"sha256:xyz\"}");
  parse_fail("vec_dtype_f16", "vec_dtype f16 is not defined.", replace_once(base, "\"f32\"", "\"f16\""));
  parse_fail("vec_dtype_uppercase", "vec_dtype F32.", replace_once(base, "\"f32\"", "\"F32\""));
  parse_fail("vec_dim_zero", "vec_dim 0.", replace_once(base, "\"vec_dim\":4", "\"vec_dim\":0"));
  parse_fail("vec_dim_negative", "vec_dim -4.", replace_once(base, "\"vec_dim\":4", "\"vec_dim\":-4"));
  parse_fail("vec_dim_fraction", "vec_dim 4.0.", replace_once(base, "\"vec_dim\":4", "\"vec_dim\":4.0"));
  parse_fail("vec_dim_string", "vec_dim \"4\".", replace_once(base, "\"vec_dim\":4", "\"vec_dim\":\"4\""));
  parse_fail("vec_dim_over_limit", "vec_dim 1048577 (2^20 + 1).", replace_once(base, "\"vec_dim\":4", "\"vec_dim\":1048577"));
  parse_fail("vec_dim_huge", "vec_dim 2^64+4.", replace_once(base, "\"vec_dim\":4", "\"vec_dim\":18446744073709551620"));
  parse_fail("ts_space_separator", "A space instead of T.", replace_once(base, kTimestamp, "2026-05-05 12:00:00Z"));
  parse_fail("ts_no_zone", "No trailing Z.", replace_once(base, kTimestamp, "2026-05-05T12:00:00"));
  parse_fail("ts_short_year", "A two-digit year.", replace_once(base, kTimestamp, "26-05-05T12:00:00Z"));
  parse_fail("ts_non_ascii_digit", "A full-width digit where a digit belongs.", replace_once(base, kTimestamp, "2026-05-05T12:00:0\xef\xbc\x90Z"));

  // --- sig encoding ---
  const std::string raw_sig = unb64(sig);
  parse_fail("sig_padded", "The signature with '==' padding.", replace_once(base, sig, sig + "=="));
  parse_fail("sig_standard_alphabet", "'+' and '/' from the standard alphabet.", replace_once(base, sig, [&] {
               std::string s = sig;
               s[0] = '+';
               s[1] = '/';
               return s;
             }()));
  parse_fail("sig_whitespace", "A space inside the signature.", replace_once(base, sig, sig.substr(0, 40) + " " + sig.substr(40)));
  parse_fail("sig_nonzero_trailing_bits", "The last character sets one of the 4 bits beyond the 64 bytes.",
             replace_once(base, sig, [&] {
               static const std::string kAlphabet =
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
               std::string s = sig;
               s.back() = kAlphabet[kAlphabet.find(s.back()) | 1];
               return s;
             }()));
  parse_fail("sig_63_bytes", "The signature decodes to 63 bytes.", replace_once(base, sig, b64(raw_sig.substr(0, 63))));
  parse_fail("sig_65_bytes", "The signature decodes to 65 bytes.", replace_once(base, sig, b64(raw_sig + "\x01")));
}

void add_extra_cases(Extended& x) {
  auto with_extra = [&](std::map<std::string, std::string> extra) {
    PinRequest r = base_request();
    r.extra = std::move(extra);
    return sign(r);
  };
  auto pin_with_n = [&](size_t n) {
    std::map<std::string, std::string> e;
    for (size_t i = 0; i < n; ++i) e["k" + std::to_string(100 + i)] = "v";
    return e;
  };
  std::string p32 = with_extra(pin_with_n(32));
  x.add({"extra_32_entries", "extra with exactly 32 entries.", p32, {}, false, {}, {}, VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "OK"});
  x.add({"extra_33_entries", "extra with 33 entries.", replace_once(p32, "{\"k100\":\"v\"", "{\"k099\":\"v\",\"k100\":\"v\""), {}, false,
         {}, {}, VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "PARSE_ERROR"});
  std::string key128(128, 'k'), val1024(1024, 'v');
  std::string pk = with_extra({{key128, val1024}});
  x.add({"extra_key_128_value_1024", "An extra key of exactly 128 bytes and a value of exactly 1024.", pk, {}, false, {}, {},
         VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "OK"});
  x.add({"extra_key_129_bytes", "An extra key of 129 bytes.", replace_once(pk, key128, key128 + "k"), {}, false, {}, {},
         VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "PARSE_ERROR"});
  x.add({"extra_value_1025_bytes", "An extra value of 1025 bytes.", replace_once(pk, val1024, val1024 + "v"), {}, false, {}, {},
         VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "PARSE_ERROR"});
  std::string multibyte_key;
  for (int i = 0; i < 64; ++i) multibyte_key += "\xc3\xa9";  // 64 x U+00E9: 128 bytes
  std::string pm = with_extra({{multibyte_key, "x"}});
  x.add({"extra_key_128_bytes_multibyte", "A key of 64 two-byte characters: 128 bytes, accepted.", pm, {}, false, {}, {},
         VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "OK"});
  x.add({"extra_key_130_bytes_multibyte", "65 two-byte characters: 130 bytes, refused (limits count bytes).",
         replace_once(pm, multibyte_key, multibyte_key + "\xc3\xa9"), {}, false, {}, {}, VECTORPIN_DTYPE_F32, {}, {}, {}, {},
         "PARSE_ERROR"});
  std::string pr = with_extra({{"region", "us-west"}});
  x.add({"extra_null", "extra is null.", replace_once(pr, "{\"region\":\"us-west\"}", "null"), {}, false, {}, {}, VECTORPIN_DTYPE_F32,
         {}, {}, {}, {}, "PARSE_ERROR"});
  x.add({"extra_array", "extra is an array.", replace_once(pr, "{\"region\":\"us-west\"}", "[\"us-west\"]"), {}, false, {}, {},
         VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "PARSE_ERROR"});
  x.add({"extra_nested_object", "An extra value that is an object.", replace_once(pr, "\"us-west\"", "{\"a\":\"b\"}"), {}, false, {}, {},
         VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "PARSE_ERROR"});
  x.add({"extra_value_null", "An extra value that is null.", replace_once(pr, "\"us-west\"", "null"), {}, false, {}, {},
         VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "PARSE_ERROR"});
  x.add({"extra_value_nfd", "An extra value in NFD.", replace_once(pr, "us-west", "cafe\xcc\x81"), {}, false, {}, {},
         VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "PARSE_ERROR"});
  x.add({"extra_key_control_char", "An extra key holding U+001F.", replace_once(pr, "\"region\"", "\"reg\\u001fion\""), {}, false, {}, {},
         VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "PARSE_ERROR"});
  x.add({"extra_value_bidi", "An extra value holding U+202B.", replace_once(pr, "us-west", "us\xe2\x80\xab-west"), {}, false, {}, {},
         VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "PARSE_ERROR"});
  x.add({"extra_empty_key", "An extra key that is empty (refused: it names nothing).", replace_once(pr, "\"region\"", "\"\""), {}, false,
         {}, {}, VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "PARSE_ERROR"});
  std::string plain = sign(base_request());
  x.add({"extra_empty_object", "An empty extra object: allowed, and omitted from the signed bytes.",
         "{\"extra\":{}," + plain.substr(1), {}, false, {}, {}, VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "OK"});
  x.add({"extra_tampered_value", "An extra value changed after signing.", replace_once(pr, "us-west", "us-east"), {}, false, {}, {},
         VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "SIGNATURE_INVALID"});
  x.add({"extra_entry_added", "An extra entry added after signing.",
         replace_once(pr, "{\"region\":\"us-west\"}", "{\"region\":\"us-west\",\"zone\":\"b\"}"), {}, false, {}, {},
         VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "SIGNATURE_INVALID"});
}

void add_reformat_cases(Extended& x) {
  PinRequest r = base_request();
  r.model = "mod\xc3\xa8le-\xf0\x9f\x98\x80/v1";  // "modèle-😀/v1"
  r.extra["note"] = "\xc3\xbc" "ber";
  std::string p = sign(r);
  x.add({"non_ascii_raw", "Non-ASCII model and extra written as raw UTF-8 (the canonical form).", p, {}, false, {}, {},
         VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "OK"});
  std::string escaped = replace_once(replace_once(p, "mod\xc3\xa8le-\xf0\x9f\x98\x80/v1", "mod\\u00e8le-\\ud83d\\ude00\\/v1"),
                                     "\xc3\xbc" "ber", "\\u00FCber");
  x.add({"non_ascii_escaped", "The same pin with \\u escapes, a surrogate pair, upper-case hex and an escaped slash.", escaped, {},
         false, {}, {}, VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "OK"});
  // Key order reversed and whitespace everywhere: as a JSONB column hands it back.
  std::string plain = sign(base_request());
  std::string body = plain.substr(1, plain.size() - 2);
  std::vector<std::string> members;
  size_t start = 0;
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '"' && (i == 0 || body[i - 1] != '\\')) in_string = !in_string;
    if (!in_string && body[i] == ',') {
      members.push_back(body.substr(start, i - start));
      start = i + 1;
    }
  }
  members.push_back(body.substr(start));
  std::string reordered = "{\n";
  for (size_t i = members.size(); i-- > 0;) {
    std::string m = members[i];
    size_t colon = m.find("\":") + 1;
    reordered += "\t" + m.substr(0, colon) + " :  " + m.substr(colon + 1) + (i ? " ,\r\n" : "\n");
  }
  reordered += "}";
  x.add({"reordered_with_whitespace", "Keys in reverse order and whitespace between all tokens.", reordered, {}, false, {}, {},
         VECTORPIN_DTYPE_F32, {}, {}, {}, {}, "OK"});
}

void add_verification_cases(Extended& x, const std::string& base) {
  const std::string vec = f32_bytes(kVec);
  const std::string vh_src = "hello world";
  auto c = [&](std::string name, std::string description, std::string pin, std::string expected) {
    VerifyCase v;
    v.name = std::move(name);
    v.description = std::move(description);
    v.pin = std::move(pin);
    v.expected = std::move(expected);
    return v;
  };

  // Unknown key, windows.
  {
    VerifyCase v = c("unknown_key_empty_registry", "No key registered at all.", base, "UNKNOWN_KEY");
    v.keys = {{"someone-else", test_public_key_b64(), {}, {}}};
    x.add(v);
  }
  auto windowed = [&](const std::string& name, const std::string& description, const std::string& pin,
                      std::optional<std::string> from, std::optional<std::string> until, const std::string& expected) {
    VerifyCase v = c(name, description, pin, expected);
    v.keys = {{kV2Kid, test_public_key_b64(), std::move(from), std::move(until)}};
    x.add(v);
  };
  windowed("window_inside", "ts within [valid_from, valid_until).", base, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "OK");
  windowed("window_at_valid_from", "ts equal to valid_from: inclusive.", base, kTimestamp, {}, "OK");
  windowed("window_before_valid_from", "ts one second before valid_from.", base, "2026-05-05T12:00:01Z", {}, "KEY_EXPIRED");
  windowed("window_at_valid_until", "ts equal to valid_until: exclusive.", base, {}, kTimestamp, "KEY_EXPIRED");
  windowed("window_just_before_valid_until", "ts one second before valid_until.", base, {}, "2026-05-05T12:00:01Z", "OK");
  windowed("window_revoked_key", "A key revoked before the pin's ts (valid_until in the past).", base, "2025-11-01T00:00:00Z",
           "2026-05-01T00:00:00Z", "KEY_EXPIRED");
  windowed("window_checked_before_signature", "ts outside the window and a broken signature: the window is judged first.",
           replace_once(base, "\"vec_dim\":4", "\"vec_dim\":5"), {}, "2026-01-01T00:00:00Z", "KEY_EXPIRED");
  std::string unreal = resign(replace_once(base, kTimestamp, "2026-02-30T12:00:00Z"));
  windowed("unreal_date_with_window", "ts of canonical form but February 30th, while a bound is set.", unreal,
           "2026-01-01T00:00:00Z", {}, "KEY_EXPIRED");
  x.add(c("unreal_date_without_window", "The same pin with no window: the form is all v2 parsing requires.", unreal, "OK"));
  std::string leap = resign(replace_once(base, kTimestamp, "2028-02-29T23:59:59Z"));
  windowed("leap_day_with_window", "February 29th of a leap year is a real date.", leap, "2028-01-01T00:00:00Z", {}, "OK");
  std::string leap_second = resign(replace_once(base, kTimestamp, "2026-06-30T23:59:60Z"));
  windowed("leap_second_with_window", "Second 60 is not accepted as a real time.", leap_second, "2026-01-01T00:00:00Z", {},
           "KEY_EXPIRED");

  // Signature.
  {
    VerifyCase v = c("wrong_public_key", "The kid is registered with a different key.", base, "SIGNATURE_INVALID");
    v.keys = {{kV2Kid, other_public_key_b64(), {}, {}}};
    x.add(v);
  }
  {
    VerifyCase v = c("kid_is_signed_v2", "kid changed to another registered kid: v2 signs the kid.",
                     replace_once(base, kV2Kid, "other-kid"), "SIGNATURE_INVALID");
    v.keys = {{"other-kid", test_public_key_b64(), {}, {}}};
    x.add(v);
  }
  x.add(c("model_tampered", "model edited after signing.", replace_once(base, "test-model-v1", "test-model-v2"), "SIGNATURE_INVALID"));
  x.add(c("ts_tampered", "ts edited after signing.", replace_once(base, kTimestamp, "2026-05-05T12:00:01Z"), "SIGNATURE_INVALID"));
  x.add(c("sig_s_plus_order", "S replaced by S + L: same value mod L, non-canonical encoding.", add_order_to_s(base),
          "SIGNATURE_INVALID"));
  x.add(c("sig_small_order_r", "R replaced by the identity point (small order).", small_order_r(base), "SIGNATURE_INVALID"));
  x.add(c("sig_all_zero", "A signature of 64 zero bytes.", replace_once(base, sig_of(base), b64(std::string(64, '\0'))),
          "SIGNATURE_INVALID"));
  {
    VerifyCase v = c("version_downgrade_to_v1", "v changed from 2 to 1 with legacy enabled: the v1 signed bytes differ.",
                     replace_once(base, "\"v\":2", "\"v\":1"), "SIGNATURE_INVALID");
    v.legacy_v1 = true;
    x.add(v);
  }

  // Vector checks.
  auto with_vec = [&](std::string name, std::string description, std::string pin, std::string bytes, vectorpin_dtype d,
                      std::string expected) {
    VerifyCase v = c(std::move(name), std::move(description), std::move(pin), std::move(expected));
    v.vector_bytes = std::move(bytes);
    v.vector_dtype = d;
    x.add(v);
  };
  with_vec("vector_ok", "The pinned vector.", base, vec, VECTORPIN_DTYPE_F32, "OK");
  with_vec("vector_as_f64_exact", "The same values supplied as f64: cast to the pin's f32, they hash the same.", base,
           f64_bytes({0.25, -0.5, 1.0, 0.125}), VECTORPIN_DTYPE_F64, "OK");
  with_vec("vector_as_f64_rounding", "f64 values that round to the pinned f32 values.", base,
           f64_bytes({0.25 + 1e-12, -0.5, 1.0, 0.125}), VECTORPIN_DTYPE_F64, "OK");
  with_vec("vector_short", "One element fewer than vec_dim.", base, f32_bytes({0.25f, -0.5f, 1.0f}), VECTORPIN_DTYPE_F32,
           "SHAPE_MISMATCH");
  with_vec("vector_long", "One element more than vec_dim.", base, f32_bytes({0.25f, -0.5f, 1.0f, 0.125f, 0.0f}),
           VECTORPIN_DTYPE_F32, "SHAPE_MISMATCH");
  with_vec("vector_empty", "An empty vector supplied.", base, std::string(), VECTORPIN_DTYPE_F32, "SHAPE_MISMATCH");
  with_vec("vector_noise", "Noise of 1e-6 on one element.", base, f32_bytes({0.25f, -0.5f, 1.000001f, 0.125f}),
           VECTORPIN_DTYPE_F32, "VECTOR_TAMPERED");
  with_vec("vector_scaled", "All elements scaled by 1.01.", base, f32_bytes({0.2525f, -0.505f, 1.01f, 0.12625f}),
           VECTORPIN_DTYPE_F32, "VECTOR_TAMPERED");
  with_vec("vector_rotated", "Two elements swapped (a permutation / rotation).", base, f32_bytes({-0.5f, 0.25f, 1.0f, 0.125f}),
           VECTORPIN_DTYPE_F32, "VECTOR_TAMPERED");
  with_vec("vector_lsb_flip", "The lowest mantissa bit of one element flipped (steganography).", base, [&] {
    std::string b = vec;
    b[8] = static_cast<char>(b[8] ^ 1);
    return b;
  }(), VECTORPIN_DTYPE_F32, "VECTOR_TAMPERED");
  with_vec("vector_nan", "A quiet NaN in the supplied vector.", base,
           f32_bytes({0.25f, std::numeric_limits<float>::quiet_NaN(), 1.0f, 0.125f}), VECTORPIN_DTYPE_F32, "PARSE_ERROR");
  with_vec("vector_negative_nan", "A NaN with the sign bit set.", base, [&] {
    std::string b = vec;
    const char nan[4] = {0, 0, static_cast<char>(0xc0), static_cast<char>(0xff)};
    b.replace(4, 4, nan, 4);
    return b;
  }(), VECTORPIN_DTYPE_F32, "PARSE_ERROR");
  with_vec("vector_signalling_nan", "A signalling NaN payload.", base, [&] {
    std::string b = vec;
    const char nan[4] = {1, 0, static_cast<char>(0x80), 0x7f};
    b.replace(4, 4, nan, 4);
    return b;
  }(), VECTORPIN_DTYPE_F32, "PARSE_ERROR");
  with_vec("vector_infinity", "+Inf in the supplied vector.", base,
           f32_bytes({0.25f, -0.5f, std::numeric_limits<float>::infinity(), 0.125f}), VECTORPIN_DTYPE_F32, "PARSE_ERROR");
  with_vec("vector_negative_infinity", "-Inf in the supplied vector.", base,
           f32_bytes({-std::numeric_limits<float>::infinity(), -0.5f, 1.0f, 0.125f}), VECTORPIN_DTYPE_F32, "PARSE_ERROR");
  with_vec("vector_f64_overflows_f32", "An f64 value that overflows the pin's f32 dtype.", base,
           f64_bytes({0.25, -0.5, 1e300, 0.125}), VECTORPIN_DTYPE_F64, "PARSE_ERROR");
  with_vec("vector_wrong_length_before_nan", "Wrong length and a NaN: the shape is judged first.", base,
           f32_bytes({std::numeric_limits<float>::quiet_NaN()}), VECTORPIN_DTYPE_F32, "SHAPE_MISMATCH");
  {
    PinRequest r = base_request();
    r.vector_bytes = f32_bytes({-0.0f, 1.0f});
    std::string p = sign(r);
    with_vec("negative_zero_ok", "A pinned -0.0 verifies as -0.0.", p, f32_bytes({-0.0f, 1.0f}), VECTORPIN_DTYPE_F32, "OK");
    with_vec("negative_zero_vs_positive", "-0.0 and +0.0 hash differently.", p, f32_bytes({0.0f, 1.0f}), VECTORPIN_DTYPE_F32,
             "VECTOR_TAMPERED");
  }
  {
    PinRequest r = base_request();
    r.input_dtype = VECTORPIN_DTYPE_F64;
    r.vector_bytes = f64_bytes({0.1, 0.2, 0.30000000000000004});
    std::string p = sign(r);
    with_vec("f64_pin_ok", "An f64 pin verified with its f64 vector.", p, r.vector_bytes, VECTORPIN_DTYPE_F64, "OK");
    with_vec("f64_pin_with_f32_vector", "The f64 pin verified with the values narrowed to f32: different bytes.", p,
             f32_bytes({0.1f, 0.2f, 0.3f}), VECTORPIN_DTYPE_F32, "VECTOR_TAMPERED");
  }
  {
    PinRequest r = base_request();
    r.vector_bytes = f32_bytes({0.5f});
    with_vec("dim_1", "A one-element vector.", sign(r), r.vector_bytes, VECTORPIN_DTYPE_F32, "OK");
    std::vector<float> big(VECTORPIN_MAX_VEC_DIM, 0.0f);
    r.vector_bytes = f32_bytes(big);
    x.add(c("dim_2_pow_20", "vec_dim 1048576, the largest allowed (verified without the vector).", sign(r), "OK"));
  }

  // Source checks.
  auto with_src = [&](std::string name, std::string description, std::string pin, std::string source, std::string expected) {
    VerifyCase v = c(std::move(name), std::move(description), std::move(pin), std::move(expected));
    v.source = std::move(source);
    x.add(v);
  };
  with_src("source_ok", "The pinned source.", base, vh_src, "OK");
  with_src("source_changed", "One character of the source changed.", base, "hello World", "SOURCE_MISMATCH");
  with_src("source_empty", "An empty source supplied.", base, "", "SOURCE_MISMATCH");
  with_src("source_trailing_newline", "The source with a newline added (no newline conversion).", base, "hello world\n",
           "SOURCE_MISMATCH");
  with_src("source_invalid_utf8", "The supplied source is not valid UTF-8.", base, "hello \xff world", "PARSE_ERROR");
  {
    PinRequest r = base_request();
    r.source = "caf\xc3\xa9\r\nna\xc3\xafve";
    std::string p = sign(r);
    with_src("source_nfd_equals_nfc", "The source supplied in NFD matches a pin made from NFC.", p, "cafe\xcc\x81\r\nnai\xcc\x88ve",
             "OK");
    with_src("source_crlf_vs_lf", "CRLF replaced by LF: a different source.", p, "caf\xc3\xa9\nna\xc3\xafve", "SOURCE_MISMATCH");
    r.source = "";
    with_src("source_empty_pinned", "A pin over the empty source, verified with the empty source.", sign(r), "", "OK");
    r.source = std::string("nul\0byte", 8);
    with_src("source_with_nul", "A source containing U+0000.", sign(r), std::string("nul\0byte", 8), "OK");
  }

  // Expectations and their order.
  PinRequest bound = base_request();
  bound.extra = {{"vectorpin.record_id", "rec-1"}, {"vectorpin.collection_id", "docs"}, {"vectorpin.tenant_id", "acme"}};
  const std::string bp = sign(bound);
  auto expect = [&](std::string name, std::string description, std::string pin, std::optional<std::string> model,
                    std::optional<std::string> rec, std::optional<std::string> col, std::optional<std::string> ten,
                    std::string expected) {
    VerifyCase v = c(std::move(name), std::move(description), std::move(pin), std::move(expected));
    v.model = std::move(model);
    v.record = std::move(rec);
    v.collection = std::move(col);
    v.tenant = std::move(ten);
    x.add(v);
  };
  expect("bound_all_match", "Record, collection and tenant all as expected.", bp, "test-model-v1", "rec-1", "docs", "acme", "OK");
  expect("model_mismatch_nfd", "The expected model differs only by normalization: compared exactly.", base,
         "test-model-v1\xcc\x81", {}, {}, {}, "MODEL_MISMATCH");
  expect("record_mismatch", "Another record id.", bp, {}, "rec-2", {}, {}, "RECORD_MISMATCH");
  expect("collection_mismatch", "Another collection.", bp, {}, {}, "other", {}, "COLLECTION_MISMATCH");
  expect("tenant_mismatch", "Another tenant.", bp, {}, {}, {}, "evil", "TENANT_MISMATCH");
  expect("record_missing", "A record id expected but the pin has none.", base, {}, "rec-1", {}, {}, "RECORD_MISMATCH");
  expect("collection_missing", "A collection expected but the pin has none.", base, {}, {}, "docs", {}, "COLLECTION_MISMATCH");
  expect("tenant_missing", "A tenant expected but the pin has none.", base, {}, {}, {}, "acme", "TENANT_MISMATCH");
  expect("order_model_before_record", "Model and record both wrong: model first.", bp, "m2", "rec-2", {}, {}, "MODEL_MISMATCH");
  expect("order_record_collection_tenant", "All three ids wrong: record first.", bp, {}, "x", "y", "z", "RECORD_MISMATCH");
  expect("order_collection_before_tenant", "Collection and tenant wrong: collection first.", bp, {}, "rec-1", "y", "z",
         "COLLECTION_MISMATCH");
  {
    VerifyCase v = c("order_vector_before_source", "Vector and source both wrong: vector first.", base, "VECTOR_TAMPERED");
    v.vector_bytes = f32_bytes({1, 2, 3, 4});
    v.source = "other";
    x.add(v);
    v = c("order_source_before_model", "Source and model both wrong: source first.", base, "SOURCE_MISMATCH");
    v.source = "other";
    v.model = "m2";
    x.add(v);
    v = c("order_signature_before_vector", "Signature and vector both wrong: signature first.",
          replace_once(base, "test-model-v1", "test-model-v9"), "SIGNATURE_INVALID");
    v.vector_bytes = f32_bytes({1, 2, 3, 4});
    x.add(v);
    v = c("order_unknown_key_before_signature", "Unknown kid and a broken signature: kid first.",
          replace_once(replace_once(base, kV2Kid, "nobody"), "\"vec_dim\":4", "\"vec_dim\":5"), "UNKNOWN_KEY");
    x.add(v);
  }
}

void add_legacy_cases(Extended& x) {
  PinRequest r = base_request();
  r.kid = kV1Kid;
  r.protocol = 1;
  std::string v1 = sign(r);
  auto legacy = [&](std::string name, std::string description, std::string pin, bool enabled, std::string expected) {
    VerifyCase v;
    v.name = std::move(name);
    v.description = std::move(description);
    v.pin = std::move(pin);
    v.legacy_v1 = enabled;
    v.expected = std::move(expected);
    x.add(v);
  };
  legacy("v1_with_legacy", "A v1 pin with legacy v1 enabled.", v1, true, "OK");
  legacy("v1_without_legacy", "A v1 pin with legacy v1 off (the default).", v1, false, "UNSUPPORTED_VERSION");
  legacy("v1_without_legacy_unknown_kid", "v1 without legacy and an unknown kid: the version is judged first.",
         replace_once(v1, kV1Kid, "nobody"), false, "UNSUPPORTED_VERSION");
  {
    VerifyCase v;
    v.name = "v1_kid_not_signed";
    v.description = "v1 does not sign the kid: moving a v1 pin to another registered kid with the same key verifies.";
    v.pin = replace_once(v1, kV1Kid, "another-kid");
    v.keys = {{"another-kid", test_public_key_b64(), {}, {}}};
    v.legacy_v1 = true;
    v.expected = "OK";
    x.add(v);
  }
  std::string free_ts = resign(replace_once(v1, kTimestamp, "5 May 2026, noon"));
  legacy("v1_free_form_ts", "v1 allows any ts string.", free_ts, true, "OK");
  {
    VerifyCase v;
    v.name = "v1_free_form_ts_with_window";
    v.description = "A v1 ts that is not a real UTC time, while the key has a window.";
    v.pin = free_ts;
    v.keys = {{kV1Kid, test_public_key_b64(), "2026-01-01T00:00:00Z", {}}};
    v.legacy_v1 = true;
    v.expected = "KEY_EXPIRED";
    x.add(v);
  }
  r.extra["note"] = "x";
  std::string with_extra = sign(r);
  legacy("v1_extra_control_char", "v1 extra values may hold control characters.",
         resign(replace_once(with_extra, "\"note\":\"x\"", "\"note\":\"a\\u0001b\"")), true, "OK");
  legacy("v1_extra_nfd", "v1 extra values need not be NFC.", resign(replace_once(with_extra, "\"note\":\"x\"", "\"note\":\"cafe\xcc\x81\"")),
         true, "OK");
  legacy("v1_model_nfd", "The NFC rule for model applies to v1 too.", replace_once(v1, "test-model-v1", "cafe\xcc\x81"), true,
         "PARSE_ERROR");
  legacy("v1_extra_33_entries", "The extra size limits apply to v1 too.", [&] {
    std::string e = "{";
    for (int i = 0; i < 33; ++i) e += std::string(i ? "," : "") + "\"k" + std::to_string(100 + i) + "\":\"v\"";
    return replace_once(with_extra, "{\"note\":\"x\"}", e + "}");
  }(), true, "PARSE_ERROR");
}

void add_hash_cases(Extended& x) {
  x.hash_text("ascii", "hello world", false);
  x.hash_text("empty", "", false);
  x.hash_text("nfc_cafe", "caf\xc3\xa9", false);
  x.hash_text("nfd_cafe_equals_nfc", "cafe\xcc\x81", false);
  x.hash_text("hangul_jamo_composes", "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", false);
  x.hash_text("astral_emoji", "\xf0\x9f\x98\x80 grin", false);
  x.hash_text("crlf_kept", "a\r\nb", false);
  x.hash_text("nul_byte", std::string("a\0b", 3), false);
  x.hash_text("invalid_byte", "a\xff", true);
  x.hash_text("overlong", "\xc0\xaf", true);
  x.hash_text("encoded_surrogate", "\xed\xa0\x80", true);
  x.hash_text("truncated_sequence", "\xe2\x82", true);
  x.hash_text("above_u10ffff", "\xf4\x90\x80\x80", true);

  const auto f32 = VECTORPIN_DTYPE_F32;
  const auto f64 = VECTORPIN_DTYPE_F64;
  x.hash_vector("f32_as_f32", f32_bytes({0.25f, -0.5f, 1.0f}), f32, f32, false);
  x.hash_vector("f32_widened_to_f64", f32_bytes({0.25f, -0.5f, 1.0f}), f32, f64, false);
  x.hash_vector("f64_as_f64", f64_bytes({0.1, 0.2, 0.3}), f64, f64, false);
  x.hash_vector("f64_rounded_to_f32", f64_bytes({0.1, 0.2, 0.3}), f64, f32, false);
  x.hash_vector("f64_tie_rounds_to_even", f64_bytes({1.0 + std::ldexp(1.0, -24), 1.0 + 3 * std::ldexp(1.0, -24)}), f64, f32, false);
  x.hash_vector("negative_zero", f32_bytes({-0.0f}), f32, f32, false);
  x.hash_vector("positive_zero", f32_bytes({0.0f}), f32, f32, false);
  x.hash_vector("subnormal", f32_bytes({std::numeric_limits<float>::denorm_min()}), f32, f32, false);
  x.hash_vector("f64_underflows_to_zero", f64_bytes({1e-50}), f64, f32, false);
  x.hash_vector("f32_max", f32_bytes({std::numeric_limits<float>::max()}), f32, f32, false);
  x.hash_vector("empty", std::string(), f32, f32, false);
  x.hash_vector("nan", f32_bytes({std::numeric_limits<float>::quiet_NaN()}), f32, f32, true);
  x.hash_vector("infinity", f64_bytes({-std::numeric_limits<double>::infinity()}), f64, f64, true);
  x.hash_vector("overflow_on_cast", f64_bytes({3.5e38}), f64, f32, true);
}

void add_sign_cases(Extended& x) {
  PinRequest r = base_request();
  x.sign_case("v2_basic", r, false);
  {
    PinRequest v1 = r;
    v1.protocol = 1;
    v1.kid = kV1Kid;
    x.sign_case("v1_basic", v1, false);
  }
  {
    PinRequest d = r;
    d.dtype = VECTORPIN_DTYPE_F64;
    x.sign_case("dtype_widened_to_f64", d, false);
    d.input_dtype = VECTORPIN_DTYPE_F64;
    d.vector_bytes = f64_bytes({0.1, 0.2});
    d.dtype = VECTORPIN_DTYPE_F32;
    x.sign_case("dtype_narrowed_to_f32", d, false);
  }
  {
    PinRequest n = r;
    n.kid = "kid-cafe\xcc\x81";
    n.model = "mode\xcc\x80le";
    n.extra = {{"cle\xcc\x81", "vale\xcc\x81ur"}};
    x.sign_case("nfd_inputs_normalized", n, false);
  }
  {
    PinRequest m = r;
    m.model_hash = "sha256:" + std::string(64, 'b');
    m.extra = {{"vectorpin.record_id", "r-1"}, {"region", "eu"}};
    m.timestamp = "2030-12-31T23:59:59Z";
    x.sign_case("model_hash_extra_timestamp", m, false);
  }
  auto refuse = [&](const std::string& name, PinRequest q) { x.sign_case(name, q, true); };
  PinRequest q = r;
  q.kid = "";
  refuse("empty_kid", q);
  q = r;
  q.model = "";
  refuse("empty_model", q);
  q = r;
  q.kid = "a\tb";
  refuse("kid_control_char", q);
  q = r;
  q.model = "m\xe2\x80\xaem";
  refuse("model_bidi", q);
  q = r;
  q.model_hash = "sha256:ABC";
  refuse("bad_model_hash", q);
  q = r;
  q.timestamp = "2026-05-05T12:00:00.5Z";
  refuse("fractional_timestamp", q);
  q = r;
  q.timestamp = "2026-02-30T00:00:00Z";
  refuse("unreal_timestamp", q);
  q = r;
  for (int i = 0; i < 33; ++i) q.extra["k" + std::to_string(i)] = "v";
  refuse("extra_33_entries", q);
  q = r;
  q.extra[std::string(129, 'k')] = "v";
  refuse("extra_key_129_bytes", q);
  q = r;
  q.extra["k"] = std::string(1025, 'v');
  refuse("extra_value_1025_bytes", q);
  q = r;
  q.extra[""] = "v";
  refuse("extra_empty_key", q);
  q = r;
  q.extra["k"] = "line\nbreak";
  refuse("extra_control_char", q);
  q = r;
  q.vector_bytes.clear();
  refuse("empty_vector", q);
  q = r;
  q.vector_bytes = f32_bytes({1.0f, std::numeric_limits<float>::quiet_NaN()});
  refuse("nan", q);
  q = r;
  q.input_dtype = VECTORPIN_DTYPE_F64;
  q.vector_bytes = f64_bytes({1e39});
  q.dtype = VECTORPIN_DTYPE_F32;
  refuse("overflow_on_cast", q);
  q = r;
  q.protocol = 1;
  q.timestamp = "2026-05-05T12:00:00+00:00";
  refuse("v1_noncanonical_timestamp", q);
  q = r;
  q.model = std::string(70000, 'm');
  refuse("pin_over_64k", q);
}

void add_registry_cases(Extended& x) {
  x.registry("test_key", test_public_key_b64(), {}, {}, "OK");
  x.registry("test_key_with_window", test_public_key_b64(), "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "OK");
  const char* weak[][2] = {
      {"identity", "0100000000000000000000000000000000000000000000000000000000000000"},
      {"all_zero_order_4", "0000000000000000000000000000000000000000000000000000000000000000"},
      {"order_4_sign_bit", "0000000000000000000000000000000000000000000000000000000000000080"},
      {"order_2", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
      {"order_8_a", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"},
      {"order_8_b", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"},
      {"order_8_c", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"},
      {"order_8_d", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"},
      {"non_canonical_y_equals_p", "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
      {"non_canonical_identity", "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
  };
  for (const auto& w : weak) x.registry(std::string("weak_") + w[0], b64(hex_bytes(w[1])), {}, {}, "INVALID_KEY");
  // A point off the curve: the first y whose x^2 has no square root.
  for (uint8_t y = 2; y < 100; ++y) {
    uint8_t p[32] = {y};
    if (crypto_core_ed25519_is_valid_point(p) == 0) {
      x.registry("off_curve", b64(std::string(reinterpret_cast<char*>(p), 32)), {}, {}, "INVALID_KEY");
      break;
    }
  }
  {
    // The test key plus a point of order 8: on the curve, outside the prime-order subgroup.
    std::string pk = unb64(test_public_key_b64()), t8 = hex_bytes("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a");
    uint8_t sum[32];
    crypto_core_ed25519_add(sum, reinterpret_cast<const uint8_t*>(pk.data()), reinterpret_cast<const uint8_t*>(t8.data()));
    x.registry("mixed_order_torsion", b64(std::string(reinterpret_cast<char*>(sum), 32)), {}, {}, "INVALID_KEY");
  }
  x.registry("window_not_a_timestamp", test_public_key_b64(), "2026-01-01", {}, "INVALID_INPUT");
  x.registry("window_unreal_date", test_public_key_b64(), "2026-13-01T00:00:00Z", {}, "INVALID_INPUT");
  x.registry("window_until_not_after_from", test_public_key_b64(), "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z",
             "INVALID_INPUT");
}

}  // namespace

std::string generate_extended() {
  Extended x;
  const std::string base = sign(base_request());
  add_parse_cases(x, base);
  add_extra_cases(x);
  add_reformat_cases(x);
  add_verification_cases(x, base);
  add_legacy_cases(x);
  add_hash_cases(x);
  add_sign_cases(x);
  add_registry_cases(x);
  return x.emit();
}

}  // namespace fixtures
