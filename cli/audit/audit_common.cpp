#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <thread>

#include "audit.hpp"

namespace cli::audit {

StoreRef parse_store(const std::string& text) {
  auto starts = [&](const char* p) { return text.rfind(p, 0) == 0; };
  if (starts("postgresql://") || starts("postgres://")) return {Backend::kPostgres, text};
  if (starts("postgres:") || starts("postgresql:")) {
    std::string rest = text.substr(text.find(':') + 1);
    if (rest.empty()) usage_error("--store postgres: needs a connection string, e.g. postgres:'host=/tmp dbname=x'");
    return {Backend::kPostgres, rest};
  }
  if (starts("sqlite:")) {
    std::string path = text.substr(7);
    if (path.empty()) usage_error("--store sqlite: needs a file path, e.g. sqlite:./store.db");
    return {Backend::kSqlite, path};
  }
  if (starts("jsonl:")) {
    std::string path = text.substr(6);
    if (path.empty()) usage_error("--store jsonl: needs a file path (or - for stdin)");
    return {Backend::kJsonl, path};
  }
  // The argument may hold a password: never echo it.
  usage_error("--store must start with sqlite:, jsonl:, postgresql://, postgres:// or postgres:");
}

void validate_identifier(const std::string& value, const std::string& option) {
  bool ok = !value.empty() && value.size() <= 63;
  for (size_t i = 0; ok && i < value.size(); ++i) {
    char c = value[i];
    bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    ok = letter || (digit && i > 0);
  }
  if (!ok)
    usage_error("--" + option + " must be an identifier: a letter or '_' followed by letters, digits or '_' (at most 63)");
}

std::string quote_identifier(const std::string& validated) { return "\"" + validated + "\""; }

VectorFormat parse_vector_format(const std::string& text, Backend backend) {
  if (text == "blob-f32") return VectorFormat::kBlobF32;
  if (text == "blob-f64") return VectorFormat::kBlobF64;
  if (text == "json") return VectorFormat::kJson;
  if (backend == Backend::kPostgres) {
    if (text == "auto") return VectorFormat::kAuto;
    if (text == "array") return VectorFormat::kArray;
    usage_error("--vector-format must be auto, array, blob-f32, blob-f64 or json");
  }
  usage_error("--vector-format must be blob-f32, blob-f64 or json");
}

RawVector decode_le_blob(const unsigned char* data, size_t len, bool f64) {
  RawVector v;
  size_t width = f64 ? 8 : 4;
  if (len % width != 0) {
    v.kind = RawVector::kBad;
    v.problem = "vector blob is " + std::to_string(len) + " bytes, not a multiple of " + std::to_string(width) +
                (f64 ? " (f64)" : " (f32)");
    return v;
  }
  size_t n = len / width;
  // Assembled byte by byte so that the result does not depend on the host's byte order.
  if (f64) {
    v.kind = RawVector::kF64;
    v.f64.resize(n);
    for (size_t i = 0; i < n; ++i) {
      uint64_t bits = 0;
      for (int b = 7; b >= 0; --b) bits = (bits << 8) | data[8 * i + static_cast<size_t>(b)];
      std::memcpy(&v.f64[i], &bits, 8);
    }
  } else {
    v.kind = RawVector::kF32;
    v.f32.resize(n);
    for (size_t i = 0; i < n; ++i) {
      uint32_t bits = 0;
      for (int b = 3; b >= 0; --b) bits = (bits << 8) | data[4 * i + static_cast<size_t>(b)];
      std::memcpy(&v.f32[i], &bits, 4);
    }
  }
  return v;
}

bool parse_number_array(const std::string& text, bool as_f32, std::vector<float>& f32, std::vector<double>& f64,
                        std::string& problem) {
  f32.clear();
  f64.clear();
  size_t i = 0, count = 0;
  const size_t n = text.size();
  auto ws = [&] {
    while (i < n && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) ++i;
  };
  ws();
  if (i >= n || text[i] != '[') {
    problem = "vector is not a JSON array";
    return false;
  }
  ++i;
  ws();
  if (i < n && text[i] == ']') {
    ++i;
  } else {
    std::string token;
    while (true) {
      ws();
      // strtod accepts more than JSON (hex, inf, nan, leading '+'): check the grammar first.
      size_t start = i;
      if (i < n && text[i] == '-') ++i;
      size_t int_start = i;
      while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
      bool ok = i > int_start && !(text[int_start] == '0' && i - int_start > 1);
      if (ok && i < n && text[i] == '.') {
        size_t f = ++i;
        while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
        ok = i > f;
      }
      if (ok && i < n && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
        size_t e = i;
        while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
        ok = i > e;
      }
      if (!ok) {
        problem = "vector element " + std::to_string(count) + " is not a JSON number";
        return false;
      }
      if (count >= static_cast<size_t>(VECTORPIN_MAX_VEC_DIM)) {
        problem = "vector has more than " + std::to_string(VECTORPIN_MAX_VEC_DIM) + " elements";
        return false;
      }
      token.assign(text, start, i - start);
      if (as_f32) {
        float x = std::strtof(token.c_str(), nullptr);
        if (!std::isfinite(x)) {
          problem = "vector element " + std::to_string(count) + " is out of the f32 range";
          return false;
        }
        f32.push_back(x);
      } else {
        double x = std::strtod(token.c_str(), nullptr);
        if (!std::isfinite(x)) {
          problem = "vector element " + std::to_string(count) + " is out of the f64 range";
          return false;
        }
        f64.push_back(x);
      }
      ++count;
      ws();
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < n && text[i] == ']') {
        ++i;
        break;
      }
      problem = "expected ',' or ']' after vector element " + std::to_string(count - 1);
      return false;
    }
  }
  ws();
  if (i != n) {
    problem = "unexpected bytes after the vector array";
    return false;
  }
  return true;
}

