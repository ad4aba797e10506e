// Shared by every fuzz target. The same sources build two ways: linked with
// libFuzzer (clang, -fsanitize=fuzzer), and linked with replay_main.cpp into
// an ordinary program that ctest runs over the committed corpora, so every
// input that ever found a bug keeps being checked without clang.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

// A property violation must stop the run in both builds: libFuzzer then saves
// the input, and the replay program fails its ctest test.
#define FUZZ_CHECK(cond)                                                                   \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, #cond);  \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)

namespace fuzz {

inline std::string_view as_view(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Splits the input at every occurrence of the separator byte sequence "\x1e\x1e"
// (two ASCII record separators) into at most `max_parts` parts; the last part
// keeps the remainder. The seeds use the same framing, so the fuzzer starts
// from well-formed multi-part inputs and mutates them.
inline std::vector<std::string_view> split_parts(std::string_view in, size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    size_t at = in.find("\x1e\x1e");
    if (at == std::string_view::npos) break;
    parts.push_back(in.substr(0, at));
    in.remove_prefix(at + 2);
  }
  parts.push_back(in);
  while (parts.size() < max_parts) parts.emplace_back();
  return parts;
}

// Where the fixture files are: $VECTORPIN_TESTVECTORS, else the source tree.
inline std::string testvectors_dir() {
  const char* env = std::getenv("VECTORPIN_TESTVECTORS");
  if (env != nullptr && *env != '\0') return env;
#ifdef VECTORPIN_TESTVECTORS_DEFAULT
  return VECTORPIN_TESTVECTORS_DEFAULT;
#else
  return "testvectors";
#endif
}

inline bool read_file(const std::string& path, std::string& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  out.clear();
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  return true;
}

// The deterministic test key: seed 00 01 .. 1f.
inline void test_seed(uint8_t seed[32]) {
  for (int i = 0; i < 32; ++i) seed[i] = static_cast<uint8_t>(i);
}

}  // namespace fuzz
