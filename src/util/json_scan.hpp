// A small strict JSON reader for one JSON object per call: enough to take a
// JSONL record or an audit summary apart without a JSON library. Nested arrays and
// objects are validated and handed back as spans of the input, so a pin
// object reaches the library's own strict parser unchanged.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace vectorpin::util {

struct JsonValue {
  enum Type { kNull, kBool, kNumber, kString, kArray, kObject } type = kNull;
  size_t begin = 0, end = 0;  // the value's bytes in the input
  std::string str;            // kString: the decoded text
  bool boolean = false;
};

const char* json_type_name(JsonValue::Type t);

// Parses `text` as exactly one JSON object (whitespace around it allowed) and
// lists its members in order. Returns false with `problem` set (no input is
// quoted in it) if the text is not valid JSON, not an object, or nests deeper
// than 128 levels.
bool scan_object(const std::string& text, std::vector<std::pair<std::string, JsonValue>>& members,
                 std::string& problem);

}  // namespace vectorpin::util
