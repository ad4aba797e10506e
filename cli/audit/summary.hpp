// The audit summary: the one JSON line `vectorpin audit` and
// `vectorpin audit-merge` print on stdout (docs/AUDIT.md, "Output").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit.hpp"

namespace cli::audit {

// Everything in a summary besides the counts.
struct SummaryHead {
  std::string store;                    // "sqlite", "jsonl", "postgresql"
  std::string table;                    // empty for JSONL
  std::string schema;                   // PostgreSQL --schema; empty = search_path
  std::optional<std::string> location;  // sharded and merged summaries only
  std::optional<Shard> shard;           // a sharded audit
  std::optional<uint32_t> shards;       // a merged summary: how many shards the store was cut into
  std::vector<uint32_t> shards_missing;  // a partial merge
  unsigned threads = 0;
};

std::string summary_json(const SummaryHead& head, const AuditSummary& counts);

}  // namespace cli::audit
