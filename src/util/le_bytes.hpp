// Little-endian IEEE-754 arrays (SQLite and PostgreSQL blobs, .npy files),
// decoded the same way on any host byte order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace vectorpin::util {

// `count` little-endian floats (4 bytes each) or doubles (8 bytes each) from
// `data` into `out` (resized to `count`).
void load_le_f32(const unsigned char* data, size_t count, std::vector<float>& out);
void load_le_f64(const unsigned char* data, size_t count, std::vector<double>& out);

}  // namespace vectorpin::util
