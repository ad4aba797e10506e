// Hostile pin JSON: duplicates, number spellings, limits at and over each
// bound, malformed Unicode, BOM, trailing bytes and deep nesting.
#include <cctype>

#include "support.hpp"

using namespace hostile;

namespace {

const std::vector<float> kVec = {1.0f, 2.0f, 3.0f, 4.0f};

std::string good_pin() {
  static const std::string pin = sign_json(kVec);
  return pin;
}

int verify_status(const vectorpin_verifier* v, const std::string& json, const std::vector<float>* vec = nullptr) {
  vectorpin_error e;
  int st = vectorpin_verify_json_f32(v, json.data(), json.size(), nullptr, 0, vec ? vec->data() : nullptr,
                                     vec ? vec->size() : 0, nullptr, &e);
  EXPECT_EQ(e.code, st);
  expect_bounded_detail(e, json);
  return st;
}

}  // namespace

TEST(HostileParse, GoodPinVerifies) {
  VerifierHandle v{make_verifier()};
  EXPECT_EQ(status_name(verify_status(v.v, good_pin(), &kVec)), "OK");
}

TEST(HostileParse, DuplicateTopLevelKey) {
  std::string pin = good_pin();
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "\"model\":\"m\"", "\"model\":\"m\",\"model\":\"m\""))),
            "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "\"model\":\"m\"", "\"model\":\"m\",\"model\":\"x\""))),
            "PARSE_ERROR");
  // The same key spelled with an escape is still the same key.
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "\"model\":\"m\"", "\"model\":\"m\",\"mod\\u0065l\":\"m\""))),
            "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "\"v\":2", "\"v\":2,\"v\":2"))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "\"sig\":", "\"sig\":\"AA\",\"sig\":"))), "PARSE_ERROR");
}

TEST(HostileParse, DuplicateKeyInsideExtra) {
  std::string pin = sign_json(kVec, "hello", {{"a", "1"}});
  ASSERT_EQ(status_name(parse_status(pin)), "OK");
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "{\"a\":\"1\"}", "{\"a\":\"1\",\"a\":\"1\"}"))),
            "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "{\"a\":\"1\"}", "{\"a\":\"1\",\"b\":\"2\",\"a\":\"3\"}"))),
            "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "{\"a\":\"1\"}", "{\"\\u0061\":\"1\",\"a\":\"1\"}"))),
            "PARSE_ERROR");
  // null and non-string values in extra are refused too.
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "{\"a\":\"1\"}", "{\"a\":null}"))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "{\"a\":\"1\"}", "{\"a\":{\"b\":\"c\"}}"))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "{\"a\":\"1\"}", "null"))), "PARSE_ERROR");
}

TEST(HostileParse, VersionNumberSpellings) {
  std::string pin = good_pin();
  auto with_v = [&](const char* v) { return replace_once(pin, "\"v\":2", std::string("\"v\":") + v); };
  EXPECT_EQ(status_name(parse_status(with_v("2.0"))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(with_v("2e0"))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(with_v("2E0"))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(with_v("02"))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(with_v("\"2\""))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(with_v("+2"))), "PARSE_ERROR");
  // Integers that are not 1 or 2: -0 is the integer 0, and 2^64+2 must not
  // wrap around to 2.
  EXPECT_EQ(status_name(parse_status(with_v("-0"))), "UNSUPPORTED_VERSION");
  EXPECT_EQ(status_name(parse_status(with_v("18446744073709551618"))), "UNSUPPORTED_VERSION");
  EXPECT_EQ(status_name(parse_status(with_v("4294967298"))), "UNSUPPORTED_VERSION");
  EXPECT_EQ(status_name(parse_status(with_v("3"))), "UNSUPPORTED_VERSION");
  EXPECT_EQ(status_name(parse_status(with_v("-2"))), "UNSUPPORTED_VERSION");
}

TEST(HostileParse, VecDimNumberSpellings) {
  std::string pin = good_pin();
  auto with_dim = [&](const char* d) { return replace_once(pin, "\"vec_dim\":4", std::string("\"vec_dim\":") + d); };
  ASSERT_EQ(status_name(parse_status(with_dim("4"))), "OK");
  for (const char* d : {"4.0", "4e0", "04", "-0", "0", "-4", "18446744073709551620", "18446744073709551618",
                        "4294967300", "1048577", "\"4\"", "null"})
    EXPECT_EQ(status_name(parse_status(with_dim(d))), "PARSE_ERROR") << d;
}

