#include "case_check.hpp"

#include <optional>

namespace conformance {
namespace {

using nlohmann::json;

// Shims may answer with or without base64 padding and in either alphabet
// (many standard libraries pad by default); the bytes are what counts.
std::optional<std::string> decode_base64_any(const std::string& text) {
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-' || c == '+') v = 62;
    else if (c == '_' || c == '/') v = 63;
    else break;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  for (; i < text.size(); ++i)
    if (text[i] != '=') return std::nullopt;
  return out;
}

bool is_base64_field(const std::string& key) {
  return key.size() > 4 && key.compare(key.size() - 4, 4, "_b64") == 0;
}

}  // namespace

std::string bounded(const std::string& text, size_t limit) {
  std::string out;
  for (size_t i = 0; i < text.size() && out.size() < limit; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  if (text.size() > limit) out += "...";
  return out;
}

Judgement judge(const std::string& op, const json& expect, const json& answer) {
  Judgement j;
  auto st = answer.find("status");
  if (st == answer.end() || !st->is_string()) {
    j.message = "the answer has no \"status\" string";
    return j;
  }
  const std::string got = *st;
  if (got == "unsupported") {
    j.verdict = Verdict::kUnsupported;
    return j;
  }
  const std::string want = expect.at("status");
  const bool exact_codes = op == "verify" || op == "parse";
  if (want == "OK" && got != "OK") {
    j.message = "expected OK, the shim answered " + bounded(got);
    if (answer.contains("detail") && answer["detail"].is_string()) j.message += " (" + bounded(answer["detail"]) + ")";
    return j;
  }
  if (want != "OK" && got == "OK") {
    j.message = "expected " + want + ", the shim answered OK";
    return j;
  }
  if (want != "OK") {
    if (exact_codes && got != want) {
      j.message = "expected " + want + ", the shim answered " + bounded(got);
      return j;
    }
    j.verdict = Verdict::kPass;
    return j;
  }
  for (const auto& [key, value] : expect.items()) {
    if (key == "status") continue;
    auto a = answer.find(key);
    if (a == answer.end() || !a->is_string()) {
      j.message = "the answer lacks \"" + key + "\"";
      return j;
    }
    const std::string& got_value = a->get_ref<const std::string&>();
    const std::string& want_value = value.get_ref<const std::string&>();
    if (is_base64_field(key)) {
      auto got_bytes = decode_base64_any(got_value);
      auto want_bytes = decode_base64_any(want_value);
      if (!got_bytes) {
        j.message = "\"" + key + "\" is not base64: " + bounded(got_value);
        return j;
      }
      if (*got_bytes != *want_bytes) {
        size_t at = 0;
        while (at < got_bytes->size() && at < want_bytes->size() && (*got_bytes)[at] == (*want_bytes)[at]) ++at;
        j.message = "\"" + key + "\" differs from the expected bytes at byte " + std::to_string(at) + " (expected " +
                    std::to_string(want_bytes->size()) + " bytes, got " + std::to_string(got_bytes->size()) + ")";
        return j;
      }
    } else if (got_value != want_value) {
      j.message = "\"" + key + "\": expected " + bounded(want_value, 80) + ", got " + bounded(got_value, 80);
      return j;
    }
  }
  j.verdict = Verdict::kPass;
  return j;
}

}  // namespace conformance
