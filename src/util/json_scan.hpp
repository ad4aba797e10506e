// A small strict JSON reader for one JSON object per call: enough to take a
// JSONL record or an audit summary apart without a JSON library. Nested arrays and
// objects are validated and handed back as spans of the input, so a pin
// object reaches the library's own strict parser unchanged.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vectorpin::util {

struct JsonValue {
  enum Type { kNull, kBool, kNumber, kString, kArray, kObject } type = kNull;
  size_t begin = 0, end = 0;  // the value's bytes in the input
  std::string str;            // kString: the decoded text
  bool boolean = false;
  // kArray of the member named by scan_object's `numbers_member`: only its
  // extent and characters were checked; the caller must parse it strictly.
  bool unchecked = false;
};

const char* json_type_name(JsonValue::Type t);

// Parses `text` as exactly one JSON object (whitespace around it allowed) and
// lists its members in order. Returns false with `problem` set (no input is
// quoted in it) if the text is not valid JSON, not an object, or nests deeper
// than 128 levels.
//
// `numbers_member` names a top-level member whose value the caller will read
// with parse_json_number_array, which checks the number grammar itself: when
// that value is an array holding nothing but the characters of numbers,
// commas and whitespace, it is not checked a second time here (its value is
// marked `unchecked`). A vector's text is most of a store's line, and this
// halves the work of reading it. A caller that ends up not parsing such a
// value must check it before treating the text as valid JSON.
bool scan_object(const std::string& text, std::vector<std::pair<std::string, JsonValue>>& members,
                 std::string& problem, std::string_view numbers_member = {});

}  // namespace vectorpin::util
