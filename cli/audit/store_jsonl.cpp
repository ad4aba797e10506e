// JSONL stores: one JSON object per line,
//   {"id": ..., "vector": [..], "source": "...", "vectorpin": "<pin json>" | {pin} | null}
// Field names follow --id-column, --vector-column, --source-column and
// --pin-column. A line that cannot be read is a failed record; the audit goes on.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "audit.hpp"
#include "util/json_numbers.hpp"
#include "util/json_scan.hpp"

namespace cli::audit {
namespace {

using vectorpin::util::JsonValue;
using vectorpin::util::json_type_name;
using vectorpin::util::scan_object;

// How much of a line is gathered before a seekable file's long line is
// measured first (and fetched only if it is within the limit).
constexpr size_t kGatherBytes = size_t(1) << 20;

class JsonlReader : public RecordReader {
 public:
  JsonlReader(const std::string& path, const TableSpec& spec, size_t max_line_bytes)
      : path_(path), spec_(spec), max_line_(max_line_bytes) {
    if (path == "-") {
      fd_ = STDIN_FILENO;
    } else {
      fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd_ < 0) runtime_error("cannot open " + path + ": " + std::strerror(errno));
      owned_ = true;
    }
    struct stat st {};
    seekable_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
    buf_.resize(size_t(1) << 16);
  }
  ~JsonlReader() override {
    if (owned_) ::close(fd_);
  }

  std::optional<uint64_t> count() override {
    if (!seekable_) return std::nullopt;
    int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    uint64_t lines = 0;
    bool blank = true;
    std::vector<char> buf(size_t(1) << 16);
    ssize_t n;
    while ((n = ::read(fd, buf.data(), buf.size())) > 0) {
      for (ssize_t i = 0; i < n; ++i) {
        char c = buf[static_cast<size_t>(i)];
        if (c == '\n') {
          if (!blank) ++lines;
          blank = true;
        } else if (c != ' ' && c != '\t' && c != '\r') {
          blank = false;
        }
      }
    }
    if (!blank) ++lines;
    ::close(fd);
    return lines;
  }