TEST(HostileParse, ExtraEntryCountLimit) {
  std::vector<Extra> extra;
  for (int i = 0; i < 32; ++i) extra.push_back({"k" + std::to_string(100 + i), "v"});
  std::string at_limit = sign_json(kVec, "hello", extra);
  VerifierHandle v{make_verifier()};
  EXPECT_EQ(status_name(verify_status(v.v, at_limit, &kVec)), "OK");
  std::string over = replace_once(at_limit, "\"extra\":{", "\"extra\":{\"k099\":\"v\",");
  EXPECT_EQ(status_name(parse_status(over)), "PARSE_ERROR");
  EXPECT_EQ(status_name(verify_status(v.v, over)), "PARSE_ERROR");
  // The signer refuses 33 entries itself.
  SignerHandle s{make_signer()};
  vectorpin_pin_options* o = nullptr;
  ASSERT_EQ(vectorpin_pin_options_new(&o, nullptr), VECTORPIN_OK);
  for (int i = 0; i < 33; ++i) {
    std::string k = "k" + std::to_string(100 + i);
    ASSERT_EQ(vectorpin_pin_options_set_extra(o, k.data(), k.size(), "v", 1, nullptr), VECTORPIN_OK);
  }
  vectorpin_pin* pin = nullptr;
  vectorpin_error e;
  EXPECT_EQ(status_name(vectorpin_signer_pin_f32(s.s, &pin, "x", 1, "m", 1, kVec.data(), kVec.size(), o, &e)),
            "INVALID_INPUT");
  expect_bounded_detail(e);
  EXPECT_EQ(pin, nullptr);
  vectorpin_pin_options_free(o);
}

TEST(HostileParse, ExtraKeyAndValueLengthLimits) {
  VerifierHandle v{make_verifier()};
  std::string key128(128, 'k'), value1024(1024, 'v');
  key128[0] = 'a';  // not one repeated byte, so the quoting check sees it
  value1024[0] = 'w';
  std::string at_limit = sign_json(kVec, "hello", {{key128, value1024}});
  EXPECT_EQ(status_name(verify_status(v.v, at_limit, &kVec)), "OK");
  std::string long_key = replace_once(at_limit, "\"" + key128 + "\"", "\"" + key128 + "k\"");
  EXPECT_EQ(status_name(verify_status(v.v, long_key)), "PARSE_ERROR");
  std::string long_value = replace_once(at_limit, "\"" + value1024 + "\"", "\"" + value1024 + "v\"");
  EXPECT_EQ(status_name(verify_status(v.v, long_value)), "PARSE_ERROR");
  // Multi-byte characters count in bytes: 64 two-byte characters are at the key limit, one more is over.
  std::string two_byte;
  for (int i = 0; i < 64; ++i) two_byte += "\xc3\xa9";
  std::string utf8_limit = sign_json(kVec, "hello", {{two_byte, "x"}});
  EXPECT_EQ(status_name(verify_status(v.v, utf8_limit, &kVec)), "OK");
  EXPECT_EQ(status_name(parse_status(replace_once(utf8_limit, two_byte, two_byte + "\xc3\xa9"))), "PARSE_ERROR");
  // The signer refuses the over-limit forms.
  SignerHandle s{make_signer()};
  for (auto [k, val] : {std::pair<std::string, std::string>{key128 + "k", "v"}, {"k", value1024 + "v"}}) {
    vectorpin_pin_options* o = nullptr;
    ASSERT_EQ(vectorpin_pin_options_new(&o, nullptr), VECTORPIN_OK);
    vectorpin_error e;
    int st = vectorpin_pin_options_set_extra(o, k.data(), k.size(), val.data(), val.size(), &e);
    vectorpin_pin* pin = nullptr;
    if (st == VECTORPIN_OK) st = vectorpin_signer_pin_f32(s.s, &pin, "x", 1, "m", 1, kVec.data(), kVec.size(), o, &e);
    EXPECT_EQ(status_name(st), "INVALID_INPUT");
    expect_bounded_detail(e, k + val);
    vectorpin_pin_free(pin);
    vectorpin_pin_options_free(o);
  }
}

