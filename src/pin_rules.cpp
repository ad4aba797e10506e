// Field rules shared by the pin parser and the signer, so a signer can never
// emit what a verifier would refuse.
#include "pin.hpp"
#include "unicode.hpp"
#include "util/utf8.hpp"

namespace vectorpin {
namespace {

// `what` names the field in a message; it is called only on failure, as
// building it costs more than the checks on a short valid value.
template <typename Label>
Status check_text(const Label& what, std::string_view value, Error& err) {
  size_t bad = util::utf8_invalid_offset(value);
  if (bad != std::string_view::npos) return fail(err, VECTORPIN_INVALID_INPUT, what() + " is not valid UTF-8");
  bad = forbidden_char_offset(value);
  if (bad != std::string_view::npos)
    return fail(err, VECTORPIN_INVALID_INPUT, what() + " contains a control or bidi character at byte " +
                                                  std::to_string(bad));
  if (!is_nfc(value)) return fail(err, VECTORPIN_INVALID_INPUT, what() + " is not in Unicode NFC");
  return VECTORPIN_OK;
}

}  // namespace

Status check_identifier(const char* field, std::string_view value, Error& err) {
  if (value.empty()) return fail(err, VECTORPIN_INVALID_INPUT, std::string(field) + " is empty");
  return check_text([field] { return std::string(field); }, value, err);
}

Status check_extra(const ExtraMap& extra, bool strict_text, Error& err) {
  if (extra.size() > kMaxExtraEntries)
    return fail(err, VECTORPIN_INVALID_INPUT, "extra has " + std::to_string(extra.size()) +
                                                  " entries; at most " + std::to_string(kMaxExtraEntries) +
                                                  " are allowed");
  for (const auto& [key, value] : extra) {
    if (key.size() > kMaxExtraKeyBytes)
      return fail(err, VECTORPIN_INVALID_INPUT,
                  "extra key of " + std::to_string(key.size()) + " bytes exceeds " +
                      std::to_string(kMaxExtraKeyBytes));
    if (value.size() > kMaxExtraValueBytes)
      return fail(err, VECTORPIN_INVALID_INPUT,
                  "extra value for key " + quote_untrusted(key) + " of " + std::to_string(value.size()) +
                      " bytes exceeds " + std::to_string(kMaxExtraValueBytes));
    if (!strict_text) continue;
    if (key.empty()) return fail(err, VECTORPIN_INVALID_INPUT, "extra has an empty key");
    const std::string& k = key;
    Status st = check_text([&k] { return "extra key " + quote_untrusted(k); }, key, err);
    if (st != VECTORPIN_OK) return st;
    st = check_text([&k] { return "extra value for key " + quote_untrusted(k); }, value, err);
    if (st != VECTORPIN_OK) return st;
  }
  return VECTORPIN_OK;
}

}  // namespace vectorpin