  std::string location() const override { return path_ == "-" ? path_ : canonical_path(path_); }

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
      r.too_large = true;
      r.unreadable = "line is longer than " + std::to_string(max_line_) + " bytes (--max-record-bytes); not read";
      return true;
    }
    // Taken apart on a worker thread (decode below).
    r.raw_line = std::move(line);
    return true;
  }

  void decode(Record& r) const override {
    if (r.raw_line.empty()) return;
    std::string line = std::move(r.raw_line);
    r.raw_line.clear();
    decode(line, r);
  }

 private:
  static bool is_blank(const std::string& s) { return s.find_first_not_of(" \t\r") == std::string::npos; }

  bool fill() {
    buf_off_ += len_;
    pos_ = 0;
    ssize_t n;
    do {
      n = ::read(fd_, buf_.data(), buf_.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0) runtime_error("cannot read " + (path_ == "-" ? std::string("stdin") : path_) + ": " + std::strerror(errno));
    len_ = static_cast<size_t>(n);
    return n > 0;
  }

  // Reads up to the next '\n'. A line over the limit is consumed but not
  // kept: in a regular file, a line is measured before it is held once it
  // passes kGatherBytes, so at most that much of a too-long line is ever in
  // memory; from a pipe, at most the limit.
  bool read_line(std::string& line, bool& too_long) {
    line.clear();
    too_long = false;
    bool any = false, measuring = false;
    uint64_t start = buf_off_ + pos_, length = 0;
    while (true) {
      if (pos_ == len_ && !fill()) break;
      any = true;
      const char* from = buf_.data() + pos_;
      const void* nl = std::memchr(from, '\n', len_ - pos_);
      size_t take = nl ? static_cast<size_t>(static_cast<const char*>(nl) - from) : len_ - pos_;
      length += take;
      if (length > max_line_) {
        too_long = true;
        measuring = true;
        line.clear();
        line.shrink_to_fit();
      } else if (!measuring && seekable_ && length > kGatherBytes) {
        measuring = true;
        line.clear();
        line.shrink_to_fit();
      } else if (!measuring) {
        line.append(from, take);
      }
      pos_ += take;
      if (nl) {
        ++pos_;
        break;
      }
    }
    if (measuring && !too_long) {
      // Within the limit after all: fetch it whole.
      line.resize(static_cast<size_t>(length));
      size_t got = 0;
      while (got < line.size()) {
        ssize_t n = ::pread(fd_, line.data() + got, line.size() - got, static_cast<off_t>(start + got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) runtime_error("cannot read " + path_ + " again at line " + std::to_string(line_no_ + 1));
        got += static_cast<size_t>(n);
      }
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return any;
  }

  void decode(const std::string& line, Record& r) const {
    std::vector<std::pair<std::string, JsonValue>> members;
    std::string problem;
    // The vector's numbers are checked once, by the number parser, not
    // also by the scanner (see read_vector).
    if (!scan_object(line, members, problem, spec_.vector_column)) {
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
      if (vec->type == JsonValue::kArray && vec->unchecked) {
        read_vector(line, *vec, r);
      } else if (vec->type == JsonValue::kArray) {
        r.vector.kind = RawVector::kJsonText;
        r.vector.text = line.substr(vec->begin, vec->end - vec->begin);
      } else if (vec->type != JsonValue::kNull) {
        r.vector.kind = RawVector::kBad;
        r.vector.problem = std::string("vector is ") + json_type_name(vec->type) + ", not an array";
      }
    }
  }

  // The vector array the scanner took on trust: parsed here, in the pin's
  // element type (f64 when there is no pin that parses; the engine then
  // reports the pin), so its text is read once. If it does not parse, the
  // line is scanned again in full so that the record is classified exactly as
  // a full scan would have: not JSON at all (unreadable), or JSON whose
  // vector is not one (a bad vector).
  void read_vector(const std::string& line, const JsonValue& vec, Record& r) const {
    bool f32 = false;
    if (r.pin && !r.pin->empty()) {
      PinHandle parsed;
      vectorpin_error err;
      if (vectorpin_pin_parse(&parsed.p, r.pin->data(), r.pin->size(), &err) == VECTORPIN_OK)
        f32 = vectorpin_pin_dtype(parsed.p) == VECTORPIN_DTYPE_F32;
    }
    const std::string_view text(line.data() + vec.begin, vec.end - vec.begin);
    RawVector& v = r.vector;
    const bool ok = f32 ? vectorpin::util::parse_json_number_array(text, v.f32, v.problem)
                        : vectorpin::util::parse_json_number_array(text, v.f64, v.problem);
    if (ok) {
      v.kind = f32 ? RawVector::kF32 : RawVector::kF64;
      return;
    }
    std::vector<std::pair<std::string, JsonValue>> members;
    std::string problem;
    if (!scan_object(line, members, problem)) {
      const uint64_t ordinal = r.ordinal, line_no = r.line;
      r = Record();
      r.ordinal = ordinal;
      r.line = line_no;
      r.unreadable = "line is not a JSON object: " + problem;
      return;
    }
    v.kind = RawVector::kBad;
    v.f32.clear();
    v.f64.clear();
  }

  std::string path_;
  TableSpec spec_;
  size_t max_line_;
  int fd_ = -1;
  bool owned_ = false, seekable_ = false;
  std::vector<char> buf_;
  uint64_t buf_off_ = 0;  // file offset of buf_[0]
  size_t pos_ = 0, len_ = 0;
  uint64_t line_no_ = 0;
  uint64_t ordinal_ = 0;
};

}  // namespace

std::unique_ptr<RecordReader> open_jsonl_reader(const std::string& path, const TableSpec& spec,
                                                size_t max_record_bytes) {
  return std::make_unique<JsonlReader>(path, spec, max_record_bytes);
}

}  // namespace cli::audit