TEST(HostileParse, PinSizeLimit) {
  VerifierHandle v{make_verifier()};
  std::string pin = good_pin();
  // Whitespace between tokens is legal, so pad a real pin to the exact limit.
  std::string at_limit = pin;
  at_limit.insert(1, 65536 - pin.size(), ' ');
  ASSERT_EQ(at_limit.size(), 65536u);
  EXPECT_EQ(status_name(verify_status(v.v, at_limit, &kVec)), "OK");
  std::string over = pin;
  over.insert(1, 65537 - pin.size(), ' ');
  ASSERT_EQ(over.size(), 65537u);
  EXPECT_EQ(status_name(verify_status(v.v, over, &kVec)), "PARSE_ERROR");
  // Over the limit with attacker text inside: refused before parsing, detail bounded.
  std::string big = replace_once(pin, "\"model\":\"m\"", "\"model\":\"" + std::string(70000, 'Q') + "m\"");
  EXPECT_EQ(status_name(parse_status(big)), "PARSE_ERROR");
}

TEST(HostileParse, VecDimLimit) {
  VerifierHandle v{make_verifier()};
  std::vector<float> big(1048576, 0.25f);
  std::string at_limit = sign_json(big);
  EXPECT_NE(at_limit.find("\"vec_dim\":1048576"), std::string::npos);
  EXPECT_EQ(status_name(verify_status(v.v, at_limit, &big)), "OK");
  EXPECT_EQ(status_name(parse_status(replace_once(at_limit, "\"vec_dim\":1048576", "\"vec_dim\":1048577"))),
            "PARSE_ERROR");
  big.push_back(0.25f);
  SignerHandle s{make_signer()};
  vectorpin_pin* pin = nullptr;
  vectorpin_error e;
  EXPECT_EQ(status_name(vectorpin_signer_pin_f32(s.s, &pin, "x", 1, "m", 1, big.data(), big.size(), nullptr, &e)),
            "INVALID_INPUT");
  expect_bounded_detail(e);
  EXPECT_EQ(pin, nullptr);
}

TEST(HostileParse, MalformedUtf8AndSurrogates) {
  std::string pin = good_pin();
  const char* bad_model_values[] = {
      "m\xff",              // invalid byte
      "m\xc3",              // truncated sequence
      "m\xc0\xaf",          // overlong '/'
      "m\xe0\x80\xaf",      // overlong, three bytes
      "m\xf0\x80\x80\xaf",  // overlong, four bytes
      "m\xed\xa0\x80",      // encoded high surrogate
      "m\xed\xbf\xbf",      // encoded low surrogate
      "m\xf4\x90\x80\x80",  // above U+10FFFF
      "m\\ud800",           // lone high surrogate escape
      "m\\udc00",           // lone low surrogate escape
      "m\\udc00\\ud800",    // reversed pair
      "m\\ud800x",          // high surrogate followed by a plain character
      "m\\ud800\\u0041",    // high surrogate followed by a non-surrogate escape
      "m\\u00",             // short escape
      "m\\x41",             // unknown escape
  };
  for (const char* m : bad_model_values) {
    std::string json = replace_once(pin, "\"model\":\"m\"", std::string("\"model\":\"") + m + "\"");
    EXPECT_EQ(status_name(parse_status(json)), "PARSE_ERROR") << m;
  }
  // Invalid UTF-8 in a key, and a raw control character in a string.
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "\"model\"", "\"mod\xc0\xafl\""))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "\"model\":\"m\"", "\"model\":\"m\x01\""))), "PARSE_ERROR");
  // A valid surrogate pair decodes; it is not NFC-relevant and parses.
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "\"model\":\"m\"", "\"model\":\"m\\ud83d\\ude00\""))), "OK");
  // Invalid UTF-8 as a source: refused by hash_text and reported by verify.
  vectorpin_error e;
  char out[VECTORPIN_HASH_STRING_BUFFER_BYTES];
  for (std::string src : {std::string("\xc0\xaf"), std::string("\xed\xa0\x80"), std::string("ok\xff")}) {
    EXPECT_EQ(status_name(vectorpin_hash_text(out, sizeof out, src.data(), src.size(), &e)), "INVALID_INPUT");
    expect_bounded_detail(e, src);
    VerifierHandle v{make_verifier()};
    EXPECT_EQ(status_name(vectorpin_verify_json_f32(v.v, pin.data(), pin.size(), src.data(), src.size(), nullptr, 0,
                                                    nullptr, &e)),
              "PARSE_ERROR");
    expect_bounded_detail(e, src);
  }
}

