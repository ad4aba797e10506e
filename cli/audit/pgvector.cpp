// pgvector columns: see pgvector.hpp.
#include "pgvector.hpp"

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
  std::vector<double> unused;
  std::string problem;
  if (!parse_number_array(std::string(text, len), true, v.f32, unused, problem)) {
    v.f32.clear();
    v.problem = "pgvector value is not of the form [x,y,...]: " + problem;
    return v;
  }
  if (v.f32.empty() || v.f32.size() > kPgvectorMaxDim) {
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
