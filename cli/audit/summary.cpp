#include "summary.hpp"

#include <cstdio>

#include "json_emit.hpp"

namespace cli::audit {

std::string summary_json(const SummaryHead& head, const AuditSummary& s) {
  std::string out = "{\"store\":" + json_quote(head.store);
  if (!head.table.empty()) out += ",\"table\":" + json_quote(head.table);
  if (!head.schema.empty()) out += ",\"schema\":" + json_quote(head.schema);
  out += ",\"total\":" + std::to_string(s.total) + ",\"pinned\":" + std::to_string(s.pinned) +
         ",\"verified_ok\":" + std::to_string(s.verified_ok) +
         ",\"verification_failed\":" + std::to_string(s.verification_failed) +
         ",\"unpinned\":" + std::to_string(s.unpinned) + ",\"by_error\":{";
  for (size_t i = 0; i < s.by_error.size(); ++i)
    out += (i ? "," : "") + json_quote(s.by_error[i].first) + ":" + std::to_string(s.by_error[i].second);
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%.3f", s.elapsed_seconds);
  out += "},\"threads\":" + std::to_string(head.threads) + ",\"elapsed_seconds\":" + elapsed;
  if (head.shard) out += ",\"shard\":" + json_quote(head.shard->text());
  if (head.shards) out += ",\"shards\":" + std::to_string(*head.shards);
  if (head.shards && !head.shards_missing.empty()) {
    out += ",\"shards_missing\":[";
    for (size_t i = 0; i < head.shards_missing.size(); ++i)
      out += (i ? "," : "") + std::to_string(head.shards_missing[i]);
    out += "]";
  }
  if (head.location) out += ",\"location\":" + json_quote(*head.location);
  return out + "}\n";
}

}  // namespace cli::audit