TEST(HostileParse, BomAndTrailingGarbage) {
  std::string pin = good_pin();
  EXPECT_EQ(status_name(parse_status("\xef\xbb\xbf" + pin)), "PARSE_ERROR");
  for (const char* tail : {"x", "}", " {}", "\n\"a\"", ",", "\xef\xbb\xbf"})
    EXPECT_EQ(status_name(parse_status(pin + tail)), "PARSE_ERROR") << tail;
  EXPECT_EQ(status_name(parse_status(pin + std::string("\0", 1))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status("[" + pin + "]")), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status("")), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status("null")), "PARSE_ERROR");
}

TEST(HostileParse, DeepNesting) {
  std::string deep(100000, '[');
  EXPECT_EQ(status_name(parse_status(deep)), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(deep + std::string(100000, ']'))), "PARSE_ERROR");
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  EXPECT_EQ(status_name(parse_status(objects)), "PARSE_ERROR");
  // Inside a field of an otherwise valid pin.
  std::string pin = good_pin();
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "\"model\":\"m\"", "\"model\":" + std::string(20000, '[')))),
            "PARSE_ERROR");
  // And in a registry document.
  VerifierHandle v{make_verifier()};
  vectorpin_error e;
  std::string reg = "{\"k\":" + std::string(100000, '[');
  EXPECT_EQ(status_name(vectorpin_verifier_load_registry(v.v, reg.data(), reg.size(), &e)), "INVALID_INPUT");
  expect_bounded_detail(e, reg);
  EXPECT_EQ(vectorpin_verifier_key_count(v.v), 1u);
}

TEST(HostileParse, AttackerTextIsQuotedBoundedly) {
  std::string pin = good_pin();
  // A control character escaped in an unknown field name.
  std::string unknown = replace_once(pin, "{", "{\"Z\\u0001q\":1,");
  EXPECT_EQ(status_name(parse_status(unknown)), "PARSE_ERROR");
  std::string printable;
  for (int i = 0; printable.size() < 3000; ++i) printable += "w" + std::to_string(i * 104729 % 100003);
  std::string field = replace_once(pin, "{", "{\"" + printable + "\":1,");
  EXPECT_EQ(status_name(parse_status(field)), "PARSE_ERROR");
  VerifierHandle v{make_verifier()};
  std::string kid = replace_once(pin, "\"kid\":\"hostile-kid\"", "\"kid\":\"" + printable + "\"");
  EXPECT_EQ(status_name(verify_status(v.v, kid)), "UNKNOWN_KEY");
  std::string escaped = replace_once(pin, "\"kid\":\"hostile-kid\"", "\"kid\":\"a\\u001b[31mred\\u0007\"");
  vectorpin_error e;
  EXPECT_EQ(status_name(vectorpin_verify_json_f32(v.v, escaped.data(), escaped.size(), nullptr, 0, nullptr, 0, nullptr,
                                                  &e)),
            "PARSE_ERROR");
  expect_bounded_detail(e, escaped);
  // Expectations quote attacker text from the pin and from the caller.
  std::string with_record = sign_json(kVec, "hello", {{"vectorpin.record_id", printable.substr(0, 1000)}});
  vectorpin_expectations* ex = nullptr;
  ASSERT_EQ(vectorpin_expectations_new(&ex, nullptr), VECTORPIN_OK);
  std::string other = printable.substr(1, 1000);
  ASSERT_EQ(vectorpin_expectations_set(ex, VECTORPIN_EXPECT_RECORD_ID, other.data(), other.size(), nullptr),
            VECTORPIN_OK);
  EXPECT_EQ(status_name(vectorpin_verify_json_f32(v.v, with_record.data(), with_record.size(), nullptr, 0, nullptr, 0,
                                                  ex, &e)),
            "RECORD_MISMATCH");
  expect_bounded_detail(e, printable);
  vectorpin_expectations_free(ex);
}

