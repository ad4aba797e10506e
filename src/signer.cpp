#include "signer.hpp"

#include <algorithm>
#include <cstring>
#include <new>

#include <sodium.h>

#include "timestamp.hpp"
#include "unicode.hpp"

namespace vectorpin {

void PinOptions::set_extra(std::string key, std::string value) {
  for (auto& e : extra) {
    if (e.first == key) {
      e.second = std::move(value);
      return;
    }
  }
  extra.emplace_back(std::move(key), std::move(value));
}

Status normalize_kid(std::string_view kid, std::string& out, Error& err) {
  Status st = to_nfc(kid, out, err);
  if (st != VECTORPIN_OK) {
    err.message = "kid: " + err.message;
    return st;
  }
  return check_identifier("kid", out, err);
}

Status Signer::from_seed(std::string_view kid, const Seed& seed, Signer*& out, Error& err) {
  std::string nkid;
  Status st = normalize_kid(kid, nkid, err);
  if (st != VECTORPIN_OK) return st;
  auto* s = new (std::nothrow) Signer();
  if (s == nullptr) return fail(err, VECTORPIN_OUT_OF_MEMORY, "out of memory");
  s->kid_ = std::move(nkid);
  crypto_sign_seed_keypair(s->pk_.data(), s->sk_, seed.bytes.data());
  out = s;
  return VECTORPIN_OK;
}

Status Signer::external(std::string_view kid, const PublicKey& pk, Callback cb, void* user, Signer*& out,
                        Error& err) {
  if (cb == nullptr) return fail(err, VECTORPIN_INVALID_ARGUMENT, "external signer needs a callback");
  std::string nkid;
  Status st = normalize_kid(kid, nkid, err);
  if (st != VECTORPIN_OK) return st;
  if (!is_strong_public_key(pk))
    return fail(err, VECTORPIN_INVALID_KEY, "external signer's public key is weak or malformed");
  auto* s = new (std::nothrow) Signer();
  if (s == nullptr) return fail(err, VECTORPIN_OUT_OF_MEMORY, "out of memory");
  s->kid_ = std::move(nkid);
  s->pk_ = pk;
  s->callback_ = cb;
  s->user_ = user;
  out = s;
  return VECTORPIN_OK;
}

Signer::~Signer() { sodium_memzero(sk_, sizeof sk_); }

void Signer::export_seed(Seed& out) const { std::memcpy(out.bytes.data(), sk_, 32); }

Status Signer::sign(const std::string& message, uint8_t sig[64], Error& err) const {
  const auto* msg = reinterpret_cast<const unsigned char*>(message.data());
  if (callback_ == nullptr) {
    crypto_sign_detached(sig, nullptr, msg, message.size(), sk_);
    return VECTORPIN_OK;
  }
  if (callback_(user_, sig, msg, message.size()) != 0)
    return fail(err, VECTORPIN_EXTERNAL_SIGNER_FAILED, "external signer callback reported failure");
  // A backend holding a different key, or returning garbage, must not
  // produce pins that only fail later at verification.
  if (crypto_sign_verify_detached(sig, msg, message.size(), pk_.data()) != 0)
    return fail(err, VECTORPIN_EXTERNAL_SIGNER_FAILED,
                "external signer returned a signature that does not verify under its public key");
  return VECTORPIN_OK;
}

namespace {

Status normalize_field(const char* name, std::string_view in, std::string& out, Error& err) {
  Status st = to_nfc(in, out, err);
  if (st != VECTORPIN_OK) {
    err.message = std::string(name) + ": " + err.message;
    return st;
  }
  return VECTORPIN_OK;
}

}  // namespace

template <typename T>
Status Signer::pin(std::string_view source, std::string_view model, const T* vector, size_t dim, Dtype input_dtype,
                   const PinOptions& options, Pin& out, Error& err) const {
  Pin pin;
  Status st;
  if (options.protocol != 1 && options.protocol != 2)
    return fail(err, VECTORPIN_INVALID_INPUT, "protocol version must be 1 or 2");
  pin.version = options.protocol;
  pin.kid = kid_;
  if ((st = normalize_field("model", model, pin.model, err)) != VECTORPIN_OK) return st;
  if ((st = check_identifier("model", pin.model, err)) != VECTORPIN_OK) return st;

  if (options.has_model_hash) {
    if (!is_hash_string(options.model_hash))
      return fail(err, VECTORPIN_INVALID_INPUT,
                  "model_hash must be \"sha256:\" followed by 64 lowercase hex digits");
    pin.has_model_hash = true;
    pin.model_hash = options.model_hash;
  }

  pin.ts = options.has_timestamp ? options.timestamp : timestamp_now();
  if (!is_real_timestamp(pin.ts))
    return fail(err, VECTORPIN_INVALID_INPUT,
                "timestamp " + quote_untrusted(pin.ts) + " is not a real UTC time of the form YYYY-MM-DDTHH:MM:SSZ");

  for (const auto& [key, value] : options.extra) {
    std::string nkey, nvalue;
    if ((st = normalize_field("extra key", key, nkey, err)) != VECTORPIN_OK) return st;
    if ((st = normalize_field("extra value", value, nvalue, err)) != VECTORPIN_OK) return st;
    for (const auto& e : pin.extra)
      if (e.first == nkey)
        return fail(err, VECTORPIN_INVALID_INPUT,
                    "extra keys " + quote_untrusted(nkey) + " collide after NFC normalization");
    pin.extra.emplace_back(std::move(nkey), std::move(nvalue));
  }
  std::sort(pin.extra.begin(), pin.extra.end());
  if ((st = check_extra(pin.extra, true, err)) != VECTORPIN_OK) return st;

  if (dim == 0) return fail(err, VECTORPIN_INVALID_INPUT, "vector is empty");
  if (dim > kMaxVecDim)
    return fail(err, VECTORPIN_INVALID_INPUT,
                "vector has " + std::to_string(dim) + " elements; at most " + std::to_string(kMaxVecDim) +
                    " are allowed");
  if (vector == nullptr) return fail(err, VECTORPIN_INVALID_ARGUMENT, "vector is NULL");
  pin.dtype = options.has_dtype ? options.dtype : input_dtype;
  pin.vec_dim = static_cast<uint32_t>(dim);
  Sha256Digest digest;
  if ((st = hash_vector(vector, dim, pin.dtype, digest, err)) != VECTORPIN_OK) return st;
  pin.vec_hash = hash_string(digest);

  if ((st = hash_text(source, pin.source_hash, err)) != VECTORPIN_OK) {
    err.message = "source: " + err.message;
    return st;
  }

  // The signature has a fixed encoded length, so the size is known before
  // a (possibly remote) signing call is spent on a pin that would be refused.
  size_t size = pin_to_json(pin).size();
  if (size > kMaxPinJsonBytes)
    return fail(err, VECTORPIN_INVALID_INPUT,
                "the pin would be " + std::to_string(size) + " bytes of JSON; the limit is " +
                    std::to_string(kMaxPinJsonBytes));
  std::string message = pin_signed_bytes(pin);
  if ((st = sign(message, pin.sig.data(), err)) != VECTORPIN_OK) return st;
  out = std::move(pin);
  return VECTORPIN_OK;
}

template Status Signer::pin<float>(std::string_view, std::string_view, const float*, size_t, Dtype,
                                   const PinOptions&, Pin&, Error&) const;
template Status Signer::pin<double>(std::string_view, std::string_view, const double*, size_t, Dtype,
                                    const PinOptions&, Pin&, Error&) const;

}  // namespace vectorpin
