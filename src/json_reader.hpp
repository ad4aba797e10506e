// A strict JSON (RFC 8259) reader producing a small document tree. Strict in
// the ways the protocol needs: duplicate object keys, invalid UTF-8, lone
// surrogate escapes, leading zeros, a BOM and trailing bytes are all
// errors; nesting depth is bounded so hostile input cannot exhaust the stack.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "error.hpp"

namespace vectorpin {

struct JsonValue {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  std::string text;  // decoded string, or the number's lexeme
  std::vector<JsonValue> items;
  std::vector<std::pair<std::string, JsonValue>> members;  // document order
  size_t offset = 0;                                       // where the value starts

  const JsonValue* find(std::string_view key) const;
};

struct JsonLimits {
  size_t max_depth = 16;
};

// Errors are VECTORPIN_PARSE_ERROR with the byte offset of the problem.
Status parse_json(std::string_view text, JsonValue& out, const JsonLimits& limits, Error& err);

// For a Number: true if its lexeme has no fraction and no exponent. `value`
// gets the value when it fits in int64_t; `fits` says whether it did.
bool json_is_integer(const JsonValue& v, int64_t& value, bool& fits);

}  // namespace vectorpin
