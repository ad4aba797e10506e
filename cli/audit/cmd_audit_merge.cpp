// `vectorpin audit-merge`: adds the summaries of a sharded audit back up into
// the summary one unsharded audit of the same store would have printed.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>

#include "audit.hpp"
#include "util/json_scan.hpp"
#include "summary.hpp"

namespace cli {
namespace {

using namespace cli::audit;
using vectorpin::util::JsonValue;
using vectorpin::util::scan_object;

// A summary is one short JSON line; anything far larger is not one.
constexpr size_t kMaxSummaryBytes = 1 << 20;
constexpr size_t kMaxErrorCodes = 256;

struct ShardSummary {
  std::string file;
  SummaryHead head;
  AuditSummary counts;
};

[[noreturn]] void refuse(const std::string& file, const std::string& why) {
  usage_error(safe_text(file, 200) + ": " + why);
}

uint64_t count_of(const std::string& text, const JsonValue& v, const std::string& file, const std::string& field) {
  std::string digits = text.substr(v.begin, v.end - v.begin);
  bool ok = v.type == JsonValue::kNumber && !digits.empty() && digits.size() <= 19 &&
            digits.find_first_not_of("0123456789") == std::string::npos;
  if (!ok) refuse(file, "\"" + field + "\" is not a non-negative integer count");
  return std::strtoull(digits.c_str(), nullptr, 10);
}

uint64_t checked_add(uint64_t a, uint64_t b) {
  if (b > UINT64_MAX - a) usage_error("the counts add up to more than 2^64-1");
  return a + b;
}

ShardSummary read_summary(const std::string& file) {
  std::string text = read_file_limited(file, kMaxSummaryBytes);
  std::vector<std::pair<std::string, JsonValue>> members;
  std::string problem;
  if (!scan_object(text, members, problem)) refuse(file, "not an audit summary (" + problem + ")");
  ShardSummary s;
  s.file = file;
  std::set<std::string> seen;
  bool has_counts[5] = {};
  for (const auto& member : members) {
    // Named references, not a structured binding: C++17 does not let the
    // lambda below capture a binding (Clang refuses it).
    const std::string& key = member.first;
    const JsonValue& v = member.second;
    if (!seen.insert(key).second) refuse(file, "field \"" + safe_text(key) + "\" appears twice");
    auto str = [&]() -> std::string {
      if (v.type != JsonValue::kString) refuse(file, "\"" + key + "\" is not a string");
      return v.str;
    };
    if (key == "store") s.head.store = str();
    else if (key == "table") s.head.table = str();
    else if (key == "schema") s.head.schema = str();
    else if (key == "location") s.head.location = str();
    else if (key == "shard") {
      s.head.shard = parse_shard(str());
      if (!s.head.shard) refuse(file, "\"shard\" is not I/N");
    } else if (key == "shards") {
      refuse(file, "is already a merged summary");
    } else if (key == "total") s.counts.total = count_of(text, v, file, key), has_counts[0] = true;
    else if (key == "pinned") s.counts.pinned = count_of(text, v, file, key), has_counts[1] = true;
    else if (key == "verified_ok") s.counts.verified_ok = count_of(text, v, file, key), has_counts[2] = true;
    else if (key == "verification_failed")
      s.counts.verification_failed = count_of(text, v, file, key), has_counts[3] = true;
    else if (key == "unpinned") s.counts.unpinned = count_of(text, v, file, key), has_counts[4] = true;
    else if (key == "threads") s.head.threads = static_cast<unsigned>(std::min<uint64_t>(count_of(text, v, file, key), 1u << 20));
    else if (key == "elapsed_seconds") {
      if (v.type != JsonValue::kNumber) refuse(file, "\"elapsed_seconds\" is not a number");
      s.counts.elapsed_seconds = std::strtod(text.substr(v.begin, v.end - v.begin).c_str(), nullptr);
    } else if (key == "by_error") {
      if (v.type != JsonValue::kObject) refuse(file, "\"by_error\" is not an object");
      std::vector<std::pair<std::string, JsonValue>> codes;
      std::string inner = text.substr(v.begin, v.end - v.begin);
      if (!scan_object(inner, codes, problem)) refuse(file, "\"by_error\" cannot be read");
      if (codes.size() > kMaxErrorCodes) refuse(file, "\"by_error\" has too many codes");
      std::set<std::string> seen_codes;
      for (const auto& [code, n] : codes) {
        if (!seen_codes.insert(code).second) refuse(file, "error code \"" + safe_text(code) + "\" appears twice");
        s.counts.by_error.emplace_back(code, count_of(inner, n, file, "by_error." + safe_text(code)));
      }
    }
  }
  if (s.head.store.empty()) refuse(file, "not an audit summary (no \"store\")");
  for (bool has : has_counts)
    if (!has) refuse(file, "not an audit summary (a count is missing)");
  // The invariants every summary keeps (docs/AUDIT.md); a file that breaks
  // them was not written by an audit.
  const AuditSummary& c = s.counts;
  uint64_t failures = 0;
  for (const auto& [code, n] : c.by_error) failures = checked_add(failures, n);
  if (c.verified_ok > c.pinned || c.pinned - c.verified_ok != c.verification_failed ||
      c.total < c.pinned || c.total - c.pinned != c.unpinned || failures != c.verification_failed)
    refuse(file, "its counts do not add up (total = verified_ok + verification_failed + unpinned, "
                 "pinned = verified_ok + verification_failed, by_error sums to verification_failed)");
  return s;
}

std::string describe(const SummaryHead& h) {
  std::string d = h.store;
  if (!h.schema.empty()) d += " schema " + safe_text(h.schema);
  if (!h.table.empty()) d += " table " + safe_text(h.table);
  if (h.location) d += " at " + safe_text(*h.location, 200);
  return d;
}

}  // namespace

int cmd_audit_merge(const std::vector<std::string>& argv) {
  std::vector<std::string> files;
  bool allow_partial = false, fail_on_unpinned = false;
  for (const auto& arg : argv) {
    if (arg == "--allow-partial") allow_partial = true;
    else if (arg == "--fail-on-unpinned") fail_on_unpinned = true;
    else if (arg.rfind("--", 0) == 0) usage_error("unknown option " + safe_text(arg));
    else files.push_back(arg);
  }
  if (files.empty()) usage_error("give the summary files of a sharded audit");

  std::vector<ShardSummary> parts;
  for (const auto& f : files) parts.push_back(read_summary(f));

  const ShardSummary& first = parts.front();
  std::map<uint32_t, std::string> by_index;
  for (const auto& p : parts) {
    if (!p.head.shard)
      refuse(p.file, "is not the summary of a sharded audit (no \"shard\"); only the shards of one audit can be merged");
    if (p.head.store != first.head.store || p.head.table != first.head.table || p.head.schema != first.head.schema ||
        p.head.location != first.head.location)
      refuse(p.file, "audits " + describe(p.head) + ", but " + safe_text(first.file, 200) + " audits " +
                         describe(first.head));
    if (p.head.shard->count != first.head.shard->count)
      refuse(p.file, "is shard " + p.head.shard->text() + ", but " + safe_text(first.file, 200) + " is shard " +
                         first.head.shard->text() + ": every shard must come from the same N");
    auto [it, fresh] = by_index.emplace(p.head.shard->index, p.file);
    if (!fresh)
      refuse(p.file, "shard " + p.head.shard->text() + " is also in " + safe_text(it->second, 200) +
                         "; each shard may be given once");
  }

  const uint32_t n = first.head.shard->count;
  SummaryHead head = first.head;
  head.shard.reset();
  head.shards = n;
  head.threads = 0;
  for (uint32_t i = 0; i < n; ++i)
    if (!by_index.count(i)) head.shards_missing.push_back(i);
  if (!head.shards_missing.empty()) {
    std::string list;
    for (size_t k = 0; k < head.shards_missing.size() && k < 20; ++k)
      list += (k ? ", " : "") + std::to_string(head.shards_missing[k]);
    if (head.shards_missing.size() > 20) list += ", ...";
    std::string message = std::to_string(head.shards_missing.size()) + " of " + std::to_string(n) +
                          " shards missing: " + list;
    if (!allow_partial) usage_error(message + " (--allow-partial merges what is there)");
    std::cerr << "vectorpin audit-merge: " << message << "; the summary covers only the shards given\n";
  }

  AuditSummary total;
  std::map<std::string, uint64_t> by_error;
  for (const auto& p : parts) {
    const AuditSummary& c = p.counts;
    total.total = checked_add(total.total, c.total);
    total.pinned = checked_add(total.pinned, c.pinned);
    total.verified_ok = checked_add(total.verified_ok, c.verified_ok);
    total.verification_failed = checked_add(total.verification_failed, c.verification_failed);
    total.unpinned = checked_add(total.unpinned, c.unpinned);
    for (const auto& [code, k] : c.by_error) by_error[code] = checked_add(by_error[code], k);
    // Shards run side by side: the merged run took as long as its slowest
    // shard, on all their threads together.
    total.elapsed_seconds = std::max(total.elapsed_seconds, c.elapsed_seconds);
    head.threads += p.head.threads;
  }
  for (const auto& [code, k] : by_error)
    if (k) total.by_error.emplace_back(code, k);

  std::cout << summary_json(head, total) << std::flush;
  if (!std::cout) runtime_error("cannot write the summary");
  if (total.verification_failed > 0 || (fail_on_unpinned && total.unpinned > 0)) return kExitVerificationFailed;
  return kExitOk;
}

}  // namespace cli
