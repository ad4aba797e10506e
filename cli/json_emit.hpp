// A small JSON writer for the program's output: compact or indented, with
// non-ASCII either raw or escaped (the fixture files use Python's
// `json.dump(indent=2)` layout so they diff cleanly against upstream's).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cli {

class JsonEmitter {
 public:
  explicit JsonEmitter(int indent = 0, bool ascii_only = false) : indent_(indent), ascii_(ascii_only) {}

  JsonEmitter& begin_object();
  JsonEmitter& end_object();
  JsonEmitter& begin_array();
  JsonEmitter& end_array();
  JsonEmitter& key(const std::string& k);
  JsonEmitter& string(const std::string& s);
  JsonEmitter& number(int64_t n);
  JsonEmitter& boolean(bool b);
  JsonEmitter& null();
  // key + value shorthands
  JsonEmitter& field(const std::string& k, const std::string& v) { return key(k).string(v); }
  JsonEmitter& field(const std::string& k, const char* v) { return key(k).string(v); }
  JsonEmitter& field(const std::string& k, int64_t v) { return key(k).number(v); }
  JsonEmitter& field_bool(const std::string& k, bool v) { return key(k).boolean(v); }

  const std::string& str() const { return out_; }

 private:
  void before_value();
  void newline();

  struct Level {
    bool is_object;
    size_t count;
  };
  std::string out_;
  std::vector<Level> stack_;
  bool after_key_ = false;
  int indent_;
  bool ascii_;
};

// JSON string literal of `s`, which must be valid UTF-8 (invalid bytes are
// written as U+FFFD).
std::string json_quote(const std::string& s, bool ascii_only = false);

}  // namespace cli
