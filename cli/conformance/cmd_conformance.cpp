// `vectorpin conformance`: runs testvectors/cases.json against a shim
// (docs/CONFORMANCE.md), or, with --cross, pins through every shim and
// verifies each pin through every other.
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "case_check.hpp"
#include "cli.hpp"
#include "shim_process.hpp"

#ifndef VECTORPIN_CONFORMANCE_DATA_DIR
#define VECTORPIN_CONFORMANCE_DATA_DIR "/usr/local/share/vectorpin/conformance"
#endif

namespace cli {
namespace {

using nlohmann::json;
using conformance::ShimProcess;
using conformance::Verdict;
using ms = std::chrono::milliseconds;

constexpr int kShimProtocolVersion = 1;
// After this many failed starts in a row the shim is given up on; the
// remaining cases are reported as failed, not silently skipped.
constexpr int kMaxFailedStarts = 3;

struct Settings {
  std::vector<std::string> shims;
  std::string cases_path;
  std::string records_path;
  std::set<std::string> rules, case_ids;
  std::string profile = "strict";
  ms timeout{10000};
  ms start_timeout{60000};
  std::optional<std::string> report_path;
  bool fail_on_unsupported = false;
};

json load_json_file(const std::string& path, const char* what) {
  std::string text = read_file(path);
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) runtime_error(std::string(what) + " " + path + " is not valid JSON");
  return j;
}

// One running shim and its handshake; restarts it after a failure.
class Shim {
 public:
  Shim(const std::string& command, const Settings& s) : process_(command), settings_(s) {}

  // Sends one request; returns the answer object or nullopt with `error`.
  std::optional<json> ask(const std::string& id, const std::string& op, const json& input, std::string& error) {
    if (!process_.running() && !start(error)) return std::nullopt;
    json request = {{"id", id}, {"op", op}, {"input", input}};
    auto line = process_.exchange(request.dump(), settings_.timeout, error);
    if (!line) return std::nullopt;
    json answer = json::parse(*line, nullptr, false);
    if (answer.is_discarded() || !answer.is_object()) {
      error = "the answer is not a JSON object: \"" + conformance::bounded(*line) + "\"";
      process_.kill_now();  // its stream can no longer be trusted
      return std::nullopt;
    }
    if (!answer.contains("id") || answer["id"] != id) {
      error = "the answer carries the id " + conformance::bounded(answer.value("id", json()).dump()) + ", not \"" + id + "\"";
      process_.kill_now();
      return std::nullopt;
    }
    return answer;
  }

  bool start(std::string& error) {
    if (failed_starts_ >= kMaxFailedStarts) {
      error = "not run: the shim failed to start " + std::to_string(kMaxFailedStarts) + " times in a row";
      return false;
    }
    if (!process_.start(error)) {
      ++failed_starts_;
      return false;
    }
    json hello = {{"id", "hello"}, {"op", "hello"}, {"input", {{"protocol", kShimProtocolVersion}}}};
    auto line = process_.exchange(hello.dump(), settings_.start_timeout, error);
    json answer = line ? json::parse(*line, nullptr, false) : json();
    if (!line || !answer.is_object() || answer.value("status", "") != "OK" || answer.value("protocol", 0) != kShimProtocolVersion) {
      if (line) error = "bad handshake answer: \"" + conformance::bounded(*line) + "\"";
      error = "the shim did not start: " + error;
      process_.kill_now();
      ++failed_starts_;
      return false;
    }
    failed_starts_ = 0;
    ++starts_;
    hello_ = answer;
    return true;
  }

  void stop() { process_.stop(); }
  const json& hello() const { return hello_; }
  int starts() const { return starts_; }
  const std::string& command() const { return process_.command(); }

