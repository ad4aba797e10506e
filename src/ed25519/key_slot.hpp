// Prepared keys for a registry: each registered key gets a slot that builds
// its table on first use, within a budget shared by the whole registry, so
// a registry of many keys holds tables only for (at most `limit` of) the
// keys it actually verifies with. Lock-free: a slot is filled at most once
// and never changes afterwards, so verifying threads only ever read it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "ed25519/ed25519.hpp"

namespace vectorpin {
namespace ed25519 {

class TableBudget {
 public:
  // By default 128 tables of 146,120 bytes each: at most about 17.8 MiB per
  // registry (vectorpin_verifier_set_prepared_key_limit changes it).
  static constexpr size_t kDefaultLimit = 128;

  explicit TableBudget(size_t limit = kDefaultLimit) : limit_(limit) {}
  TableBudget(const TableBudget&) = delete;
  TableBudget& operator=(const TableBudget&) = delete;

  bool try_take();
  void give_back() { used_.fetch_sub(1, std::memory_order_relaxed); }
  size_t in_use() const { return used_.load(std::memory_order_relaxed); }
  size_t limit() const { return limit_.load(std::memory_order_relaxed); }
  // Applies to tables built from now on; tables already built stay.
  void set_limit(size_t limit) { limit_.store(limit, std::memory_order_relaxed); }

 private:
  std::atomic<size_t> limit_;
  std::atomic<size_t> used_{0};
};

class KeySlot {
 public:
  KeySlot() = default;
  ~KeySlot() { delete key_.load(std::memory_order_acquire); }
  KeySlot(const KeySlot&) = delete;
  KeySlot& operator=(const KeySlot&) = delete;

  // The prepared key, built now if this is the first use and the budget
  // allows; null if the budget is spent (the caller verifies without a
  // table) or memory ran out.
  const PreparedKey* get(const uint8_t pk[32], TableBudget& budget);

  bool prepared() const { return key_.load(std::memory_order_acquire) != nullptr; }

 private:
  std::atomic<PreparedKey*> key_{nullptr};
};

// Verification of one signature under a registered key on the engine the
// process runs (libsodium's when VECTORPIN_ED25519=libsodium): the prepared
// key when there is one, else the engine without a table.
bool verify_with_slot(KeySlot& slot, TableBudget& budget, const uint8_t pk[32], const uint8_t sig[64],
                      const uint8_t* m, size_t mlen);

}  // namespace ed25519
}  // namespace vectorpin
