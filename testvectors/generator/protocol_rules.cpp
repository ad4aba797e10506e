#include "protocol_rules.hpp"

namespace fixtures {

const std::vector<ProtocolRule>& protocol_rules() {
  static const std::vector<ProtocolRule> kRules = {
      {"1.a", "SHA-256; Ed25519 with 64-byte signatures, 32-byte public keys, 32-byte seeds", ""},
      {"1.b", "binary fields are base64url without padding, decoded strictly", ""},
      {"1.c", "hash strings: \"sha256:\" and exactly 64 lowercase hex digits", ""},
      {"2.a", "hash_text: SHA-256 of the NFC UTF-8 text; invalid UTF-8 refused; no newline conversion", ""},
      {"2.b", "hash_vector: elements cast to the dtype, little-endian, packed; NaN and infinities refused", ""},
      {"3.v", "v is a JSON integer: 2, or 1 for legacy; other integers UNSUPPORTED_VERSION", ""},
      {"3.kid", "kid: non-empty, NFC, no control or bidi characters", ""},
      {"3.model", "model: as kid", ""},
      {"3.model_hash", "model_hash: optional hash string", ""},
      {"3.source_hash", "source_hash and vec_hash: hash strings", ""},
      {"3.vec_dtype", "vec_dtype: \"f32\" or \"f64\"", ""},
      {"3.vec_dim", "vec_dim: JSON integer in [1, 1048576]", ""},
      {"3.ts", "ts: exactly YYYY-MM-DDTHH:MM:SSZ", ""},
      {"3.extra", "extra: optional string map, at most 32 entries, bounded sizes, NFC, no control or bidi", ""},
      {"3.sig", "sig: base64url of exactly 64 bytes", ""},
      {"3.a", "a pin larger than 65536 bytes is refused before parsing", ""},
      {"3.b", "unknown or duplicate keys, bad UTF-8, lone surrogates, trailing bytes, non-object root: PARSE_ERROR; "
              "whitespace, key order and \\u escapes accepted", ""},
      {"3.c", "legacy v1 pins: same parser, free-form ts, no NFC/control/bidi checks on extra", ""},
      {"3.d", "writing a pin: keys sorted by byte order, no whitespace, raw UTF-8", ""},
      {"4.a", "canonical JSON of the header", ""},
      {"4.b", "v2 signed bytes: \"vectorpin/v2\\0\" and the canonical JSON of every field but sig", ""},
      {"4.c", "v1 signed bytes: the canonical JSON of every field but kid and sig", ""},
      {"4.d", "signing normalizes to NFC and refuses what a verifier would refuse to parse", ""},
      {"5.1", "verification parses first: size, JSON, unknown/duplicate keys, version, field rules", ""},
      {"5.2", "a version this verifier does not accept: UNSUPPORTED_VERSION (v1 without legacy)", ""},
      {"5.3", "kid not registered: UNKNOWN_KEY", ""},
      {"5.4", "validity window [valid_from, valid_until) on ts: KEY_EXPIRED", ""},
      {"5.5", "strict Ed25519 over the signed bytes: SIGNATURE_INVALID", ""},
      {"5.6", "supplied vector: SHAPE_MISMATCH, PARSE_ERROR for NaN/Inf, VECTOR_TAMPERED", ""},
      {"5.7", "supplied source: SOURCE_MISMATCH", ""},
      {"5.8", "expected model, compared exactly: MODEL_MISMATCH", ""},
      {"5.9", "expected record, collection, tenant ids in that order", ""},
      {"6.a", "key files <kid>.priv / <kid>.pub",
       "files on disk: tested by the CLI's keygen and key-file tests (tests/unit/test_cli.cpp, tests/hostile)"},
      {"6.b", "PEM keys (RFC 8410)", "a file format: tested by the PEM unit tests and the CLI's key-file tests"},
      {"6.c", "fingerprint: first 16 hex digits of SHA-256(public key) in four groups", ""},
      {"6.d", "a registry maps kid to a public key and an optional window", ""},
      {"7", "adapters store the pin under the key `vectorpin`",
       "a storage convention: tested by the store auditor's tests (tests/audit) and the LanceDB tool's tests"},
      {"8", "the deterministic test key regenerates upstream's fixtures byte for byte", ""},
  };
  return kRules;
}

}  // namespace fixtures
