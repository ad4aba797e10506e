// JSON vectors full of hard cases for a decimal reader, with the bit
// patterns each element must become when rounded once to f32 or f64.
#pragma once

#include <cstdint>

namespace audit_test {

// The hard cases, with the bit patterns they must become (worked out with
// exact arithmetic; see tests/unit/test_json_numbers.cpp).
inline const char* const kF32Text =
    "[1.0000000596046447753906250001, 1.000000059604644775390625, 1e-45, 7.1e-46,"
    " 7.006492321624085354618647916449580656401309709382578858785341419448955413429303e-46, -0, -1e-50,"
    " 1e-99999, 3.4028235e38, -340282356779733661637539395458142568447.9, 0.1, 1.1754942e-38]";
inline const uint32_t kF32Bits[] = {0x3f800001, 0x3f800000, 0x00000001, 0x00000001, 0x00000000, 0x80000000,
                             0x80000000, 0x00000000, 0x7f7fffff, 0xff7fffff, 0x3dcccccd, 0x007fffff};
inline const char* const kF64Text =
    "[1.00000000000000011102230246251565404236316680908203125,"
    " 1.00000000000000011102230246251565404236316680908203125000000001, 4.9406564584124654e-324,"
    " 2.4703282292062327e-324, -0, -1e-400, 1e-99999, 1.7976931348623157e308, 0.1, 1e39]";
inline const uint64_t kF64Bits[] = {0x3ff0000000000000, 0x3ff0000000000001, 0x1, 0x0, 0x8000000000000000,
                             0x8000000000000000, 0x0, 0x7fefffffffffffff, 0x3fb999999999999a, 0x48078287f49c4a1d};

}  // namespace audit_test
