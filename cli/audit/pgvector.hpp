// pgvector's column types in the PostgreSQL backend. pgvector is an
// extension, so its types have no fixed OID: they are recognised by name in
// the catalog. A `vector` column is read in its text form, `[1,2,3]`, which
// is exact: pgvector prints every float4 element in its shortest decimal
// that reads back to the same float (and stores no NaN or infinity).
#pragma once

#include <cstddef>
#include <string>

#include "audit.hpp"

namespace cli::audit {

// pgvector's own limit on a vector's dimension (VECTOR_MAX_DIM).
inline constexpr size_t kPgvectorMaxDim = 16000;

// `vector`: read as f32 vectors.
bool is_pgvector_type(const std::string& type_name);
// pgvector's other vector types (halfvec, sparsevec): the protocol hashes
// f32 or f64 elements, so these are refused with a message saying why.
bool is_unsupported_pgvector_type(const std::string& type_name);

// pgvector's text form (vector_out): '[', float4 decimals separated by ',',
// ']'; whitespace around them as pgvector's input accepts it. Gives kF32, or
// kBad with the reason.
RawVector decode_pgvector_text(const char* text, size_t len);

}  // namespace cli::audit
