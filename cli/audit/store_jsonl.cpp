// JSONL stores: one JSON object per line,
//   {"id": ..., "vector": [..], "source": "...", "vectorpin": "<pin json>" | {pin} | null}
// Field names follow --id-column, --vector-column, --source-column and
// --pin-column. A line that cannot be read is a failed record; the audit goes on.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "audit.hpp"
#include "json_scan.hpp"

namespace cli::audit {
namespace {

// A line holding a 1,048,576-element vector in JSON fits easily; anything
// longer is refused without being kept in memory.
constexpr size_t kMaxLineBytes = 64u * 1024 * 1024;

class JsonlReader : public RecordReader {
 public:
  JsonlReader(const std::string& path, const TableSpec& spec) : path_(path), spec_(spec) {
    if (path == "-") {
      file_ = stdin;
    } else {
      file_ = std::fopen(path.c_str(), "rb");
      if (!file_) runtime_error("cannot open " + path + ": " + std::strerror(errno));
    }
  }
  ~JsonlReader() override {
    if (file_ && file_ != stdin) std::fclose(file_);
  }

  std::optional<uint64_t> count() override {
    if (file_ == stdin) return std::nullopt;
    FILE* f = std::fopen(path_.c_str(), "rb");
    if (!f) return std::nullopt;
    uint64_t lines = 0;
    bool blank = true;
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
      for (size_t i = 0; i < n; ++i) {
        char c = buf[i];
        if (c == '\n') {
          if (!blank) ++lines;
          blank = true;
        } else if (c != ' ' && c != '\t' && c != '\r') {
          blank = false;
        }
      }
    }
    if (!blank) ++lines;
    std::fclose(f);
    return lines;
  }

  bool next(Record& r) override {
    std::string line;
    bool too_long;
    while (true) {
      if (!read_line(line, too_long)) return false;
      ++line_no_;
      if (too_long || !is_blank(line)) break;
    }
    r = Record();
    r.ordinal = ordinal_++;
    r.line = line_no_;
    if (too_long) {
      r.unreadable = "line is longer than " + std::to_string(kMaxLineBytes) + " bytes";
      return true;
    }
    decode(line, r);
    return true;
  }

 private:
  static bool is_blank(const std::string& s) { return s.find_first_not_of(" \t\r") == std::string::npos; }

  // Reads up to the next '\n'. A line over the limit is consumed but not kept.
  bool read_line(std::string& line, bool& too_long) {
    line.clear();
    too_long = false;
    bool any = false;
    while (true) {
      if (pos_ == len_) {
        len_ = std::fread(buf_, 1, sizeof buf_, file_);
        pos_ = 0;
        if (len_ == 0) {
          if (std::ferror(file_)) runtime_error("cannot read " + (path_ == "-" ? std::string("stdin") : path_));
          break;
        }
      }
      any = true;
      const char* start = buf_ + pos_;
      const void* nl = std::memchr(start, '\n', len_ - pos_);
      size_t take = nl ? static_cast<size_t>(static_cast<const char*>(nl) - start) : len_ - pos_;
      if (!too_long) {
        if (line.size() + take > kMaxLineBytes) {
          too_long = true;
          line.clear();
          line.shrink_to_fit();
        } else {
          line.append(start, take);
        }
      }
      pos_ += take;
      if (nl) {
        ++pos_;
        break;
      }
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return any;
  }

  void decode(const std::string& line, Record& r) const {
    std::vector<std::pair<std::string, JsonValue>> members;
    std::string problem;
    if (!scan_object(line, members, problem)) {
      r.unreadable = "line is not a JSON object: " + problem;
      return;
    }
    const JsonValue *id = nullptr, *vec = nullptr, *src = nullptr, *pin = nullptr;
    std::string duplicate;
    bool id_duplicated = false;
    for (const auto& [key, value] : members) {
      const JsonValue** slot = key == spec_.id_column       ? &id
                               : key == spec_.vector_column ? &vec
                               : key == spec_.pin_column    ? &pin
                               : (spec_.use_source && key == spec_.source_column) ? &src
                                                                                  : nullptr;
      if (!slot) continue;
      if (*slot) {
        // Two values for one field: which one a consumer reads is up to its
        // JSON library, so the record cannot be trusted either way.
        if (duplicate.empty()) duplicate = key;
        if (slot == &id) id_duplicated = true;
        continue;
      }
      *slot = &value;
    }
    if (!duplicate.empty()) {
      // Still name the record when its id is unambiguous.
      if (id && !id_duplicated && id->type == JsonValue::kString) r.id = id->str;
      if (id && !id_duplicated && id->type == JsonValue::kNumber)
        r.id = line.substr(id->begin, id->end - id->begin);
      r.unreadable = "field \"" + safe_text(duplicate) + "\" appears twice";
      return;
    }
    if (id) {
      if (id->type == JsonValue::kString)
        r.id = id->str;
      else if (id->type == JsonValue::kNumber)
        r.id = line.substr(id->begin, id->end - id->begin);
      else if (id->type != JsonValue::kNull) {
        r.unreadable = std::string("id is ") + json_type_name(id->type) + ", not a string or number";
        return;
      }
    }
    if (src) {
      if (src->type == JsonValue::kString)
        r.source = src->str;
      else if (src->type != JsonValue::kNull) {
        r.unreadable = std::string("source is ") + json_type_name(src->type) + ", not a string";
        return;
      }
    }
    if (pin) {
      if (pin->type == JsonValue::kString)
        r.pin = pin->str;
      else if (pin->type == JsonValue::kObject)
        r.pin = line.substr(pin->begin, pin->end - pin->begin);
      else if (pin->type != JsonValue::kNull) {
        r.pin = std::string();
        r.pin_problem = std::string("the pin field is ") + json_type_name(pin->type) + ", not a JSON string or object";
      }
    }
    if (vec) {
      if (vec->type == JsonValue::kArray) {
        r.vector.kind = RawVector::kJsonText;
        r.vector.text = line.substr(vec->begin, vec->end - vec->begin);
      } else if (vec->type != JsonValue::kNull) {
        r.vector.kind = RawVector::kBad;
        r.vector.problem = std::string("vector is ") + json_type_name(vec->type) + ", not an array";
      }
    }
  }

  std::string path_;
  TableSpec spec_;
  FILE* file_ = nullptr;
  char buf_[1 << 16];
  size_t pos_ = 0, len_ = 0;
  uint64_t line_no_ = 0;
  uint64_t ordinal_ = 0;
};

}  // namespace

std::unique_ptr<RecordReader> open_jsonl_reader(const std::string& path, const TableSpec& spec) {
  return std::make_unique<JsonlReader>(path, spec);
}

}  // namespace cli::audit
