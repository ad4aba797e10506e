#include "verifier.hpp"

#include <vector>

#include "deferred_signatures.hpp"
#include "hashing.hpp"
#include "json_reader.hpp"
#include "signer.hpp"
#include "timestamp.hpp"
#include "unicode.hpp"

namespace vectorpin {

Status Verifier::check_entry(std::string_view kid, const PublicKey& pk, const std::optional<std::string>& from,
                             const std::optional<std::string>& until, std::string& nkid, Error& err) const {
  Status st = normalize_kid(kid, nkid, err);
  if (st != VECTORPIN_OK) return st;
  if (!is_strong_public_key(pk))
    return fail(err, VECTORPIN_INVALID_KEY,
                "public key for kid " + quote_untrusted(nkid) +
                    " is not a canonical Ed25519 point of prime order (weak or malformed key)");
  for (const auto* bound : {&from, &until}) {
    if (*bound && !is_real_timestamp(**bound))
      return fail(err, VECTORPIN_INVALID_INPUT,
                  "validity bound " + quote_untrusted(**bound) + " is not a real UTC time YYYY-MM-DDTHH:MM:SSZ");
  }
  if (from && until && *until <= *from)
    return fail(err, VECTORPIN_INVALID_INPUT, "valid_until must be later than valid_from");
  if (keys_.count(nkid) != 0)
    return fail(err, VECTORPIN_DUPLICATE_KEY_ID, "kid " + quote_untrusted(nkid) + " is already registered");
  return VECTORPIN_OK;
}

Status Verifier::add_key(std::string_view kid, const PublicKey& pk, std::optional<std::string> valid_from,
                         std::optional<std::string> valid_until, Error& err) {
  std::string nkid;
  Status st = check_entry(kid, pk, valid_from, valid_until, nkid, err);
  if (st != VECTORPIN_OK) return st;
  KeyEntry entry;
  entry.public_key = pk;
  entry.valid_from = std::move(valid_from);
  entry.valid_until = std::move(valid_until);
  keys_.emplace(std::move(nkid), std::move(entry));
  return VECTORPIN_OK;
}

Status Verifier::load_registry(std::string_view json, Error& err) {
  // Generous for registries of many thousands of keys, bounded for hostile input.
  constexpr size_t kMaxRegistryBytes = 16 * 1024 * 1024;
  if (json.size() > kMaxRegistryBytes)
    return fail(err, VECTORPIN_INVALID_INPUT, "registry document is larger than 16 MiB");
  JsonValue root;
  JsonLimits limits;
  limits.max_depth = 4;
  Status st = parse_json(json, root, limits, err);
  if (st != VECTORPIN_OK) {
    err.code = VECTORPIN_INVALID_INPUT;
    err.message = "registry: " + err.message;
    return VECTORPIN_INVALID_INPUT;
  }
  auto bad = [&](const std::string& what, size_t offset) {
    return fail(err, VECTORPIN_INVALID_INPUT, "registry: " + what, static_cast<int64_t>(offset));
  };
  if (root.kind != JsonValue::Kind::Object) return bad("the document must be an object of kid -> entry", 0);
  std::vector<std::pair<std::string, KeyEntry>> staged;
  for (const auto& [kid, entry] : root.members) {
    if (entry.kind != JsonValue::Kind::Object)
      return bad("entry for kid " + quote_untrusted(kid) + " must be an object", entry.offset);
    KeyEntry k;
    bool has_key = false;
    for (const auto& [name, value] : entry.members) {
      if (name == "public_key") {
        if (value.kind != JsonValue::Kind::String) return bad("public_key must be a string", value.offset);
        if ((st = decode_public_key(value.text, k.public_key, err)) != VECTORPIN_OK) {
          err.message = "registry: kid " + quote_untrusted(kid) + ": " + err.message;
          err.offset = static_cast<int64_t>(value.offset);
          return st;
        }
        has_key = true;
      } else if (name == "valid_from" || name == "valid_until") {
        auto& slot = name == "valid_from" ? k.valid_from : k.valid_until;
        if (value.kind == JsonValue::Kind::Null) continue;
        if (value.kind != JsonValue::Kind::String) return bad(name + " must be a string or null", value.offset);
        slot = value.text;
      } else {
        return bad("unknown field " + quote_untrusted(name) + " in entry for kid " + quote_untrusted(kid),
                   value.offset);
      }
    }
    if (!has_key) return bad("entry for kid " + quote_untrusted(kid) + " has no public_key", entry.offset);
    std::string nkid;
    if ((st = check_entry(kid, k.public_key, k.valid_from, k.valid_until, nkid, err)) != VECTORPIN_OK) {
      err.message = "registry: " + err.message;
      err.offset = static_cast<int64_t>(entry.offset);
      return st;
    }
    for (const auto& s : staged)
      if (s.first == nkid) return bad("kid " + quote_untrusted(nkid) + " appears twice after NFC", entry.offset);
    staged.emplace_back(std::move(nkid), std::move(k));
  }
  for (auto& s : staged) keys_.emplace(std::move(s.first), std::move(s.second));
  return VECTORPIN_OK;
}

namespace {

template <typename T>
Status check_vector(const Pin& pin, const T* v, size_t dim, Error& err) {
  if (dim != pin.vec_dim)
    return fail(err, VECTORPIN_SHAPE_MISMATCH,
                "vector has " + std::to_string(dim) + " elements; the pin says " + std::to_string(pin.vec_dim));
  Sha256Digest digest;
  if (hash_vector(v, dim, pin.dtype, digest, err) != VECTORPIN_OK) {
    err.code = VECTORPIN_PARSE_ERROR;
    err.message = "supplied vector: " + err.message;
    return VECTORPIN_PARSE_ERROR;
  }
  if (!hash_string_matches(digest, pin.vec_hash))
    return fail(err, VECTORPIN_VECTOR_TAMPERED,
                std::string("vector hash under ") + dtype_name(pin.dtype) + " does not match the pin's vec_hash");
  return VECTORPIN_OK;
}

Status check_extra_expectation(const Pin& pin, std::string_view key, const std::optional<std::string>& expected,
                               Status code, Error& err) {
  if (!expected) return VECTORPIN_OK;
  const std::string* actual = pin.find_extra(key);
  if (actual == nullptr)
    return fail(err, code, "pin has no extra " + std::string(key) + "; expected " + quote_untrusted(*expected));
  if (*actual != *expected)
    return fail(err, code,
                "pin's " + std::string(key) + " is " + quote_untrusted(*actual) + "; expected " +
                    quote_untrusted(*expected));
  return VECTORPIN_OK;
}

}  // namespace

Status Verifier::signature_invalid(std::string_view kid, Error& err) {
  return fail(err, VECTORPIN_SIGNATURE_INVALID, "Ed25519 signature does not verify under kid " + quote_untrusted(kid));
}

Status Verifier::verify(const Pin& pin, const VerifyInputs& in, Error& err) const {
  if (pin.version == 1 && !legacy_v1_)
    return fail(err, VECTORPIN_UNSUPPORTED_VERSION, "protocol v1 pin, and legacy v1 verification is not enabled");

  auto it = keys_.find(pin.kid);
  if (it == keys_.end()) return fail(err, VECTORPIN_UNKNOWN_KEY, "kid " + quote_untrusted(pin.kid) + " is not registered");
  const KeyEntry& key = it->second;

  if (key.valid_from || key.valid_until) {
    if (!is_real_timestamp(pin.ts))
      return fail(err, VECTORPIN_KEY_EXPIRED,
                  "pin timestamp " + quote_untrusted(pin.ts) + " is not a real UTC time, so the key's window cannot hold");
    if (key.valid_from && pin.ts < *key.valid_from)
      return fail(err, VECTORPIN_KEY_EXPIRED, "pin timestamp " + pin.ts + " is before the key's valid_from " + *key.valid_from);
    if (key.valid_until && pin.ts >= *key.valid_until)
      return fail(err, VECTORPIN_KEY_EXPIRED,
                  "pin timestamp " + pin.ts + " is not before the key's valid_until " + *key.valid_until);
  }

  // One buffer per thread keeps its capacity, so the common path of a
  // verification allocates nothing. Only this function writes to it, and
  // nothing it calls re-enters it.
  thread_local std::string message;
  pin_signed_bytes_into(pin, message);
  const auto* bytes = reinterpret_cast<const uint8_t*>(message.data());
  // In a batch the check may be finished later, together with others (see
  // deferred_signatures.hpp); the checks below then run as if it passed.
  DeferredSignatures* deferred = DeferredSignatures::active();
  if (!(deferred != nullptr && deferred->defer(*key.prepared, *table_budget_, key.public_key.data(), pin.sig.data(),
                                               bytes, message.size(), pin.kid)) &&
      !ed25519::verify_with_slot(*key.prepared, *table_budget_, key.public_key.data(), pin.sig.data(), bytes,
                                 message.size()))
    return signature_invalid(pin.kid, err);

  Status st;
  if (in.vector_f32 != nullptr) {
    if ((st = check_vector(pin, in.vector_f32, in.dim, err)) != VECTORPIN_OK) return st;
  } else if (in.vector_f64 != nullptr) {
    if ((st = check_vector(pin, in.vector_f64, in.dim, err)) != VECTORPIN_OK) return st;
  }

  if (in.source != nullptr) {
    Sha256Digest digest;
    if (hash_text_digest(std::string_view(in.source, in.source_len), digest, err) != VECTORPIN_OK) {
      err.code = VECTORPIN_PARSE_ERROR;
      err.message = "supplied source: " + err.message;
      return VECTORPIN_PARSE_ERROR;
    }
    if (!hash_string_matches(digest, pin.source_hash)) return fail(err, VECTORPIN_SOURCE_MISMATCH, "source hash does not match the pin's source_hash");
  }

  if (in.expectations != nullptr) {
    const Expectations& e = *in.expectations;
    if (e.model && *e.model != pin.model)
      return fail(err, VECTORPIN_MODEL_MISMATCH,
                  "pin's model is " + quote_untrusted(pin.model) + "; expected " + quote_untrusted(*e.model));
    if ((st = check_extra_expectation(pin, kExtraRecordId, e.record_id, VECTORPIN_RECORD_MISMATCH, err)) != VECTORPIN_OK)
      return st;
    if ((st = check_extra_expectation(pin, kExtraCollectionId, e.collection_id, VECTORPIN_COLLECTION_MISMATCH, err)) !=
        VECTORPIN_OK)
      return st;
    if ((st = check_extra_expectation(pin, kExtraTenantId, e.tenant_id, VECTORPIN_TENANT_MISMATCH, err)) != VECTORPIN_OK)
      return st;
  }
  return VECTORPIN_OK;
}

}  // namespace vectorpin
