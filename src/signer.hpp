// Signers: a local Ed25519 key (wiped on destruction) or an external
// backend reached through a callback. Both produce pins the same way.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "error.hpp"
#include "hashing.hpp"
#include "key_encoding.hpp"
#include "pin.hpp"

namespace vectorpin {

struct PinOptions {
  int protocol = 2;
  Dtype dtype{};
  bool has_dtype = false;
  bool has_model_hash = false;
  std::string model_hash;
  bool has_timestamp = false;
  std::string timestamp;
  ExtraMap extra;  // as given; normalized and sorted when signing

  void set_extra(std::string key, std::string value);
};

class Signer {
 public:
  using Callback = vectorpin_sign_callback;

  // `kid` is normalized to NFC and checked like a pin's kid.
  static Status from_seed(std::string_view kid, const Seed& seed, Signer*& out, Error& err);
  static Status external(std::string_view kid, const PublicKey& pk, Callback cb, void* user, Signer*& out,
                         Error& err);
  ~Signer();
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  const std::string& kid() const { return kid_; }
  const PublicKey& public_key() const { return pk_; }
  bool has_private_key() const { return callback_ == nullptr; }
  // Only for local signers.
  void export_seed(Seed& out) const;

  template <typename T>
  Status pin(std::string_view source, std::string_view model, const T* vector, size_t dim, Dtype input_dtype,
             const PinOptions& options, Pin& out, Error& err) const;

 private:
  Signer() = default;
  Status sign(const std::string& message, uint8_t sig[64], Error& err) const;

  std::string kid_;
  PublicKey pk_{};
  uint8_t sk_[64] = {};  // libsodium layout: seed || public key
  Callback callback_ = nullptr;
  void* user_ = nullptr;
};

// NFC-normalizes a kid and checks it like a pin's kid.
Status normalize_kid(std::string_view kid, std::string& out, Error& err);

}  // namespace vectorpin