std::string clip_utf8(const std::string& text, size_t limit, bool* clipped) {
  if (clipped) *clipped = text.size() > limit;
  if (text.size() <= limit) return text;
  size_t end = limit;
  // Back up over continuation bytes so no character is cut in half.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;
  return text.substr(0, end);
}

std::string hex_bytes(const unsigned char* data, size_t len) {
  static const char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(2 * len);
  for (size_t i = 0; i < len; ++i) {
    s += kHex[data[i] >> 4];
    s += kHex[data[i] & 15];
  }
  return s;
}

void fault_point_row_written() {
  static const long limit = [] {
    const char* v = std::getenv("VECTORPIN_TEST_PAUSE_AFTER_ROWS");
    return v ? std::atol(v) : -1L;
  }();
  static long written = 0;
  if (limit < 0 || ++written != limit) return;
  std::fprintf(stderr, "pin-store: paused after %ld rows (VECTORPIN_TEST_PAUSE_AFTER_ROWS)\n", written);
  std::fflush(stderr);
  // The marker comes last: a watcher that sees it may kill at once.
  if (const char* marker = std::getenv("VECTORPIN_TEST_PAUSE_FILE")) {
    if (std::FILE* f = std::fopen(marker, "w")) std::fclose(f);
  }
  // Bounded, so that a harness which never kills does not hang forever.
  for (int i = 0; i < 3000; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

std::string safe_text(const std::string& text, size_t limit) {
  bool clipped = false;
  std::string s = clip_utf8(text, limit, &clipped);
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  if (clipped) s += "...";
  return s;
}

// ---- progress ----------------------------------------------------------------------

bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

double monotonic_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

Progress::Progress(bool enabled, const char* verb) : enabled_(enabled), verb_(verb), start_(monotonic_seconds()) {}

Progress::~Progress() { clear(); }

namespace {
std::string format_duration(double s) {
  if (!std::isfinite(s) || s < 0) return "--";
  char buf[32];
  long t = static_cast<long>(s + 0.5);
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t / 60) % 60);
  else if (t >= 60)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%lds", t);
  return buf;
}
}  // namespace

void Progress::update(uint64_t done, bool force) {
  if (!enabled_) return;
  double now = monotonic_seconds();
  if (!force && last_draw_ >= 0 && now - last_draw_ < 0.1) return;
  last_draw_ = now;
  double elapsed = now - start_;
  double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
  char line[256];
  if (total_ && *total_ > 0) {
    double frac = std::min(1.0, static_cast<double>(done) / static_cast<double>(*total_));
    const int width = 30;
    int filled = static_cast<int>(frac * width);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.append(static_cast<size_t>(width - filled), '-');
    double eta = rate > 0 ? static_cast<double>(*total_ - std::min(done, *total_)) / rate : -1;
    std::snprintf(line, sizeof line, "\r%s [%s] %llu/%llu %3.0f%% %.0f rec/s ETA %s\x1b[K", verb_, bar.c_str(),
                  static_cast<unsigned long long>(done), static_cast<unsigned long long>(*total_), frac * 100, rate,
                  format_duration(eta).c_str());
  } else {
    std::snprintf(line, sizeof line, "\r%s %llu records %.0f rec/s\x1b[K", verb_, static_cast<unsigned long long>(done),
                  rate);
  }
  std::fputs(line, stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::clear() {
  if (!enabled_ || !drawn_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
  last_draw_ = -1;
}

void Progress::finish(uint64_t done) {
  if (!enabled_) return;
  update(done, true);
  std::fputs("\n", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

unsigned resolve_threads(const std::optional<std::string>& value) {
  if (!value) return 0 == std::thread::hardware_concurrency() ? 1 : std::thread::hardware_concurrency();
  const std::string& v = *value;
  if (v.empty() || v.size() > 4 || v.find_first_not_of("0123456789") != std::string::npos)
    usage_error("--threads takes a number from 0 (all cores) to 1024");
  unsigned n = static_cast<unsigned>(std::stoul(v));
  if (n > 1024) usage_error("--threads takes a number from 0 (all cores) to 1024");
  if (n == 0) n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

}  // namespace cli::audit
