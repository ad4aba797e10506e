// Signature checks deferred within a batch, so that their final encodings
// share one field inversion (about a fifth of a prepared-key verification).
//
// While a DeferredSignatures is alive on a thread, Verifier::verify on that
// thread may record a prepared-key signature check here instead of
// finishing it, and go on with the checks that follow the signature as if
// it were valid. finish() then completes every recorded check; for each
// signature that does not verify, the caller replaces that item's result
// with the signature failure Verifier::verify would have returned. The
// checks after the signature depend only on the pin and the inputs, never
// on the signature, so the final answer of every item is exactly what a
// verification on its own would give.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ed25519/ed25519.hpp"
#include "ed25519/key_slot.hpp"

namespace vectorpin {

class DeferredSignatures {
 public:
  static constexpr size_t kCapacity = ed25519::kMaxEncodeBatch;

  DeferredSignatures();
  ~DeferredSignatures();
  DeferredSignatures(const DeferredSignatures&) = delete;
  DeferredSignatures& operator=(const DeferredSignatures&) = delete;

  // The one on this thread, or null.
  static DeferredSignatures* active();

  // The item the next verification belongs to; a check deferred during it
  // is reported under this index.
  void next_item(size_t index) { item_ = index; }

  // Called by Verifier::verify at the signature. True: the check is
  // recorded (the key has a table, this engine is in use, libsodium's
  // checks on the bytes passed and there is room). False: nothing was
  // recorded and the caller verifies now.
  bool defer(ed25519::KeySlot& slot, ed25519::TableBudget& budget, const uint8_t pk[32], const uint8_t sig[64],
             const uint8_t* m, size_t mlen, std::string_view kid);

  // Completes every recorded check; calls rejected(item, kid) for each
  // signature that does not verify. Leaves nothing recorded.
  template <typename F>
  void finish(F&& rejected) {
    bool accepted[kCapacity];
    ed25519::finish_prepared(checks_, count_, accepted);
    for (size_t i = 0; i < count_; ++i)
      if (!accepted[i]) rejected(items_[i], std::string_view(kids_[i]));
    count_ = 0;
  }

 private:
  DeferredSignatures* previous_;
  size_t item_ = 0;
  size_t count_ = 0;
  ed25519::PendingCheck checks_[kCapacity];
  size_t items_[kCapacity];
  std::string kids_[kCapacity];
};

}  // namespace vectorpin
