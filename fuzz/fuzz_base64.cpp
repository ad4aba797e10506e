// base64url (wire form) and padded base64 (PEM bodies): decoding is strict,
// so every accepted text is the one canonical encoding of its bytes, and
// encoding then decoding gives the bytes back.
#include <algorithm>

#include "base64.hpp"
#include "fuzz_common.hpp"

using namespace vectorpin;

namespace {

bool url_symbol(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = fuzz::as_view(data, size);

  // Bytes -> text -> bytes.
  std::string enc = base64url_encode(data, size);
  FUZZ_CHECK(enc.size() == (size * 4 + 2) / 3);
  for (char c : enc) FUZZ_CHECK(url_symbol(c));
  std::vector<uint8_t> dec;
  Error err;
  FUZZ_CHECK(base64url_decode(enc, dec, err) == VECTORPIN_OK);
  FUZZ_CHECK(dec.size() == size && (size == 0 || std::equal(dec.begin(), dec.end(), data)));

  std::string penc = base64_encode(data, size);
  FUZZ_CHECK(penc.size() == (size + 2) / 3 * 4);
  FUZZ_CHECK(base64_decode(penc, dec, err) == VECTORPIN_OK);
  FUZZ_CHECK(dec.size() == size && (size == 0 || std::equal(dec.begin(), dec.end(), data)));

  // Text -> bytes -> text: an accepted text is canonical.
  Error e1;
  if (base64url_decode(in, dec, e1) == VECTORPIN_OK) {
    for (char c : in) FUZZ_CHECK(url_symbol(c));
    FUZZ_CHECK(in.size() % 4 != 1);
    FUZZ_CHECK(base64url_encode(dec.data(), dec.size()) == in);
  } else {
    FUZZ_CHECK(e1.code == VECTORPIN_INVALID_INPUT);
    FUZZ_CHECK(e1.offset >= 0 && e1.offset <= static_cast<int64_t>(in.size()));
  }
  Error e2;
  if (base64_decode(in, dec, e2) == VECTORPIN_OK) {
    FUZZ_CHECK(base64_encode(dec.data(), dec.size()) == in);
  } else {
    FUZZ_CHECK(e2.code == VECTORPIN_INVALID_INPUT);
  }
  return 0;
}
