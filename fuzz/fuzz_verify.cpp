// Full verification through the C ABI with a fuzzed pin, source, vector and
// expectations against a fixed registry holding the public test key under
// several kids. The central property: VECTORPIN_OK is only ever reported for
// a pin whose signed bytes the registered key really signed. It is checked
// two ways that do not trust the verifier: libsodium itself must accept the
// pin's signature over its signed bytes under the registered key, and the
// whole pin (every field, in canonical form) must be one that the test key
// signed in the fixture files, so a field the signed bytes forgot to cover
// could not be changed unnoticed either. Any other OK is a forgery the
// verifier let through.
//
// Input framing (parts separated by "\x1e\x1e"):
//   flags | pin JSON | source | vector bytes | expectations
// flags bit 0: supply the source; bit 1: supply the vector; bit 2: the
// vector is f64 (else f32); bit 3: legacy v1 verifier; bit 4: expectations.
// Expectation lines: 'M'model, 'R'record id, 'C'collection id, 'T'tenant id.
#include <cstring>
#include <set>

#include <sodium.h>

#include "fuzz_common.hpp"
#include "base64.hpp"
#include "hashing.hpp"
#include "json_reader.hpp"
#include "pin.hpp"
#include "vectorpin.h"

using namespace vectorpin;

namespace {

struct World {
  vectorpin_verifier* strict = nullptr;
  vectorpin_verifier* legacy = nullptr;
  uint8_t pk[32];
  std::set<std::string> genuine;        // signed bytes + signature of real pins
  std::set<std::string> genuine_pins;   // canonical JSON of the same pins
};

std::string fingerprint_of(const std::string& signed_bytes, const uint8_t sig[64]) {
  return signed_bytes + std::string(reinterpret_cast<const char*>(sig), 64);
}

void collect_pins(const JsonValue& v, std::vector<std::string>& out) {
  for (const auto& [name, child] : v.members) {
    if (child.kind == JsonValue::Kind::String && name == "pin_json") out.push_back(child.text);
    if (child.kind == JsonValue::Kind::String && name == "pin_json_b64") {
      std::vector<uint8_t> raw;
      Error e;
      if (base64url_decode(child.text, raw, e) == VECTORPIN_OK) out.emplace_back(raw.begin(), raw.end());
    }
    collect_pins(child, out);
  }
  for (const auto& item : v.items) collect_pins(item, out);
}

void add_genuine(World& w, const std::string& json) {
  Pin pin;
  Error e;
  if (parse_pin(json, pin, e) != VECTORPIN_OK) return;
  std::string msg = pin_signed_bytes(pin);
  // Decided by libsodium alone, independently of the verifier under test.
  if (crypto_sign_verify_detached(pin.sig.data(), reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                                  w.pk) == 0) {
    w.genuine.insert(fingerprint_of(msg, pin.sig.data()));
    w.genuine_pins.insert(pin_to_json(pin));
  }
}

World* make_world() {
  FUZZ_CHECK(sodium_init() >= 0);
  auto* w = new World;
  uint8_t seed[32], sk[64];
  fuzz::test_seed(seed);
  crypto_sign_seed_keypair(w->pk, sk, seed);
  sodium_memzero(sk, sizeof sk);
  FUZZ_CHECK(vectorpin_verifier_new(&w->strict, nullptr) == VECTORPIN_OK);
  FUZZ_CHECK(vectorpin_verifier_new(&w->legacy, nullptr) == VECTORPIN_OK);
  FUZZ_CHECK(vectorpin_verifier_set_legacy_v1(w->legacy, 1, nullptr) == VECTORPIN_OK);
  const char* kids[] = {"test-vectors-v2-2026-05", "test-vectors-2026-05", "other-kid", "someone-else"};
  for (auto* v : {w->strict, w->legacy}) {
    for (const char* kid : kids)
      FUZZ_CHECK(vectorpin_verifier_add_key(v, kid, std::strlen(kid), w->pk, 32, nullptr, 0, nullptr, 0, nullptr) ==
                 VECTORPIN_OK);
    // A bounded window, so the KEY_EXPIRED paths are reachable.
    const char* from = "2026-01-01T00:00:00Z";
    const char* until = "2026-05-05T12:00:00Z";
    FUZZ_CHECK(vectorpin_verifier_add_key(v, "another-kid", 11, w->pk, 32, from, 20, until, 20, nullptr) ==
               VECTORPIN_OK);
  }
  const std::string dir = fuzz::testvectors_dir();
  const char* files[] = {"v1.json", "v2.json", "negative_v1.json", "negative_v2.json", "extended.json",
                         "upstream/v1.json", "upstream/v2.json", "upstream/negative_v1.json",
                         "upstream/negative_v2.json"};
  for (const char* f : files) {
    std::string text;
    if (!fuzz::read_file(dir + "/" + f, text)) continue;
    JsonValue root;
    JsonLimits limits;
    limits.max_depth = 64;
    Error e;
    if (parse_json(text, root, limits, e) != VECTORPIN_OK) continue;
    std::vector<std::string> pins;
    collect_pins(root, pins);
    for (const auto& p : pins) add_genuine(*w, p);
  }
  // Without genuine pins no input can reach OK and the central check would be vacuous.
  FUZZ_CHECK(!w->genuine.empty());
  return w;
}

void check_error(const vectorpin_error& e, int status) {
  FUZZ_CHECK(e.code == status);
  size_t n = strnlen(e.message, sizeof e.message);
  FUZZ_CHECK(n < sizeof e.message);
  for (size_t i = 0; i < n; ++i) FUZZ_CHECK(static_cast<unsigned char>(e.message[i]) >= 0x20);
  if (status == VECTORPIN_OK) FUZZ_CHECK(n == 0);
  else FUZZ_CHECK(n > 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = make_world();
  auto parts = fuzz::split_parts(fuzz::as_view(data, size), 5);
  const uint8_t flags = parts[0].empty() ? 0 : static_cast<uint8_t>(parts[0][0]);
  const std::string_view pin_json = parts[1];
  const bool with_source = flags & 1, with_vector = flags & 2, f64 = flags & 4, legacy = flags & 8,
             with_expect = flags & 16;
  const vectorpin_verifier* ver = legacy ? world->legacy : world->strict;

  // Copies keep the vector aligned and the source non-NULL when empty.
  std::vector<float> v32(f64 ? 0 : parts[3].size() / 4);
  std::vector<double> v64(f64 ? parts[3].size() / 8 : 0);
  if (!v32.empty()) std::memcpy(v32.data(), parts[3].data(), v32.size() * 4);
  if (!v64.empty()) std::memcpy(v64.data(), parts[3].data(), v64.size() * 8);
  std::string source(parts[2]);

  vectorpin_expectations* ex = nullptr;
  std::string want[5];
  bool have[5] = {false, false, false, false, false};
  if (with_expect) {
    FUZZ_CHECK(vectorpin_expectations_new(&ex, nullptr) == VECTORPIN_OK);
    std::string_view lines = parts[4];
    while (!lines.empty()) {
      size_t nl = lines.find('\n');
      std::string_view line = lines.substr(0, nl);
      lines.remove_prefix(nl == std::string_view::npos ? lines.size() : nl + 1);
      if (line.empty()) continue;
      int which = line[0] == 'M' ? 1 : line[0] == 'R' ? 2 : line[0] == 'C' ? 3 : line[0] == 'T' ? 4 : 0;
      if (which == 0) continue;
      std::string value(line.substr(1));
      vectorpin_error e;
      if (vectorpin_expectations_set(ex, static_cast<vectorpin_expectation>(which), value.data(), value.size(), &e) ==
          VECTORPIN_OK) {
        want[which] = value;
        have[which] = true;
      }
    }
  }

  // Not supplied means a NULL pointer with length 0 (NULL with a length is misuse).
  const char* src = with_source ? source.data() : nullptr;
  const size_t src_len = with_source ? source.size() : 0;
  const size_t dim32 = with_vector ? v32.size() : 0;
  const size_t dim64 = with_vector ? v64.size() : 0;
  vectorpin_error e1, e2;
  int st;
  // A supplied empty vector is a non-NULL pointer with length 0.
  static const float no_f32 = 0;
  static const double no_f64 = 0;
  const float* vec32 = with_vector ? (v32.empty() ? &no_f32 : v32.data()) : nullptr;
  const double* vec64 = with_vector ? (v64.empty() ? &no_f64 : v64.data()) : nullptr;
  if (f64)
    st = vectorpin_verify_json_f64(ver, pin_json.data(), pin_json.size(), src, src_len, vec64, dim64, ex, &e1);
  else
    st = vectorpin_verify_json_f32(ver, pin_json.data(), pin_json.size(), src, src_len, vec32, dim32, ex, &e1);
  check_error(e1, st);
  // VECTORPIN_FUZZ_VERBOSE=1 prints each outcome, to see which outcomes a corpus reaches.
  static const bool verbose = std::getenv("VECTORPIN_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::fprintf(stderr, "outcome %s\n", vectorpin_status_name(st));
  if (st != VECTORPIN_OK && !vectorpin_status_is_verification_failure(st))
    std::fprintf(stderr, "verify returned %s: %s\n", vectorpin_status_name(st), e1.message);
  FUZZ_CHECK(st == VECTORPIN_OK || vectorpin_status_is_verification_failure(st));

  // Parsing first and verifying the handle gives the same outcome.
  vectorpin_pin* pin = nullptr;
  int pst = vectorpin_pin_parse(&pin, pin_json.data(), pin_json.size(), &e2);
  check_error(e2, pst);
  if (pst != VECTORPIN_OK) {
    FUZZ_CHECK(pin == nullptr && st == pst);
  } else {
    vectorpin_error e3;
    int st2 = f64 ? vectorpin_verify_f64(ver, pin, src, src_len, vec64, dim64, ex, &e3)
                  : vectorpin_verify_f32(ver, pin, src, src_len, vec32, dim32, ex, &e3);
    FUZZ_CHECK(st2 == st);
    check_error(e3, st2);
  }

  if (st == VECTORPIN_OK) {
    FUZZ_CHECK(pin != nullptr);
    uint8_t* signed_bytes = nullptr;
    size_t signed_len = 0;
    FUZZ_CHECK(vectorpin_pin_signed_bytes(pin, &signed_bytes, &signed_len, nullptr) == VECTORPIN_OK);
    uint8_t sig[64];
    FUZZ_CHECK(vectorpin_pin_signature(pin, sig, sizeof sig, nullptr) == VECTORPIN_OK);
    std::string msg(reinterpret_cast<const char*>(signed_bytes), signed_len);
    vectorpin_free(signed_bytes);
    // libsodium, not the verifier, decides whether the registered key signed these bytes.
    FUZZ_CHECK(crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                                           world->pk) == 0);
    if (vectorpin_pin_version(pin) == 2) FUZZ_CHECK(msg.compare(0, kV2DomainTag.size(), kV2DomainTag) == 0);
    if (world->genuine.count(fingerprint_of(msg, sig)) == 0) {
      std::fprintf(stderr, "OK for a pin the test key never signed (%zu genuine pins known)\n", world->genuine.size());
      FUZZ_CHECK(false);
    }
    char* canonical = nullptr;
    size_t canonical_len = 0;
    FUZZ_CHECK(vectorpin_pin_to_json(pin, &canonical, &canonical_len, nullptr) == VECTORPIN_OK);
    const bool known = world->genuine_pins.count(std::string(canonical, canonical_len)) == 1;
    vectorpin_free(canonical);
    if (!known) {
      std::fprintf(stderr, "OK for a pin whose fields differ from every pin the test key signed\n");
      FUZZ_CHECK(false);
    }
    // The supplied inputs really match what the pin commits to.
    const char* field;
    size_t field_len;
    if (with_source) {
      std::string h;
      Error he;
      FUZZ_CHECK(hash_text(source, h, he) == VECTORPIN_OK);
      FUZZ_CHECK(vectorpin_pin_get(pin, &field, &field_len, VECTORPIN_FIELD_SOURCE_HASH, nullptr) == VECTORPIN_OK);
      FUZZ_CHECK(std::string_view(field, field_len) == h);
    }
    if (with_vector) {
      size_t dim = f64 ? v64.size() : v32.size();
      FUZZ_CHECK(dim == vectorpin_pin_vec_dim(pin));
      char hs[VECTORPIN_HASH_STRING_BUFFER_BYTES];
      vectorpin_dtype dt = vectorpin_pin_dtype(pin);
      int hst = f64 ? vectorpin_hash_vector_f64(hs, sizeof hs, v64.data(), dim, dt, nullptr)
                    : vectorpin_hash_vector_f32(hs, sizeof hs, v32.data(), dim, dt, nullptr);
      FUZZ_CHECK(hst == VECTORPIN_OK);
      FUZZ_CHECK(vectorpin_pin_get(pin, &field, &field_len, VECTORPIN_FIELD_VEC_HASH, nullptr) == VECTORPIN_OK);
      FUZZ_CHECK(std::string_view(field, field_len) == hs);
    }
    if (have[1]) {
      FUZZ_CHECK(vectorpin_pin_get(pin, &field, &field_len, VECTORPIN_FIELD_MODEL, nullptr) == VECTORPIN_OK);
      FUZZ_CHECK(std::string_view(field, field_len) == want[1]);
    }
    const char* extra_keys[5] = {nullptr, nullptr, "vectorpin.record_id", "vectorpin.collection_id",
                                 "vectorpin.tenant_id"};
    for (int i = 2; i <= 4; ++i) {
      if (!have[i]) continue;
      FUZZ_CHECK(vectorpin_pin_extra_get(pin, &field, &field_len, extra_keys[i], std::strlen(extra_keys[i]), nullptr) ==
                 VECTORPIN_OK);
      FUZZ_CHECK(std::string_view(field, field_len) == want[i]);
    }
  }
  vectorpin_pin_free(pin);
  vectorpin_expectations_free(ex);
  return 0;
}
