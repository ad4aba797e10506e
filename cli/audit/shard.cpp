#include "shard.hpp"

#include "../cli.hpp"

namespace cli::audit {
namespace {

// A decimal without sign or leading zeros (a lone "0" is fine), at most
// `max_digits` long; nullopt otherwise.
std::optional<uint64_t> plain_decimal(const std::string& s, size_t max_digits) {
  if (s.empty() || s.size() > max_digits) return std::nullopt;
  if (s.size() > 1 && s[0] == '0') return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

std::optional<Shard> parse_shard(const std::string& text) {
  size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  auto i = plain_decimal(text.substr(0, slash), 5);
  auto n = plain_decimal(text.substr(slash + 1), 5);
  if (!i || !n || *n < 1 || *n > kMaxShards || *i >= *n) return std::nullopt;
  return Shard{static_cast<uint32_t>(*i), static_cast<uint32_t>(*n)};
}

uint32_t shard_of(const std::optional<std::string>& id, uint32_t count) {
  if (!id || count <= 1) return 0;
  uint8_t digest[32];
  vectorpin_error err;
  check(vectorpin_sha256(digest, sizeof digest, reinterpret_cast<const uint8_t*>(id->data()), id->size(), &err), err,
        "hashing a record id");
  uint64_t head = 0;
  for (int k = 0; k < 8; ++k) head = (head << 8) | digest[k];
  return static_cast<uint32_t>(head % count);
}

}  // namespace cli::audit