TEST(HostileParse, DuplicateKeysInRegistryDocuments) {
  const std::string pk = "\"A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg\"";
  const std::string entry = "{\"public_key\":" + pk + ",\"valid_from\":null,\"valid_until\":null}";
  VerifierHandle v{make_verifier()};
  auto load = [&](const std::string& doc) {
    vectorpin_error e;
    int st = vectorpin_verifier_load_registry(v.v, doc.data(), doc.size(), &e);
    EXPECT_EQ(e.code, st);
    expect_bounded_detail(e, doc);
    return status_name(st);
  };
  // The kid twice at the top level, also when one is spelled with an escape.
  EXPECT_EQ(load("{\"a\":" + entry + ",\"a\":" + entry + "}"), "INVALID_INPUT");
  EXPECT_EQ(load("{\"a\":" + entry + ",\"\\u0061\":" + entry + "}"), "INVALID_INPUT");
  // A field twice inside one entry, with the same or a different value.
  EXPECT_EQ(load("{\"a\":{\"public_key\":" + pk + ",\"public_key\":" + pk + "}}"), "INVALID_INPUT");
  EXPECT_EQ(load("{\"a\":{\"public_key\":" + pk +
                 ",\"valid_until\":null,\"valid_until\":\"2030-01-01T00:00:00Z\"}}"),
            "INVALID_INPUT");
  // All or nothing: none of the above added a key; the clean document does.
  EXPECT_EQ(vectorpin_verifier_key_count(v.v), 1u);
  EXPECT_EQ(load("{\"a\":" + entry + "}"), "OK");
  EXPECT_EQ(vectorpin_verifier_key_count(v.v), 2u);
}

TEST(HostileParse, FixedLengthFieldsAtAndAroundTheirLength) {
  std::string pin = good_pin();
  ASSERT_EQ(status_name(parse_status(pin)), "OK");
  // ts: exactly 20 characters; one more or one fewer is refused.
  EXPECT_EQ(status_name(parse_status(replace_once(pin, kTs, std::string(kTs) + "Z"))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(replace_once(pin, kTs, "2026-05-05T12:00:00"))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(replace_once(pin, kTs, "2026-05-05T12:00:00.5Z"))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(replace_once(pin, kTs, "2026-05-05t12:00:00z"))), "PARSE_ERROR");
  // Hash strings: "sha256:" + exactly 64 lowercase hex digits.
  size_t at = pin.find("\"source_hash\":\"sha256:") + 22;
  std::string hex = pin.substr(at, 64);
  EXPECT_EQ(status_name(parse_status(replace_once(pin, hex, hex + "0"))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(replace_once(pin, hex, hex.substr(0, 63)))), "PARSE_ERROR");
  std::string upper = hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != hex) EXPECT_EQ(status_name(parse_status(replace_once(pin, hex, upper))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(replace_once(pin, hex, hex.substr(0, 63) + "\\n"))), "PARSE_ERROR");
  // sig: base64url of exactly 64 bytes (86 characters); 63 and 65 bytes are refused.
  size_t s = pin.find("\"sig\":\"") + 7;
  std::string sig = pin.substr(s, pin.find('"', s) - s);
  ASSERT_EQ(sig.size(), 86u);
  EXPECT_EQ(status_name(parse_status(replace_once(pin, sig, sig.substr(0, 84)))), "PARSE_ERROR");  // 63 bytes
  EXPECT_EQ(status_name(parse_status(replace_once(pin, sig, sig + "AA"))), "PARSE_ERROR");         // 65 bytes
  EXPECT_EQ(status_name(parse_status(replace_once(pin, sig, sig + "=="))), "PARSE_ERROR");         // padding
  // kid and model: at least one character.
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "\"kid\":\"hostile-kid\"", "\"kid\":\"\""))), "PARSE_ERROR");
  EXPECT_EQ(status_name(parse_status(replace_once(pin, "\"model\":\"m\"", "\"model\":\"\""))), "PARSE_ERROR");
}
