// pgvector columns: see pgvector.hpp.
#include "pgvector.hpp"

#include "util/json_numbers.hpp"

namespace cli::audit {

bool is_pgvector_type(const std::string& type_name) { return type_name == "vector"; }

bool is_unsupported_pgvector_type(const std::string& type_name) {
  return type_name == "halfvec" || type_name == "sparsevec";
}

RawVector decode_pgvector_text(const char* text, size_t len) {
  RawVector v;
  v.kind = RawVector::kBad;
  // Bound before parsing: the longest element pgvector prints is 15 bytes
  // ("-1.1754944e-38"), plus a separator; leave room for whitespace.
  if (len > kPgvectorMaxDim * 32 + 2) {
    v.problem = "pgvector value is longer than a vector of " + std::to_string(kPgvectorMaxDim) + " elements can be";
    return v;
  }
  // Every decimal pgvector prints is also a JSON number, so the strict JSON
  // number reader reads them, straight to float (no double rounding).
  std::string problem;
  if (!vectorpin::util::parse_json_number_array(std::string_view(text, len), v.f32, problem, kPgvectorMaxDim)) {
    v.f32.clear();
    v.problem = "pgvector value is not of the form [x,y,...]: " + problem;
    return v;
  }
  if (v.f32.empty()) {
    size_t dim = v.f32.size();
    v.f32.clear();
    v.problem = "pgvector value has " + std::to_string(dim) + " elements (1 to " +
                std::to_string(kPgvectorMaxDim) + " are possible)";
    return v;
  }
  v.kind = RawVector::kF32;
  return v;
}

}  // namespace cli::audit
