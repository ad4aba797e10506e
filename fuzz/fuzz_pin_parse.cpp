// Any bytes into the strict pin parser. Whatever parses must survive a trip
// through the canonical writer unchanged: re-parsing the written JSON gives
// the same pin field by field, and writing that again gives the same bytes.
// A parser that accepts something its writer cannot reproduce would let two
// different wire forms share one signature.
#include "fuzz_common.hpp"
#include "pin.hpp"
#include "timestamp.hpp"
#include "unicode.hpp"
#include "util/utf8.hpp"

using namespace vectorpin;

namespace {

bool same_pin(const Pin& a, const Pin& b) {
  return a.version == b.version && a.kid == b.kid && a.model == b.model && a.has_model_hash == b.has_model_hash &&
         a.model_hash == b.model_hash && a.source_hash == b.source_hash && a.vec_hash == b.vec_hash &&
         a.dtype == b.dtype && a.vec_dim == b.vec_dim && a.ts == b.ts && a.extra == b.extra && a.sig == b.sig;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  Pin pin;
  Error err;
  Status st = parse_pin(in, pin, err);
  FUZZ_CHECK(st == VECTORPIN_OK || st == VECTORPIN_PARSE_ERROR || st == VECTORPIN_UNSUPPORTED_VERSION);
  if (st != VECTORPIN_OK) {
    FUZZ_CHECK(err.code == st);
    FUZZ_CHECK(!err.message.empty());
    FUZZ_CHECK(err.offset >= -1 && err.offset <= static_cast<int64_t>(size > kMaxPinJsonBytes ? size : kMaxPinJsonBytes));
    return 0;
  }

  // What the parser promises about an accepted pin.
  FUZZ_CHECK(size <= kMaxPinJsonBytes);
  FUZZ_CHECK(pin.version == 1 || pin.version == 2);
  FUZZ_CHECK(pin.vec_dim >= 1 && pin.vec_dim <= kMaxVecDim);
  FUZZ_CHECK(is_hash_string(pin.source_hash) && is_hash_string(pin.vec_hash));
  FUZZ_CHECK(!pin.has_model_hash || is_hash_string(pin.model_hash));
  FUZZ_CHECK(!pin.kid.empty() && util::is_valid_utf8(pin.kid) && is_nfc(pin.kid));
  FUZZ_CHECK(forbidden_char_offset(pin.kid) == std::string::npos);
  FUZZ_CHECK(!pin.model.empty() && forbidden_char_offset(pin.model) == std::string::npos && is_nfc(pin.model));
  FUZZ_CHECK(pin.version == 1 || is_canonical_timestamp_form(pin.ts));
  FUZZ_CHECK(pin.extra.size() <= kMaxExtraEntries);
  for (size_t i = 0; i < pin.extra.size(); ++i) {
    FUZZ_CHECK(pin.extra[i].first.size() <= kMaxExtraKeyBytes);
    FUZZ_CHECK(pin.extra[i].second.size() <= kMaxExtraValueBytes);
    if (i > 0) FUZZ_CHECK(pin.extra[i - 1].first < pin.extra[i].first);  // sorted, no duplicates
  }

  std::string json = pin_to_json(pin);
  Pin again;
  Error err2;
  Status st2 = parse_pin(json, again, err2);
  if (st2 != VECTORPIN_OK) {
    std::fprintf(stderr, "written pin does not re-parse: %s\n", err2.message.c_str());
    FUZZ_CHECK(st2 == VECTORPIN_OK);
  }
  FUZZ_CHECK(same_pin(pin, again));
  FUZZ_CHECK(pin_to_json(again) == json);
  FUZZ_CHECK(pin_signed_bytes(again) == pin_signed_bytes(pin));
  return 0;
}
