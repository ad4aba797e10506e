// The valid handles and inputs the generated NULL-argument test
// (gen_null_arguments.py) starts every call from, and its tally.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "vectorpin.h"

namespace {

[[noreturn]] void setup_failed(const char* what, const vectorpin_error& e) {
  std::fprintf(stderr, "setup failed: %s: %s\n", what, e.message);
  std::exit(2);
}

// One of everything, fresh for each call so that no call sees another's
// effects.
struct World {
  std::array<uint8_t, VECTORPIN_SEED_BYTES> seed{};
  std::array<uint8_t, VECTORPIN_PUBLIC_KEY_BYTES> public_key{};
  vectorpin_signer* signer = nullptr;
  vectorpin_pin* pin = nullptr;
  std::string pin_json;
  vectorpin_verifier* verifier = nullptr;
  vectorpin_pin_options* options = nullptr;
  vectorpin_expectations* expectations = nullptr;
  vectorpin_batch* batch = nullptr;

  World() {
    vectorpin_error e{};
    for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(i + 1);
    if (vectorpin_signer_from_seed(&signer, "k", 1, seed.data(), seed.size(), &e) != VECTORPIN_OK)
      setup_failed("signer", e);
    if (vectorpin_signer_public_key(signer, public_key.data(), public_key.size(), &e) != VECTORPIN_OK)
      setup_failed("public key", e);
    const float vec[4] = {0.25f, -0.5f, 1.0f, 2.0f};
    if (vectorpin_signer_pin_f32(signer, &pin, "abc", 3, "m", 1, vec, 4, nullptr, &e) != VECTORPIN_OK)
      setup_failed("pin", e);
    char* json = nullptr;
    size_t json_len = 0;
    if (vectorpin_pin_to_json(pin, &json, &json_len, &e) != VECTORPIN_OK) setup_failed("pin JSON", e);
    pin_json.assign(json, json_len);
    vectorpin_free(json);
    if (vectorpin_verifier_new(&verifier, &e) != VECTORPIN_OK) setup_failed("verifier", e);
    if (vectorpin_verifier_add_key(verifier, "k", 1, public_key.data(), public_key.size(), nullptr, 0, nullptr, 0,
                                   &e) != VECTORPIN_OK)
      setup_failed("key", e);
    if (vectorpin_pin_options_new(&options, &e) != VECTORPIN_OK) setup_failed("options", e);
    if (vectorpin_expectations_new(&expectations, &e) != VECTORPIN_OK) setup_failed("expectations", e);
    if (vectorpin_batch_new(&batch, verifier, 1, &e) != VECTORPIN_OK) setup_failed("batch", e);
  }
  ~World() {
    vectorpin_batch_free(batch);
    vectorpin_expectations_free(expectations);
    vectorpin_pin_options_free(options);
    vectorpin_verifier_free(verifier);
    vectorpin_pin_free(pin);
    vectorpin_signer_free(signer);
  }
  World(const World&) = delete;
  World& operator=(const World&) = delete;
};

// An external signer's callback; never reached by a refused call.
int sign_with_world_key(void*, uint8_t* signature, const uint8_t*, size_t) {
  std::memset(signature, 0, VECTORPIN_SIGNATURE_BYTES);
  return 1;
}

struct Tally {
  int passed = 0;
  int failed = 0;
  void pass(const char*) { ++passed; }
  void expect(bool ok, const char* what, vectorpin_status st, const vectorpin_error& err) {
    if (ok) {
      ++passed;
      return;
    }
    ++failed;
    std::printf("FAILED: %s (returned %s, error %d \"%s\")\n", what, vectorpin_status_name(st), err.code,
                err.code == -1 ? "" : err.message);
  }
  int report() const {
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
  }
};

}  // namespace
