// Internal building blocks: SHA-256, base64, UTF-8/NFC, timestamps, the
// strict JSON reader and message sanitizing.
#include <random>

#include <sodium.h>

#include "base64.hpp"
#include "error.hpp"
#include "json_reader.hpp"
#include "sha256.hpp"
#include "support.hpp"
#include "timestamp.hpp"
#include "unicode.hpp"
#include "util/utf8.hpp"

namespace vp = vectorpin;

namespace {

std::string hex(const vp::Sha256Digest& d) { return vp::hash_string(d).substr(7); }

TEST(Sha256, NistVectors) {
  EXPECT_EQ(hex(vp::sha256("", 0)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(vp::sha256("abc", 3)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  EXPECT_EQ(hex(vp::sha256(m448.data(), m448.size())), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  std::string m896 =
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
  EXPECT_EQ(hex(vp::sha256(m896.data(), m896.size())), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  vp::Sha256 h;
  std::string a(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.update(a.data(), a.size());
  EXPECT_EQ(hex(h.finish()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, MatchesLibsodiumWithArbitrarySplits) {
  ASSERT_GE(sodium_init(), 0);
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::vector<uint8_t> data(rng() % 3000);
    for (auto& b : data) b = static_cast<uint8_t>(rng());
    vp::Sha256 h;
    size_t pos = 0;
    while (pos < data.size()) {
      size_t take = std::min<size_t>(data.size() - pos, rng() % 200);
      h.update(data.data() + pos, take);
      pos += take;
    }
    uint8_t ref[32];
    crypto_hash_sha256(ref, data.data(), data.size());
    vp::Sha256Digest got = h.finish();
    ASSERT_EQ(std::memcmp(got.data(), ref, 32), 0) << "length " << data.size();
  }
}

TEST(HashString, Form) {
  EXPECT_TRUE(vp::is_hash_string("sha256:" + std::string(64, 'a')));
  EXPECT_FALSE(vp::is_hash_string("sha256:" + std::string(64, 'A')));
  EXPECT_FALSE(vp::is_hash_string("sha256:" + std::string(63, 'a')));
  EXPECT_FALSE(vp::is_hash_string("sha256:" + std::string(64, 'a') + "\n"));
  EXPECT_FALSE(vp::is_hash_string("SHA256:" + std::string(64, 'a')));
  EXPECT_FALSE(vp::is_hash_string("sha256:" + std::string(63, 'a') + "g"));
}

TEST(Base64Url, RoundTripAllLengths) {
  for (size_t n = 0; n < 70; ++n) {
    std::vector<uint8_t> data(n);
    for (size_t i = 0; i < n; ++i) data[i] = static_cast<uint8_t>(i * 37 + 11);
    std::string text = vp::base64url_encode(data.data(), data.size());
    EXPECT_EQ(text.find_first_of("=+/"), std::string::npos);
    std::vector<uint8_t> back;
    vp::Error err;
    ASSERT_EQ(vp::base64url_decode(text, back, err), VECTORPIN_OK);
    EXPECT_EQ(back, data);
  }
}

TEST(Base64Url, Strict) {
  std::vector<uint8_t> out;
  vp::Error err;
  EXPECT_EQ(vp::base64url_decode("AA==", out, err), VECTORPIN_INVALID_INPUT);  // padding
  EXPECT_EQ(vp::base64url_decode("A+8", out, err), VECTORPIN_INVALID_INPUT);   // std alphabet
  EXPECT_EQ(vp::base64url_decode("A/8", out, err), VECTORPIN_INVALID_INPUT);
  EXPECT_EQ(vp::base64url_decode("AA A", out, err), VECTORPIN_INVALID_INPUT);  // whitespace
  EXPECT_EQ(err.offset, 2);
  EXPECT_EQ(vp::base64url_decode("AB", out, err), VECTORPIN_INVALID_INPUT);    // trailing bits
  EXPECT_EQ(vp::base64url_decode("AAAAA", out, err), VECTORPIN_INVALID_INPUT); // impossible length
  EXPECT_EQ(vp::base64url_decode("AA", out, err), VECTORPIN_OK);
  EXPECT_EQ(out, std::vector<uint8_t>{0});
  EXPECT_EQ(vp::base64url_decode("", out, err), VECTORPIN_OK);
  EXPECT_TRUE(out.empty());
}

TEST(Base64Std, PaddingRequired) {
  std::vector<uint8_t> out;
  vp::Error err;
  EXPECT_EQ(vp::base64_decode("AA==", out, err), VECTORPIN_OK);
  EXPECT_EQ(vp::base64_decode("AA", out, err), VECTORPIN_INVALID_INPUT);
  EXPECT_EQ(vp::base64_decode("AA=A", out, err), VECTORPIN_INVALID_INPUT);
  EXPECT_EQ(vp::base64_decode("A===", out, err), VECTORPIN_INVALID_INPUT);
  EXPECT_EQ(vp::base64_decode("AB==", out, err), VECTORPIN_INVALID_INPUT);
  EXPECT_EQ(vp::base64_encode(reinterpret_cast<const uint8_t*>("ab"), 2), "YWI=");
}

TEST(Utf8, StrictDecoding) {
  EXPECT_EQ(vp::util::utf8_invalid_offset("plain"), std::string_view::npos);
  EXPECT_EQ(vp::util::utf8_invalid_offset("caf\xc3\xa9 \xf0\x9f\x98\x80"), std::string_view::npos);
  EXPECT_EQ(vp::util::utf8_invalid_offset("ab\xc0\xaf"), 2u);           // overlong
  EXPECT_EQ(vp::util::utf8_invalid_offset("\xe0\x80\xaf"), 0u);         // overlong 3-byte
  EXPECT_EQ(vp::util::utf8_invalid_offset("x\xed\xa0\x80"), 1u);        // surrogate
  EXPECT_EQ(vp::util::utf8_invalid_offset("\xf4\x90\x80\x80"), 0u);     // > U+10FFFF
  EXPECT_EQ(vp::util::utf8_invalid_offset("\xe2\x82"), 0u);             // truncated
  EXPECT_EQ(vp::util::utf8_invalid_offset("\x80"), 0u);                 // lone continuation
  EXPECT_EQ(vp::util::utf8_invalid_offset("\xff"), 0u);
}

// The one UTF-8 implementation (util/utf8) that the core and the tools
// share: every scalar value round-trips through the encoder and the
// decoder in its shortest form, and each edge of the strict rules holds.
TEST(Utf8, EveryScalarValueRoundTrips) {
  for (uint32_t cp = 0; cp <= 0x10ffff; ++cp) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    std::string enc;
    vp::util::utf8_append(enc, cp);
    const size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    ASSERT_EQ(enc.size(), want) << cp;
    uint32_t back = 0xffffffff;
    ASSERT_EQ(vp::util::utf8_decode(enc, 0, back), want) << cp;
    ASSERT_EQ(back, cp);
  }
}

TEST(Utf8, StrictEdges) {
  uint32_t cp = 0;
  auto decoded = [&cp](std::string_view s) { return vp::util::utf8_decode(s, 0, cp); };
  EXPECT_EQ(decoded("\xed\x9f\xbf"), 3u);      // U+D7FF, last before the surrogates
  EXPECT_EQ(decoded("\xee\x80\x80"), 3u);      // U+E000, first after them
  EXPECT_EQ(decoded("\xed\xa0\x80"), 0u);      // U+D800
  EXPECT_EQ(decoded("\xed\xbf\xbf"), 0u);      // U+DFFF
  EXPECT_EQ(decoded("\xf4\x8f\xbf\xbf"), 4u);  // U+10FFFF
  EXPECT_EQ(decoded("\xf4\x90\x80\x80"), 0u);  // U+110000
  EXPECT_EQ(decoded("\xf5\x80\x80\x80"), 0u);  // lead byte beyond any scalar value
  EXPECT_EQ(decoded("\xc1\xbf"), 0u);          // overlong 2-byte
  EXPECT_EQ(decoded("\xe0\x9f\xbf"), 0u);      // overlong 3-byte
  EXPECT_EQ(decoded("\xf0\x8f\xbf\xbf"), 0u);  // overlong 4-byte
  EXPECT_EQ(decoded("\xf0\x9f\x98"), 0u);      // cut short at the end
  EXPECT_EQ(decoded("\xe2\x28\xa1"), 0u);      // a non-continuation inside
  EXPECT_EQ(vp::util::utf8_invalid_offset("ok\xf0\x9f\x98"), 2u);
  EXPECT_TRUE(vp::util::is_valid_utf8(""));
  EXPECT_FALSE(vp::util::is_valid_utf8("a\xc0\x80"));
  // The core's checks answer through the same code: a pin field with an
  // overlong NUL is refused at the same offset as the validator reports.
  std::string out;
  vp::Error err;
  EXPECT_EQ(vp::to_nfc("ab\xc0\x80", out, err), VECTORPIN_INVALID_INPUT);
  EXPECT_EQ(err.offset, 2);
}

TEST(Unicode, Nfc) {
  std::string out;
  vp::Error err;
  ASSERT_EQ(vp::to_nfc("cafe\xcc\x81", out, err), VECTORPIN_OK);
  EXPECT_EQ(out, "caf\xc3\xa9");
  EXPECT_TRUE(vp::is_nfc("caf\xc3\xa9"));
  EXPECT_FALSE(vp::is_nfc("cafe\xcc\x81"));
  EXPECT_TRUE(vp::is_nfc(""));
  // Singleton decomposition: U+212B ANGSTROM SIGN becomes U+00C5.
  ASSERT_EQ(vp::to_nfc("\xe2\x84\xab", out, err), VECTORPIN_OK);
  EXPECT_EQ(out, "\xc3\x85");
  EXPECT_EQ(vp::to_nfc("a\xff", out, err), VECTORPIN_INVALID_INPUT);
  EXPECT_EQ(err.offset, 1);
  ASSERT_EQ(vp::to_nfc(std::string("a\0b", 3), out, err), VECTORPIN_OK);
  EXPECT_EQ(out, std::string("a\0b", 3));
}

TEST(Unicode, ForbiddenCharacters) {
  for (char32_t cp : {0x00, 0x01, 0x09, 0x0a, 0x1f, 0x202a, 0x202e, 0x2066, 0x2069}) EXPECT_TRUE(vp::is_forbidden_char(cp)) << cp;
  for (char32_t cp : {0x20, 0x7f, 0x85, 0x2029, 0x202f, 0x2065, 0x206a, 0x200e}) EXPECT_FALSE(vp::is_forbidden_char(cp)) << cp;
  EXPECT_EQ(vp::forbidden_char_offset("ok\xe2\x80\xaeno"), 2u);
}

TEST(Timestamp, CanonicalForm) {
  EXPECT_TRUE(vp::is_canonical_timestamp_form("2026-05-05T12:00:00Z"));
  EXPECT_TRUE(vp::is_canonical_timestamp_form("9999-99-99T99:99:99Z"));  // form only
  for (const char* bad : {"2026-05-05T12:00:00", "2026-05-05t12:00:00Z", "2026-05-05T12:00:00z", "2026-05-05 12:00:00Z",
                          "2026-05-05T12:00:00.0Z", "+026-05-05T12:00:00Z", "2026/05/05T12:00:00Z", ""})
    EXPECT_FALSE(vp::is_canonical_timestamp_form(bad)) << bad;
}

TEST(Timestamp, RealDates) {
  EXPECT_TRUE(vp::is_real_timestamp("2024-02-29T23:59:59Z"));
  EXPECT_TRUE(vp::is_real_timestamp("2000-02-29T00:00:00Z"));
  EXPECT_FALSE(vp::is_real_timestamp("1900-02-29T00:00:00Z"));
  EXPECT_FALSE(vp::is_real_timestamp("2026-02-29T00:00:00Z"));
  EXPECT_FALSE(vp::is_real_timestamp("2026-04-31T00:00:00Z"));
  EXPECT_FALSE(vp::is_real_timestamp("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(vp::is_real_timestamp("2026-00-01T00:00:00Z"));
  EXPECT_FALSE(vp::is_real_timestamp("2026-01-00T00:00:00Z"));
  EXPECT_FALSE(vp::is_real_timestamp("2026-01-01T24:00:00Z"));
  EXPECT_FALSE(vp::is_real_timestamp("2026-01-01T00:60:00Z"));
  EXPECT_FALSE(vp::is_real_timestamp("2026-01-01T00:00:60Z"));
  EXPECT_FALSE(vp::is_real_timestamp("0000-01-01T00:00:00Z"));
  EXPECT_TRUE(vp::is_real_timestamp(vp::timestamp_now()));
}

vectorpin_status parse(const std::string& text, vp::JsonValue& v, vp::Error& err, size_t depth = 16) {
  vp::JsonLimits limits;
  limits.max_depth = depth;
  return vp::parse_json(text, v, limits, err);
}

TEST(JsonReader, AcceptsJson) {
  vp::JsonValue v;
  vp::Error err;
  ASSERT_EQ(parse(" {\"a\" : [1, -2.5e3, true, false, null, \"x\\u00e9\\ud83d\\ude00\\/\"] }\n", v, err), VECTORPIN_OK);
  const vp::JsonValue* a = v.find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->items.size(), 6u);
  EXPECT_EQ(a->items[1].text, "-2.5e3");
  EXPECT_EQ(a->items[5].text, "x\xc3\xa9\xf0\x9f\x98\x80/");
}

TEST(JsonReader, RefusesWithOffsets) {
  vp::JsonValue v;
  vp::Error err;
  struct Case {
    const char* text;
    int64_t offset;
  } cases[] = {
      {"{\"a\":1,\"a\":2}", 11}, {"{\"a\":01}", 6},           {"{\"a\":1}x", 7},     {"\xef\xbb\xbf{}", 0},
      {"{\"a\":\"\\ud800\"}", 6}, {"{\"a\":\"\\udc00\"}", 6},  {"{\"a\":\"\x01\"}", 6}, {"{\"a\":\"\xc0\xaf\"}", 6},
      {"{\"a\":1,}", 7},          {"[1,2", 4},                {"{\"a\":tru}", 5},    {"{\"a\":-}", 6},
      {"{\"a\":1.}", 7},          {"{\"a\":1e}", 7},          {"", 0},              {"{\"a\":\"\\x\"}", 6},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(parse(c.text, v, err), VECTORPIN_PARSE_ERROR) << c.text;
    EXPECT_EQ(err.offset, c.offset) << c.text << ": " << err.message;
  }
}

TEST(JsonReader, DuplicateKeysAtDepthAndManyKeys) {
  vp::JsonValue v;
  vp::Error err;
  EXPECT_EQ(parse("{\"x\":{\"a\":\"1\",\"b\":\"2\",\"a\":\"3\"}}", v, err), VECTORPIN_PARSE_ERROR);
  std::string big = "{";
  for (int i = 0; i < 5000; ++i) big += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  EXPECT_EQ(parse(big + "}", v, err), VECTORPIN_OK);
  EXPECT_EQ(parse(big + ",\"k2500\":1}", v, err), VECTORPIN_PARSE_ERROR);
  // Escaped and raw spellings of the same key are duplicates.
  EXPECT_EQ(parse("{\"\\u0061\":1,\"a\":2}", v, err), VECTORPIN_PARSE_ERROR);
}

TEST(JsonReader, DepthIsBounded) {
  vp::JsonValue v;
  vp::Error err;
  EXPECT_EQ(parse(std::string(200000, '[') + std::string(200000, ']'), v, err), VECTORPIN_PARSE_ERROR);
  EXPECT_NE(err.message.find("deep"), std::string::npos);
  EXPECT_EQ(parse("[[[]]]", v, err, 3), VECTORPIN_OK);
  EXPECT_EQ(parse("[[[[]]]]", v, err, 3), VECTORPIN_PARSE_ERROR);
}

TEST(JsonReader, Integers) {
  vp::JsonValue v;
  vp::Error err;
  int64_t value;
  bool fits;
  ASSERT_EQ(parse("[2, -0, 2.0, 2e0, 9223372036854775807, 9223372036854775808, 18446744073709551618]", v, err), VECTORPIN_OK);
  EXPECT_TRUE(vp::json_is_integer(v.items[0], value, fits));
  EXPECT_TRUE(fits);
  EXPECT_EQ(value, 2);
  EXPECT_TRUE(vp::json_is_integer(v.items[1], value, fits));
  EXPECT_EQ(value, 0);
  EXPECT_FALSE(vp::json_is_integer(v.items[2], value, fits));
  EXPECT_FALSE(vp::json_is_integer(v.items[3], value, fits));
  EXPECT_TRUE(vp::json_is_integer(v.items[4], value, fits));
  EXPECT_TRUE(fits);
  EXPECT_TRUE(vp::json_is_integer(v.items[5], value, fits));
  EXPECT_FALSE(fits);
  EXPECT_TRUE(vp::json_is_integer(v.items[6], value, fits));
  EXPECT_FALSE(fits);
}

TEST(QuoteUntrusted, BoundedAndSanitized) {
  std::string attack = std::string(10000, 'A') + "\n\x1b[31m";
  std::string q = vp::quote_untrusted(attack);
  EXPECT_LE(q.size(), 64u + 5u);
  EXPECT_EQ(q.substr(q.size() - 3), "...");
  std::string ctrl = vp::quote_untrusted("a\nb\x1b\xe2\x80\xae\xff\"");
  for (char c : ctrl) EXPECT_GE(static_cast<unsigned char>(c), 0x20);
  EXPECT_EQ(ctrl, "\"a?b????\"");
  // Counts code points, not bytes: 64 two-byte characters are shown whole.
  std::string accents;
  for (int i = 0; i < 70; ++i) accents += "\xc3\xa9";
  std::string qa = vp::quote_untrusted(accents);
  EXPECT_EQ(qa, "\"" + accents.substr(0, 128) + "\"...");
}

}  // namespace
