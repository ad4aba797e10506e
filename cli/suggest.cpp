// "Did you mean": the known name closest to a mistyped one.
#include <algorithm>

#include "cli.hpp"

namespace cli {
namespace {

// Edit distance with adjacent transpositions (so "veirfy" is one edit from
// "verify"). Inputs are short names; longer ones are not compared at all.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::optional<std::string> closest_name(const std::string& typed, const std::vector<std::string>& names) {
  constexpr size_t kLongestCompared = 64;
  if (typed.empty() || typed.size() > kLongestCompared) return std::nullopt;
  // A prefix of exactly one name ("verify" for "verify-pin") is what the
  // user meant, however many letters are missing.
  std::optional<std::string> prefix_of;
  int prefixes = 0;
  for (const auto& n : names)
    if (n.size() > typed.size() && n.compare(0, typed.size(), typed) == 0) ++prefixes, prefix_of = n;
  if (prefixes == 1 && typed.size() >= 3) return prefix_of;
  // Otherwise the nearest name, if it is near enough to be a typo rather
  // than a different word: a third of the letters, at least one, at most 3.
  size_t limit = std::clamp<size_t>(typed.size() / 3, 1, 3);
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (const auto& n : names) {
    size_t dist = edit_distance(typed, n);
    if (dist < best_distance) best_distance = dist, best = n;
  }
  return best;
}

}  // namespace cli
