#include "util/le_bytes.hpp"

namespace vectorpin::util {

void load_le_f32(const unsigned char* data, size_t count, std::vector<float>& out) {
  out.resize(count);
  if (count == 0) return;
  if (host_is_little_endian()) {
    // The bytes already are the floats: one copy.
    std::memcpy(out.data(), data, count * 4);
    return;
  }
  for (size_t i = 0; i < count; ++i) {
    uint32_t bits = 0;
    for (int b = 3; b >= 0; --b) bits = (bits << 8) | data[4 * i + static_cast<size_t>(b)];
    std::memcpy(&out[i], &bits, 4);
  }
}

void load_le_f64(const unsigned char* data, size_t count, std::vector<double>& out) {
  out.resize(count);
  if (count == 0) return;
  if (host_is_little_endian()) {
    std::memcpy(out.data(), data, count * 8);
    return;
  }
  for (size_t i = 0; i < count; ++i) {
    uint64_t bits = 0;
    for (int b = 7; b >= 0; --b) bits = (bits << 8) | data[8 * i + static_cast<size_t>(b)];
    std::memcpy(&out[i], &bits, 8);
  }
}

}  // namespace vectorpin::util
