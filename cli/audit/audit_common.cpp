#include <limits.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <thread>

#include "audit.hpp"
#include "util/json_numbers.hpp"
#include "util/le_bytes.hpp"
#include "util/utf8.hpp"

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
  if (f64) {
    v.kind = RawVector::kF64;
    vectorpin::util::load_le_f64(data, len / 8, v.f64);
  } else {
    v.kind = RawVector::kF32;
    vectorpin::util::load_le_f32(data, len / 4, v.f32);
  }
  return v;
}

void decode_json_vector(RawVector& v, const std::string& text, bool as_f32) {
  bool ok = as_f32 ? vectorpin::util::parse_json_number_array(text, v.f32, v.problem)
                   : vectorpin::util::parse_json_number_array(text, v.f64, v.problem);
  v.kind = ok ? (as_f32 ? RawVector::kF32 : RawVector::kF64) : RawVector::kBad;
}

std::string clip_utf8(const std::string& text, size_t limit, bool* clipped) {
  if (clipped) *clipped = text.size() > limit;
  return text.substr(0, vectorpin::util::utf8_clip_length(text, limit));
}

std::string canonical_path(const std::string& path) {
  char* real = ::realpath(path.c_str(), nullptr);
  if (!real) return path;
  std::string out = real;
  std::free(real);
  return out;
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

namespace {

// The terminal's width now (it may change between two redraws); 80 when it
// cannot be read.
int terminal_columns() {
  struct winsize ws {};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

}  // namespace

std::string progress_line(const char* verb, uint64_t done, std::optional<uint64_t> total, double rate, double eta,
                          int columns) {
  // One column is left free: writing into the last one makes some terminals
  // wrap, and every later redraw would then stack up.
  const size_t room = columns > 1 ? static_cast<size_t>(columns - 1) : 0;
  char buf[160];
  if (total && *total > 0) {
    double frac = std::min(1.0, static_cast<double>(done) / static_cast<double>(*total));
    std::snprintf(buf, sizeof buf, "%llu/%llu %3.0f%%", static_cast<unsigned long long>(done),
                  static_cast<unsigned long long>(*total), frac * 100);
    const std::string counts = buf;
    std::snprintf(buf, sizeof buf, " %.0f rec/s", rate);
    const std::string rate_text = buf, eta_text = " ETA " + format_duration(eta);
    const std::string head = std::string(verb) + " [", mid = "] ";
    // The fullest line that fits: bar, counts, rate and ETA; then without
    // the rate; then without the ETA; then the numbers without a bar.
    for (const std::string& tail : {rate_text + eta_text, eta_text, std::string()}) {
      size_t fixed = head.size() + mid.size() + counts.size() + tail.size();
      if (room < fixed + 8) continue;
      size_t width = std::min<size_t>(30, room - fixed);
      size_t filled = static_cast<size_t>(frac * static_cast<double>(width));
      return head + std::string(filled, '#') + std::string(width - filled, '-') + mid + counts + tail;
    }
    for (const std::string& line : {std::string(verb) + " " + counts + eta_text, std::string(verb) + " " + counts, counts})
      if (line.size() <= room) return line;
  } else {
    std::snprintf(buf, sizeof buf, "%s %llu records %.0f rec/s", verb, static_cast<unsigned long long>(done), rate);
    if (std::strlen(buf) <= room) return buf;
  }
  std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(done));
  std::string plain = buf;
  return plain.size() <= room ? plain : std::string();
}

void Progress::update(uint64_t done, bool force) {
  if (!enabled_) return;
  double now = monotonic_seconds();
  if (!force && last_draw_ >= 0 && now - last_draw_ < 0.1) return;
  last_draw_ = now;
  double elapsed = now - start_;
  double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
  double eta = total_ && rate > 0 ? static_cast<double>(*total_ - std::min(done, *total_)) / rate : -1;
  // The width is read at every redraw, so a resized window is followed at
  // once (no SIGWINCH handler needed).
  std::string line = "\r" + progress_line(verb_, done, total_, rate, eta, terminal_columns()) + "\x1b[K";
  std::fputs(line.c_str(), stderr);
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
