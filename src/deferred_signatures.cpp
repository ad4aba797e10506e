#include "deferred_signatures.hpp"

namespace vectorpin {

namespace {
thread_local DeferredSignatures* t_active = nullptr;
}

DeferredSignatures::DeferredSignatures() : previous_(t_active) { t_active = this; }

DeferredSignatures::~DeferredSignatures() { t_active = previous_; }

DeferredSignatures* DeferredSignatures::active() { return t_active; }

bool DeferredSignatures::defer(ed25519::KeySlot& slot, ed25519::TableBudget& budget, const uint8_t pk[32],
                               const uint8_t sig[64], const uint8_t* m, size_t mlen, std::string_view kid) {
  if (count_ == kCapacity || ed25519::active_engine() != ed25519::Engine::Own) return false;
  const ed25519::PreparedKey* key = slot.get(pk, budget);
  if (key == nullptr) return false;
  if (!ed25519::begin_prepared(*key, sig, m, mlen, checks_[count_])) return false;
  items_[count_] = item_;
  kids_[count_].assign(kid.data(), kid.size());
  ++count_;
  return true;
}

}  // namespace vectorpin
