// Sharded audits: `audit --shard I/N` audits the records whose id hashes to
// shard I of N, and `audit-merge` adds the shard summaries back up. The rule
// is fixed (docs/AUDIT.md, "Sharded audits") so that any engine that
// partitions a store the same way gets the same shards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cli::audit {

inline constexpr uint32_t kMaxShards = 65536;

struct Shard {
  uint32_t index = 0;
  uint32_t count = 1;
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// `I/N` in plain decimal (no sign, no leading zeros except "0"),
// 1 <= N <= 65536, 0 <= I < N. nullopt for anything else.
std::optional<Shard> parse_shard(const std::string& text);

// u64_big_endian(SHA-256(id)[0..8]) mod count; a record without a readable
// id belongs to shard 0, so that no record is left out of every shard.
uint32_t shard_of(const std::optional<std::string>& id, uint32_t count);

}  // namespace cli::audit
