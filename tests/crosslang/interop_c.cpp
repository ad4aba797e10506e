// The C reference side of the cross-language test (contract in
// testvectors/README.md): `sign OUT_FILE` and `verify IN_FILE...`.
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "interop_support.hpp"
#include "vectorpin.h"

using nlohmann::json;
using namespace interop;

namespace {

int sign(const std::string& out_path) {
  json doc = load_records();
  std::vector<uint8_t> seed = b64d(doc["seed_b64"]);
  const std::string kid = "crosslang-c";
  vectorpin_signer* signer = nullptr;
  vectorpin_error err;
  if (vectorpin_signer_from_seed(&signer, kid.data(), kid.size(), seed.data(), seed.size(), &err) != VECTORPIN_OK) {
    std::cerr << err.message << "\n";
    return 1;
  }
  uint8_t pk[32];
  vectorpin_signer_public_key(signer, pk, sizeof pk, nullptr);
  std::ofstream out(out_path);
  int written = 0;
  for (const auto& r : doc["records"]) {
    vectorpin_pin_options* opts = nullptr;
    vectorpin_pin_options_new(&opts, nullptr);
    for (const auto& [k, v] : r["extra"].items()) {
      std::string val = v.get<std::string>();
      vectorpin_pin_options_set_extra(opts, k.data(), k.size(), val.data(), val.size(), nullptr);
    }
    std::string source = r["source"], model = r["model"];
    vectorpin_pin* pin = nullptr;
    vectorpin_status st;
    if (r["dtype"] == "f32") {
      auto v = decode_vector<float>(r["vector_b64"]);
      st = vectorpin_signer_pin_f32(signer, &pin, source.data(), source.size(), model.data(), model.size(), v.data(),
                                    v.size(), opts, &err);
    } else {
      auto v = decode_vector<double>(r["vector_b64"]);
      st = vectorpin_signer_pin_f64(signer, &pin, source.data(), source.size(), model.data(), model.size(), v.data(),
                                    v.size(), opts, &err);
    }
    vectorpin_pin_options_free(opts);
    if (st != VECTORPIN_OK) {
      std::cerr << "sign " << r["name"] << ": " << err.message << "\n";
      return 1;
    }
    char* text = nullptr;
    size_t len = 0;
    vectorpin_pin_to_json(pin, &text, &len, nullptr);
    json line = {{"lang", "c"}, {"kid", kid}, {"public_key_b64", b64e(pk, 32)}, {"name", r["name"]},
                 {"pin_json", std::string(text, len)}};
    out << line.dump() << "\n";
    vectorpin_free(text);
    vectorpin_pin_free(pin);
    ++written;
  }
  vectorpin_signer_free(signer);
  std::cout << "signed " << written << " records\n";
  return written > 0 ? 0 : 1;
}

template <typename T>
vectorpin_status verify_with(vectorpin_verifier* v, const std::string& pin, const std::string& source,
                             const std::vector<T>& vec, vectorpin_expectations* e, vectorpin_error* err) {
  if constexpr (std::is_same_v<T, float>)
    return vectorpin_verify_json_f32(v, pin.data(), pin.size(), source.data(), source.size(), vec.data(), vec.size(),
                                     e, err);
  else
    return vectorpin_verify_json_f64(v, pin.data(), pin.size(), source.data(), source.size(), vec.data(), vec.size(),
                                     e, err);
}

template <typename T>
bool check_record(vectorpin_verifier* v, const json& rec, const std::string& pin, std::string& why) {
  std::vector<T> vec = decode_vector<T>(rec["vector_b64"]);
  std::string source = rec["source"];
  std::string record_id = rec["extra"]["vectorpin.record_id"];
  vectorpin_expectations* e = nullptr;
  vectorpin_expectations_new(&e, nullptr);
  vectorpin_expectations_set(e, VECTORPIN_EXPECT_RECORD_ID, record_id.data(), record_id.size(), nullptr);
  vectorpin_error err;
  vectorpin_status st = verify_with(v, pin, source, vec, e, &err);
  bool ok = st == VECTORPIN_OK;
  if (!ok) why = std::string(vectorpin_status_name(st)) + ": " + err.message;
  if (ok) {
    vec[0] += static_cast<T>(0.5);
    st = verify_with(v, pin, source, vec, e, &err);
    if (st != VECTORPIN_VECTOR_TAMPERED) {
      ok = false;
      why = std::string("tampered vector gave ") + vectorpin_status_name(st);
    }
  }
  vectorpin_expectations_free(e);
  return ok;
}

// Verifies one line through the C API with a verifier holding only its key.
std::string check_line(const json& item, const json& rec) {
  vectorpin_verifier* v = nullptr;
  vectorpin_verifier_new(&v, nullptr);
  std::vector<uint8_t> pk = b64d(item["public_key_b64"]);
  std::string kid = item["kid"];
  vectorpin_error err;
  std::string why;
  bool ok = vectorpin_verifier_add_key(v, kid.data(), kid.size(), pk.data(), pk.size(), nullptr, 0, nullptr, 0,
                                       &err) == VECTORPIN_OK;
  if (!ok) why = err.message;
  std::string pin = item["pin_json"];
  if (ok) ok = rec["dtype"] == "f32" ? check_record<float>(v, rec, pin, why) : check_record<double>(v, rec, pin, why);
  vectorpin_verifier_free(v);
  if (ok) return "";
  return why.empty() ? "failed" : why;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[1], "sign") == 0) return sign(argv[2]);
  if (argc >= 3 && std::strcmp(argv[1], "verify") == 0) return verify_files(std::vector<std::string>(argv + 2, argv + argc), check_line);
  std::cerr << "usage: vectorpin_interop_c sign OUT_FILE | verify IN_FILE...\n";
  return 2;
}