 private:
  ShimProcess process_;
  const Settings& settings_;
  json hello_;
  int failed_starts_ = 0;
  int starts_ = 0;
};

struct RuleTally {
  std::string summary;
  bool outside = false;
  int pass = 0, fail = 0, unsupported = 0, lenient = 0;
};

int run_cases(const Settings& s) {
  json file = load_json_file(s.cases_path, "case file");
  if (!file.is_object() || file.value("format", 0) != 1 || !file.contains("cases") || !file.contains("rules"))
    runtime_error("case file " + s.cases_path + " is not a format-1 conformance case file");
  std::map<std::string, RuleTally> tally;
  std::vector<std::string> rule_order;
  for (const auto& r : file["rules"]) {
    std::string id = r.at("id");
    rule_order.push_back(id);
    tally[id].summary = r.value("summary", "");
    tally[id].outside = r.contains("outside_shim_protocol");
  }
  for (const auto& r : s.rules)
    if (!tally.count(r)) usage_error("--rule " + r + " names no rule of the case file");
  std::set<std::string> seen_ids;

  Shim shim(s.shims.front(), s);
  std::string start_error;
  if (!shim.start(start_error)) std::cerr << "vectorpin conformance: " << start_error << "\n";

  json case_reports = json::array();
  int passed = 0, failed = 0, unsupported = 0, lenient = 0;
  for (const auto& c : file["cases"]) {
    const std::string id = c.at("id"), rule = c.at("rule"), op = c.at("op");
    seen_ids.insert(id);
    if (!s.rules.empty() && !s.rules.count(rule)) continue;
    if (!s.case_ids.empty() && !s.case_ids.count(id)) continue;
    std::string error;
    auto answer = shim.ask(id, op, c.at("input"), error);
    conformance::Judgement j;
    bool was_lenient = false;
    if (!answer) {
      j.message = error;
    } else {
      j = conformance::judge(op, c.at("expect"), *answer);
      if (j.verdict == Verdict::kFail && c.contains("lenient") && c["lenient"].contains(s.profile)) {
        conformance::Judgement alt = conformance::judge(op, c["lenient"][s.profile].at("expect"), *answer);
        if (alt.verdict == Verdict::kPass) {
          j = alt;
          was_lenient = true;
        }
      }
    }
    json report = {{"id", id}, {"rule", rule}, {"op", op}};
    RuleTally& t = tally[rule];
    switch (j.verdict) {
      case Verdict::kPass:
        ++passed;
        ++t.pass;
        report["result"] = was_lenient ? "pass-lenient" : "pass";
        if (was_lenient) {
          ++lenient;
          ++t.lenient;
          report["why"] = c["lenient"][s.profile].value("why", "");
        }
        break;
      case Verdict::kUnsupported:
        ++unsupported;
        ++t.unsupported;
        report["result"] = "unsupported";
        break;
      case Verdict::kFail:
        ++failed;
        ++t.fail;
        report["result"] = "fail";
        report["message"] = j.message;
        std::cerr << "FAIL " << id << " (rule " << rule << "): " << j.message << "\n";
        break;
    }
    if (answer && answer->contains("status") && (*answer)["status"].is_string())
      report["answer_status"] = conformance::bounded((*answer)["status"], 64);
    case_reports.push_back(report);
  }
  for (const auto& id : s.case_ids)
    if (!seen_ids.count(id)) usage_error("--case " + id + " names no case of the case file");
  shim.stop();

  // The per-rule table.
  std::cout << std::left << std::setw(14) << "rule" << std::right << std::setw(6) << "pass" << std::setw(6) << "fail"
            << std::setw(13) << "unsupported" << "  summary\n";
  json rule_reports = json::array();
  for (const auto& id : rule_order) {
    const RuleTally& t = tally[id];
    if (t.pass + t.fail + t.unsupported == 0 && !(s.rules.empty() && s.case_ids.empty())) continue;
    std::string summary = t.outside ? "(outside the shim protocol) " + t.summary : t.summary;
    if (summary.size() > 70) summary = summary.substr(0, 67) + "...";
    std::cout << std::left << std::setw(14) << id << std::right << std::setw(6) << t.pass << std::setw(6) << t.fail
              << std::setw(13) << t.unsupported << "  " << summary << "\n";
    rule_reports.push_back({{"id", id}, {"pass", t.pass}, {"fail", t.fail}, {"unsupported", t.unsupported},
                            {"pass_lenient", t.lenient}, {"outside_shim_protocol", t.outside}});
  }
  std::cout << "profile " << s.profile << ": " << passed << " passed, " << failed << " failed, " << unsupported
            << " unsupported";
  if (lenient) std::cout << " (" << lenient << " passed only under the " << s.profile << " profile's leniency)";
  std::cout << "\n";
  if (shim.starts() > 1) std::cout << "the shim was started " << shim.starts() << " times\n";

  if (s.report_path) {
    json report = {{"runner", "vectorpin conformance"},
                   {"runner_version", vectorpin_version_string()},
                   {"shim_protocol", kShimProtocolVersion},
                   {"shim", s.shims.front()},
                   {"shim_hello", shim.hello()},
                   {"shim_starts", shim.starts()},
                   {"cases_file", s.cases_path},
                   {"profile", s.profile},
                   {"summary", {{"passed", passed}, {"failed", failed}, {"unsupported", unsupported}, {"pass_lenient", lenient}}},
                   {"rules", rule_reports},
                   {"cases", case_reports}};
    std::ofstream out(*s.report_path, std::ios::binary | std::ios::trunc);
    out << report.dump(2) << "\n";
    if (!out) runtime_error("cannot write the report " + *s.report_path);
  }
  bool bad = failed > 0 || (s.fail_on_unsupported && unsupported > 0) || passed + failed + unsupported == 0;
  if (passed + failed + unsupported == 0) std::cerr << "vectorpin conformance: no case selected\n";
  return bad ? kExitVerificationFailed : kExitOk;
}

// ---- --cross ---------------------------------------------------------------

std::string b64_text(const std::string& bytes) { return base64url(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()); }

// The record's vector with its first element changed.
json tampered(const json& record) {
  std::vector<uint8_t> bytes = base64url_decode(record.at("vector_b64"), "record vector");
  if (bytes.empty()) runtime_error("a cross-language record has an empty vector");
  bytes[bytes.size() / 2] ^= 0x01;  // a low mantissa bit of a middle element
  return {{"dtype", record.at("dtype")}, {"data_b64", base64url(bytes.data(), bytes.size())}};
}

int run_cross(const Settings& s) {
  json file = load_json_file(s.records_path, "records file");
  const json& records = file.at("records");
  struct Signed {
    std::string signer, kid, pin_b64;
    const json* record;
  };
  std::vector<std::string> labels;
  std::vector<std::unique_ptr<Shim>> shims;
  for (size_t i = 0; i < s.shims.size(); ++i) {
    shims.push_back(std::make_unique<Shim>(s.shims[i], s));
    std::string error;
    std::string label = "shim" + std::to_string(i + 1);
    if (shims.back()->start(error)) label = shims.back()->hello().value("name", label);
    else std::cerr << "vectorpin conformance: " << s.shims[i] << ": " << error << "\n";
    for (const auto& l : labels)
      if (l == label) label += "-" + std::to_string(i + 1);
    labels.push_back(label);
  }
  int passed = 0, failed = 0;
  json results = json::array();
  std::map<std::pair<std::string, std::string>, std::pair<int, int>> grid;  // (signer, verifier) -> pass, fail
  std::vector<Signed> pins;
  for (size_t i = 0; i < shims.size(); ++i) {
    const std::string kid = "crosslang-" + labels[i];
    for (const auto& r : records) {
      std::string id = "cross/sign/" + labels[i] + "/" + r.at("name").get<std::string>(), error;
      json input = {{"seed_b64", file.at("seed_b64")},
                    {"kid", kid},
                    {"model", r.at("model")},
                    {"source_b64", b64_text(r.at("source"))},
                    {"vector", {{"dtype", r.at("dtype")}, {"data_b64", r.at("vector_b64")}}},
                    {"protocol", 2},
                    {"extra", r.at("extra")}};
      auto answer = shims[i]->ask(id, "sign", input, error);
      if (answer && answer->value("status", "") == "OK" && answer->contains("pin_b64")) {
        pins.push_back({labels[i], kid, (*answer)["pin_b64"], &r});
        continue;
      }
      if (answer) error = "signing failed: " + conformance::bounded(answer->dump(), 120);
      ++failed;
      std::cerr << "FAIL " << id << ": " << error << "\n";
      results.push_back({{"id", id}, {"result", "fail"}, {"message", error}});
    }
  }
  for (size_t j = 0; j < shims.size(); ++j) {
    for (const auto& p : pins) {
      const json& r = *p.record;
      json base = {{"pin_b64", p.pin_b64},
                   {"keys", json::array({{{"kid", p.kid}, {"public_key_b64", file.at("public_key_b64")}}})},
                   {"legacy_v1", false},
                   {"source_b64", b64_text(r.at("source"))},
                   {"expect_record_id", r.at("extra").at("vectorpin.record_id")}};
      for (int tamper = 0; tamper < 2; ++tamper) {
        json input = base;
        input["vector"] = tamper ? tampered(r) : json{{"dtype", r.at("dtype")}, {"data_b64", r.at("vector_b64")}};
        std::string id = "cross/verify/" + p.signer + "/" + labels[j] + "/" + r.at("name").get<std::string>() +
                         (tamper ? "/tampered" : ""), error;
        auto answer = shims[j]->ask(id, "verify", input, error);
        conformance::Judgement v;
        if (answer) v = conformance::judge("verify", {{"status", tamper ? "VECTOR_TAMPERED" : "OK"}}, *answer);
        else v.message = error;
        auto& cell = grid[{p.signer, labels[j]}];
        if (v.verdict == Verdict::kPass) {
          ++passed;
          ++cell.first;
          results.push_back({{"id", id}, {"result", "pass"}});
        } else {
          ++failed;
          ++cell.second;
          std::string why = v.verdict == Verdict::kUnsupported ? "the verifier answered unsupported" : v.message;
          std::cerr << "FAIL " << id << ": " << why << "\n";
          results.push_back({{"id", id}, {"result", "fail"}, {"message", why}});
        }
      }
    }
  }
  for (auto& sh : shims) sh->stop();
  std::cout << std::left << std::setw(23) << "signed by \\ verified by";
  for (const auto& l : labels) std::cout << " " << std::setw(10) << l;
  std::cout << "\n";
  for (const auto& signer : labels) {
    std::cout << std::left << std::setw(23) << signer;
    for (const auto& verifier : labels) {
      auto cell = grid[{signer, verifier}];
      std::ostringstream c;
      c << cell.first << "/" << (cell.first + cell.second);
      std::cout << " " << std::setw(10) << c.str();
    }
    std::cout << "\n";
  }
  std::cout << "cross: " << passed << " passed, " << failed << " failed\n";
  if (s.report_path) {
    json report = {{"runner", "vectorpin conformance --cross"},
                   {"runner_version", vectorpin_version_string()},
                   {"shims", s.shims},
                   {"labels", labels},
                   {"records_file", s.records_path},
                   {"summary", {{"passed", passed}, {"failed", failed}}},
                   {"results", results}};
    std::ofstream out(*s.report_path, std::ios::binary | std::ios::trunc);
    out << report.dump(2) << "\n";
    if (!out) runtime_error("cannot write the report " + *s.report_path);
  }
  return failed > 0 || passed == 0 ? kExitVerificationFailed : kExitOk;
}

// The installed kit: beside the program (share/vectorpin/conformance under
// its prefix), else where this build was configured to install it.
std::string installed_kit_file(const std::string& name) {
  std::string dir = program_dir();
  if (!dir.empty()) {
    std::string beside = dir + "/../share/vectorpin/conformance/" + name;
    if (access(beside.c_str(), R_OK) == 0) return beside;
  }
  return std::string(VECTORPIN_CONFORMANCE_DATA_DIR) + "/" + name;
}

ms parse_seconds(const std::string& text, const char* option) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !(v > 0) || v > 3600)
    usage_error(std::string("--") + option + " needs a number of seconds in (0, 3600]");
  return ms(static_cast<long long>(v * 1000));
}

}  // namespace

