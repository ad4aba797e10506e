// Arbitrary bytes into UTF-8 validation, NFC and hash_text. Invalid UTF-8 is
// refused with an offset that points at the first bad sequence; valid input
// normalizes to valid NFC, NFC is idempotent, and hash_text is the hash of
// the NFC bytes.
#include "fuzz_common.hpp"
#include "hashing.hpp"
#include "unicode.hpp"
#include "util/utf8.hpp"

using namespace vectorpin;
using util::utf8_append;
using util::utf8_decode;
using util::utf8_invalid_offset;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  size_t bad = utf8_invalid_offset(in);

  // The decoder walks the same boundaries as the validator.
  size_t pos = 0;
  while (pos < in.size()) {
    uint32_t cp;
    size_t len = utf8_decode(in, pos, cp);
    if (len == 0) break;
    FUZZ_CHECK(len >= 1 && len <= 4 && pos + len <= in.size());
    FUZZ_CHECK(cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff));
    std::string re;
    utf8_append(re, cp);
    FUZZ_CHECK(re == in.substr(pos, len));  // no overlong form is accepted
    pos += len;
  }
  FUZZ_CHECK(bad == (pos == in.size() ? std::string::npos : pos));

  std::string nfc;
  Error err;
  Status st = to_nfc(in, nfc, err);
  std::string h;
  Error herr;
  Status hst = hash_text(in, h, herr);
  if (bad != std::string::npos) {
    FUZZ_CHECK(st == VECTORPIN_INVALID_INPUT && hst == VECTORPIN_INVALID_INPUT);
    FUZZ_CHECK(err.offset == static_cast<int64_t>(bad));
    return 0;
  }
  FUZZ_CHECK(st == VECTORPIN_OK && hst == VECTORPIN_OK);
  FUZZ_CHECK(utf8_invalid_offset(nfc) == std::string::npos);
  FUZZ_CHECK(is_nfc(nfc));
  FUZZ_CHECK(is_nfc(in) == (nfc == in));
  std::string twice;
  Error err2;
  FUZZ_CHECK(to_nfc(nfc, twice, err2) == VECTORPIN_OK && twice == nfc);
  FUZZ_CHECK(h == hash_string(sha256(nfc.data(), nfc.size())));
  std::string h2;
  FUZZ_CHECK(hash_text(nfc, h2, herr) == VECTORPIN_OK && h2 == h);
  // forbidden_char_offset points at a forbidden character, or there is none.
  size_t f = forbidden_char_offset(in);
  if (f != std::string::npos) {
    uint32_t cp;
    FUZZ_CHECK(utf8_decode(in, f, cp) != 0 && is_forbidden_char(cp));
  }
  return 0;
}
