// Little-endian IEEE-754 arrays (SQLite and PostgreSQL blobs, .npy files),
// decoded the same way on any host byte order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace vectorpin::util {

// True where a little-endian array already is the host's floats (then a
// copy decodes it); false where that is unknown, which is always safe.
constexpr bool host_is_little_endian() {
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__)
  return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
#else
  return false;
#endif
}

// `count` little-endian floats (4 bytes each) or doubles (8 bytes each) from
// `data` into `out` (resized to `count`).
void load_le_f32(const unsigned char* data, size_t count, std::vector<float>& out);
void load_le_f64(const unsigned char* data, size_t count, std::vector<double>& out);

}  // namespace vectorpin::util
