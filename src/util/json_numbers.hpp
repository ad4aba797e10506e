// JSON arrays of numbers, read as float or double vectors.
//
// The rule (docs/PROTOCOL-DECISIONS.md): a decimal in a JSON vector is the
// exact value it denotes, rounded once, to nearest with ties to even,
// straight to the element type it is read as. An f32 read never goes
// through double, so no value is rounded twice. A value whose rounding
// overflows to infinity is refused; one too small for the type rounds to a
// zero of its sign, as IEEE-754 says. `-0` is negative zero.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vectorpin::util {

// VECTORPIN_MAX_VEC_DIM, the library's limit on a vector's length.
inline constexpr size_t kMaxJsonVectorElements = 1048576;

// Parses `text`: optional JSON whitespace, `[`, zero or more JSON numbers
// (RFC 8259 grammar exactly: no `+`, no leading zeros, no `.5`, no hex, no
// NaN or Infinity) separated by `,`, `]`, optional whitespace, and nothing
// else. More than `max_elements` elements are refused as soon as the next
// one is seen. On failure returns false with `problem` set; the message
// never quotes the input.
bool parse_json_number_array(std::string_view text, std::vector<float>& out, std::string& problem,
                             size_t max_elements = kMaxJsonVectorElements);

// The end of the RFC 8259 number that starts at `p` (reading no further than
// `end`), or null if no number starts there. The JSON scanner checks numbers
// with it, so there is one number grammar.
const char* json_number_end(const char* p, const char* end);
bool parse_json_number_array(std::string_view text, std::vector<double>& out, std::string& problem,
                             size_t max_elements = kMaxJsonVectorElements);

}  // namespace vectorpin::util
