// pgvector's text form, decoded as the PostgreSQL backend reads a `vector`
// column. The inputs are what pgvector's vector_out prints: '[' + float4
// elements in their shortest round-trip decimal, joined by ',' + ']'.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "pgvector.hpp"

namespace {

using cli::audit::decode_pgvector_text;
using cli::audit::RawVector;

RawVector decode(const std::string& s) { return decode_pgvector_text(s.data(), s.size()); }

uint32_t bits(float x) {
  uint32_t b;
  std::memcpy(&b, &x, 4);
  return b;
}

TEST(Pgvector, TypeNames) {
  EXPECT_TRUE(cli::audit::is_pgvector_type("vector"));
  EXPECT_FALSE(cli::audit::is_pgvector_type("Vector"));
  EXPECT_FALSE(cli::audit::is_pgvector_type("halfvec"));
  EXPECT_TRUE(cli::audit::is_unsupported_pgvector_type("halfvec"));
  EXPECT_TRUE(cli::audit::is_unsupported_pgvector_type("sparsevec"));
  EXPECT_FALSE(cli::audit::is_unsupported_pgvector_type("vector"));
}

TEST(Pgvector, VectorOutFormIsReadExactlyAsFloat32) {
  RawVector v = decode("[1,2,3]");
  ASSERT_EQ(v.kind, RawVector::kF32) << v.problem;
  EXPECT_EQ(v.f32, (std::vector<float>{1, 2, 3}));
  // Shortest decimals of awkward float4 values, as float_to_shortest_decimal prints them.
  v = decode("[0.1,-0,1e-05,3.4028235e+38,1.1754944e-38,1e-45,0.33333334,-123456.79]");
  ASSERT_EQ(v.kind, RawVector::kF32) << v.problem;
  ASSERT_EQ(v.f32.size(), 8u);
  EXPECT_EQ(bits(v.f32[0]), bits(0.1f));
  EXPECT_EQ(bits(v.f32[1]), 0x80000000u) << "negative zero keeps its sign";
  EXPECT_EQ(bits(v.f32[2]), bits(1e-05f));
  EXPECT_EQ(bits(v.f32[3]), bits(std::numeric_limits<float>::max()));
  EXPECT_EQ(bits(v.f32[4]), bits(std::numeric_limits<float>::min()));
  EXPECT_EQ(bits(v.f32[5]), 1u) << "the smallest subnormal";
  EXPECT_EQ(bits(v.f32[6]), bits(1.0f / 3.0f));
  EXPECT_EQ(bits(v.f32[7]), bits(-123456.79f));
}

TEST(Pgvector, WhitespaceAsPgvectorInputAcceptsIt) {
  RawVector v = decode(" [ 1 , 2.5 ,3 ] ");
  ASSERT_EQ(v.kind, RawVector::kF32) << v.problem;
  EXPECT_EQ(v.f32, (std::vector<float>{1, 2.5f, 3}));
}

TEST(Pgvector, MalformedValuesAreUnreadableNotGuessed) {
  for (const char* bad : {"", "[", "[]", "[1,,2]", "[1,2", "{1,2}", "(1,2)", "[NaN]", "[Infinity]", "[1e39]",
                          "[0x10]", "[+1]", "[.5]", "[1.]", "[1,2]x", "1,2,3", "[1;2]", "[\"1\"]", "[[1]]"}) {
    RawVector v = decode(bad);
    EXPECT_EQ(v.kind, RawVector::kBad) << bad;
    EXPECT_FALSE(v.problem.empty()) << bad;
    EXPECT_TRUE(v.f32.empty()) << bad;
  }
}

TEST(Pgvector, DimensionBoundsArePgvectorsOwn) {
  std::string at_limit = "[";
  for (size_t i = 0; i < cli::audit::kPgvectorMaxDim; ++i) at_limit += i ? ",1" : "1";
  at_limit += "]";
  EXPECT_EQ(decode(at_limit).kind, RawVector::kF32);
  RawVector over = decode(at_limit.substr(0, at_limit.size() - 1) + ",1]");
  EXPECT_EQ(over.kind, RawVector::kBad);
  EXPECT_NE(over.problem.find("16000"), std::string::npos) << over.problem;
  // Longer than any vector pgvector can print: refused before it is parsed.
  RawVector huge = decode("[" + std::string(16000 * 40, ' ') + "1]");
  EXPECT_EQ(huge.kind, RawVector::kBad);
  EXPECT_NE(huge.problem.find("longer"), std::string::npos) << huge.problem;
}

}  // namespace
