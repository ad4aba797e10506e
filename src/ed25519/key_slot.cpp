#include "ed25519/key_slot.hpp"

#include <memory>
#include <new>

namespace vectorpin {
namespace ed25519 {

bool TableBudget::try_take() {
  // The plain load first keeps a spent budget from bouncing its cache line
  // between verifying threads.
  if (used_.load(std::memory_order_relaxed) >= limit()) return false;
  if (used_.fetch_add(1, std::memory_order_relaxed) < limit()) return true;
  give_back();
  return false;
}

const PreparedKey* KeySlot::get(const uint8_t pk[32], TableBudget& budget) {
  PreparedKey* existing = key_.load(std::memory_order_acquire);
  if (existing != nullptr) return existing;
  if (!budget.try_take()) return nullptr;
  std::unique_ptr<PreparedKey> built;
  try {
    built = prepare_key(pk);
  } catch (const std::bad_alloc&) {
    budget.give_back();
    return nullptr;  // verifying without a table still gives the right answer
  }
  // Two threads may build the same key at once; the first to publish wins
  // and the other's copy (and its share of the budget) is handed back.
  if (key_.compare_exchange_strong(existing, built.get(), std::memory_order_acq_rel, std::memory_order_acquire))
    return built.release();
  budget.give_back();
  return existing;
}

bool verify_with_slot(KeySlot& slot, TableBudget& budget, const uint8_t pk[32], const uint8_t sig[64],
                      const uint8_t* m, size_t mlen) {
  if (active_engine() == Engine::Libsodium) return verify_libsodium(pk, sig, m, mlen);
  const PreparedKey* key = slot.get(pk, budget);
  return key != nullptr ? verify_prepared(*key, sig, m, mlen) : verify_unprepared(pk, sig, m, mlen);
}

}  // namespace ed25519
}  // namespace vectorpin
