// SHA-256 (FIPS 180-4). The project's own implementation: a portable block
// function now; faster block functions can be selected at run time later
// without touching callers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vectorpin {

using Sha256Digest = std::array<uint8_t, 32>;

class Sha256 {
 public:
  Sha256() { reset(); }
  void reset();
  void update(const void* data, size_t len);
  Sha256Digest finish();

 private:
  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_ = 0;
};

Sha256Digest sha256(const void* data, size_t len);

// Compresses `blocks` consecutive 64-byte blocks into `state`.
void sha256_blocks_portable(uint32_t state[8], const uint8_t* data, size_t blocks);

// "sha256:" + 64 lowercase hex digits.
std::string hash_string(const Sha256Digest& digest);

// True if `s` is exactly "sha256:" followed by 64 lowercase hex digits.
bool is_hash_string(std::string_view s);

}  // namespace vectorpin
