// Judging one shim answer against a case's expectation (docs/CONFORMANCE.md,
// "How answers are judged").
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace conformance {

enum class Verdict { kPass, kFail, kUnsupported };

struct Judgement {
  Verdict verdict = Verdict::kFail;
  std::string message;  // why it failed; empty on a pass
};

// `op` decides how error codes are compared: verify and parse must give the
// exact code, the other operations only have to refuse.
Judgement judge(const std::string& op, const nlohmann::json& expect, const nlohmann::json& answer);

// Printable, bounded form of text that came from a shim: at most `limit`
// characters, control characters replaced.
std::string bounded(const std::string& text, size_t limit = 64);

}  // namespace conformance
