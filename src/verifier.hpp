// The verifier: a registry of public keys with validity windows, and the
// protocol's verification sequence (first failure wins).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ed25519/key_slot.hpp"
#include "error.hpp"
#include "key_encoding.hpp"
#include "pin.hpp"

namespace vectorpin {

struct KeyEntry {
  PublicKey public_key{};
  std::optional<std::string> valid_from;   // inclusive
  std::optional<std::string> valid_until;  // exclusive
  // The key's verification table, built on first use (see key_slot.hpp).
  std::unique_ptr<ed25519::KeySlot> prepared = std::make_unique<ed25519::KeySlot>();
};

struct Expectations {
  std::optional<std::string> model;
  std::optional<std::string> record_id;
  std::optional<std::string> collection_id;
  std::optional<std::string> tenant_id;
};

// What the caller supplies besides the pin; null pointers mean "not supplied".
struct VerifyInputs {
  const char* source = nullptr;
  size_t source_len = 0;
  const float* vector_f32 = nullptr;
  const double* vector_f64 = nullptr;
  size_t dim = 0;
  const Expectations* expectations = nullptr;
};

class Verifier {
 public:
  // kid is NFC-normalized; windows are canonical real timestamps.
  Status add_key(std::string_view kid, const PublicKey& pk, std::optional<std::string> valid_from,
                 std::optional<std::string> valid_until, Error& err);
  // All or nothing.
  Status load_registry(std::string_view json, Error& err);
  void set_legacy_v1(bool enabled) { legacy_v1_ = enabled; }
  size_t key_count() const { return keys_.size(); }

  // At most this many keys get a verification table (built on first use,
  // 146,120 bytes each); the others verify without one, slower but with
  // the same answers. Tables already built stay.
  void set_prepared_key_limit(size_t limit) { table_budget_->set_limit(limit); }
  size_t prepared_key_limit() const { return table_budget_->limit(); }
  size_t prepared_key_count() const { return table_budget_->in_use(); }

  Status verify(const Pin& pin, const VerifyInputs& in, Error& err) const;
  // The failure verify() reports for a signature that does not verify.
  static Status signature_invalid(std::string_view kid, Error& err);

 private:
  Status check_entry(std::string_view kid, const PublicKey& pk, const std::optional<std::string>& from,
                     const std::optional<std::string>& until, std::string& nkid, Error& err) const;

  std::unordered_map<std::string, KeyEntry> keys_;
  // Behind a pointer so the verifier stays movable.
  std::unique_ptr<ed25519::TableBudget> table_budget_ = std::make_unique<ed25519::TableBudget>();
  bool legacy_v1_ = false;
};

}  // namespace vectorpin
