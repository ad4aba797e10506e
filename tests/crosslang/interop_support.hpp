// What both C++ sides of the cross-language test (interop_c.cpp through the
// C API, interop_cli.cpp through the vectorpin program) read the same way:
// the records of testvectors/crosslang.json and their base64url fields.
#pragma once

#include <cstdlib>
#include <cstring>
#include <functional>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vectorpin.h"

namespace interop {

using nlohmann::json;

inline std::vector<uint8_t> b64d(const std::string& s) {
  uint8_t* out = nullptr;
  size_t n = 0;
  if (vectorpin_base64url_decode(&out, &n, s.data(), s.size(), nullptr) != VECTORPIN_OK) {
    std::cerr << "bad base64url in fixture\n";
    std::exit(2);
  }
  std::vector<uint8_t> v(out, out + n);
  vectorpin_free(out);
  return v;
}

inline std::string b64e(const uint8_t* p, size_t n) {
  char* out = nullptr;
  size_t len = 0;
  vectorpin_base64url_encode(&out, &len, p, n, nullptr);
  std::string s(out, len);
  vectorpin_free(out);
  return s;
}

inline json load_records() {
  const char* dir = std::getenv("VECTORPIN_TESTVECTORS");
  std::string path = std::string(dir ? dir : "testvectors") + "/crosslang.json";
  std::ifstream in(path);
  if (!in) {
    std::cerr << "cannot open " << path << " (set VECTORPIN_TESTVECTORS)\n";
    std::exit(2);
  }
  return json::parse(in);
}

template <typename T>
inline std::vector<T> decode_vector(const std::string& b64) {
  std::vector<uint8_t> raw = b64d(b64);
  std::vector<T> v(raw.size() / sizeof(T));
  std::memcpy(v.data(), raw.data(), v.size() * sizeof(T));  // little-endian host
  return v;
}

// The `verify` verb's driver: every line of every file is matched with its
// record by name and handed to `check`, which returns why it failed (empty
// when the pin verified and its tampered copy was caught). Prints and
// returns as the contract says.
inline int verify_files(const std::vector<std::string>& files,
                        const std::function<std::string(const json& item, const json& rec)>& check) {
  json doc = load_records();
  int passed = 0, failed = 0;
  for (const auto& path : files) {
    std::ifstream in(path);
    if (!in) {
      std::cerr << "cannot open " << path << "\n";
      ++failed;
      continue;
    }
    std::string text;
    while (std::getline(in, text)) {
      if (text.empty()) continue;
      json item = json::parse(text);
      const json* rec = nullptr;
      for (const auto& r : doc["records"])
        if (r["name"] == item["name"]) rec = &r;
      const std::string label = item["lang"].get<std::string>() + "/" + item["name"].get<std::string>();
      const std::string why = rec ? check(item, *rec) : "unknown record";
      if (why.empty()) {
        ++passed;
      } else {
        ++failed;
        std::cerr << "FAIL " << label << ": " << why << "\n";
      }
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return (failed == 0 && passed > 0) ? 0 : 1;
}

}  // namespace interop