int cmd_conformance(const std::vector<std::string>& argv) {
  Args a = Args::parse(argv, {{"shim", true, true},
                              {"cases", true, false},
                              {"rule", true, true},
                              {"case", true, true},
                              {"timeout", true, false},
                              {"start-timeout", true, false},
                              {"profile", true, false},
                              {"report", true, false},
                              {"fail-on-unsupported", false, false},
                              {"cross", false, false},
                              {"records", true, false}});
  Settings s;
  s.shims = a.all("shim");
  if (s.shims.empty()) usage_error("missing required option --shim \"COMMAND ARGS\"");
  s.cases_path = a.get("cases").value_or(installed_kit_file("cases.json"));
  s.records_path = a.get("records").value_or(installed_kit_file("crosslang.json"));
  for (const auto& r : a.all("rule")) s.rules.insert(r);
  for (const auto& c : a.all("case")) s.case_ids.insert(c);
  if (auto t = a.get("timeout")) s.timeout = parse_seconds(*t, "timeout");
  if (auto t = a.get("start-timeout")) s.start_timeout = parse_seconds(*t, "start-timeout");
  s.profile = a.get("profile").value_or("strict");
  if (s.profile != "strict" && s.profile != "upstream-0.2") usage_error("--profile must be strict or upstream-0.2");
  s.report_path = a.get("report");
  s.fail_on_unsupported = a.has("fail-on-unsupported");
  if (a.has("cross")) {
    if (!s.rules.empty() || !s.case_ids.empty() || a.has("profile") || a.has("cases"))
      usage_error("--cross takes --shim (one per implementation), --records, --timeout, --start-timeout and --report");
    return run_cross(s);
  }
  if (a.has("records")) usage_error("--records needs --cross");
  if (s.shims.size() != 1) usage_error("give one --shim (several only with --cross)");
  return run_cases(s);
}

}  // namespace cli
