#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "cli.hpp"
#include "util/json_numbers.hpp"
#include "util/le_bytes.hpp"

namespace cli {

void usage_error(const std::string& message) { throw Failure(kExitUsage, message); }
void runtime_error(const std::string& message) { throw Failure(kExitRuntime, message); }

void check(vectorpin_status st, const vectorpin_error& err, const std::string& context) {
  if (st == VECTORPIN_OK) return;
  runtime_error(context + ": " + vectorpin_status_name(st) + ": " + err.message);
}

// A hand-written parser, kept on purpose: every command takes only long
// options (`--name value`, `--name=value`, boolean `--name`), the same flag
// tables drive the help and the did-you-mean suggestions, and the store
// auditor and upstream's command names reuse it. CLI11 or cxxopts (both in
// Debian) would add short options, option groups and help formatting this
// program does not use, and change the exact usage messages scripts and
// tests rely on.
Args Args::parse(const std::vector<std::string>& argv, const std::vector<FlagSpec>& spec) {
  Args out;
  auto unknown = [&](const std::string& name) {
    std::vector<std::string> names;
    for (const auto& s : spec) names.push_back(s.name);
    auto near = closest_name(name, names);
    usage_error("unknown option --" + name.substr(0, 64) + (near ? "; did you mean --" + *near + "?" : ""));
  };
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0) {
      // "-key-id" or "—key-id" pasted from a document: say which option.
      if (a.size() > 1 && a[0] == '-') unknown(a.substr(1));
      usage_error("unexpected argument '" + a.substr(0, 64) + "' (options are --name value)");
    }
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    size_t eq = name.find('=');
    if (eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const FlagSpec* f = nullptr;
    for (const auto& s : spec)
      if (s.name == name) f = &s;
    if (f == nullptr) unknown(name);
    if (out.has(name) && !f->repeatable) usage_error("option --" + name + " given more than once");
    if (!f->takes_value) {
      if (inline_value) usage_error("option --" + name + " takes no value");
      out.values_[name].push_back("");
      continue;
    }
    if (inline_value) {
      out.values_[name].push_back(*inline_value);
    } else {
      if (i + 1 >= argv.size()) usage_error("option --" + name + " needs a value");
      out.values_[name].push_back(argv[++i]);
    }
  }
  return out;
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second.front();
}

std::string Args::require(const std::string& name) const {
  auto v = get(name);
  if (!v) usage_error("missing required option --" + name);
  return *v;
}

std::vector<std::string> Args::all(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

std::string read_file_limited(const std::string& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) runtime_error("cannot open " + path + ": " + std::strerror(errno));
  std::string data;
  char buf[65536];
  while (in) {
    in.read(buf, sizeof buf);
    data.append(buf, static_cast<size_t>(in.gcount()));
    if (data.size() > limit) runtime_error(path + " is larger than " + std::to_string(limit) + " bytes");
  }
  if (in.bad()) runtime_error("cannot read " + path);
  return data;
}

std::string program_dir() {
  std::vector<char> buf(4096);
  ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  if (n <= 0) return "";
  std::string path(buf.data(), static_cast<size_t>(n));
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::string read_file_prefix(const std::string& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) runtime_error("cannot open " + path + ": " + std::strerror(errno));
  std::string data(limit, '\0');
  in.read(data.data(), static_cast<std::streamsize>(limit));
  if (in.bad()) runtime_error("cannot read " + path);
  data.resize(static_cast<size_t>(in.gcount()));
  return data;
}

std::string read_file(const std::string& path) { return read_file_limited(path, size_t(1) << 32); }

std::string base64url(const uint8_t* data, size_t len) {
  LibString s;
  vectorpin_error err;
  check(vectorpin_base64url_encode(&s.p, &s.n, data, len, &err), err, "base64url");
  return s.str();
}

std::vector<uint8_t> base64url_decode(const std::string& text, const std::string& what) {
  uint8_t* out = nullptr;
  size_t n = 0;
  vectorpin_error err;
  vectorpin_status st = vectorpin_base64url_decode(&out, &n, text.data(), text.size(), &err);
  if (st != VECTORPIN_OK) runtime_error(what + " is not valid base64url: " + err.message);
  std::vector<uint8_t> v(out, out + n);
  vectorpin_free(out);
  return v;
}

std::vector<uint8_t> load_public_key_file(const std::string& path) {
  refuse_private_key_as_public(path);
  std::string data = read_file_limited(path, 64 * 1024);
  std::vector<uint8_t> pk(VECTORPIN_PUBLIC_KEY_BYTES);
  vectorpin_error err;
  vectorpin_status st = vectorpin_public_key_decode(pk.data(), pk.size(),
                                                    reinterpret_cast<const uint8_t*>(data.data()), data.size(), &err);
  check(st, err, "public key " + path);
  return pk;
}

// ---- vector files ----------------------------------------------------------

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Value of `'key': <value>` in an .npy header dict, trimmed.
std::string npy_header_value(const std::string& header, const std::string& key, const std::string& what) {
  size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) runtime_error(what + ": .npy header has no '" + key + "'");
  size_t colon = header.find(':', k);
  if (colon == std::string::npos) runtime_error(what + ": malformed .npy header");
  size_t start = colon + 1;
  while (start < header.size() && header[start] == ' ') ++start;
  size_t end = start;
  if (start < header.size() && header[start] == '(') {
    end = header.find(')', start);
    if (end == std::string::npos) runtime_error(what + ": malformed .npy shape");
    ++end;
  } else {
    while (end < header.size() && header[end] != ',' && header[end] != '}') ++end;
  }
  std::string v = header.substr(start, end - start);
  while (!v.empty() && v.back() == ' ') v.pop_back();
  return v;
}

}  // namespace

VectorData parse_npy(const std::string& bytes, const std::string& what) {
  static const char kMagic[] = "\x93NUMPY";
  if (bytes.size() < 10 || bytes.compare(0, 6, kMagic, 6) != 0) runtime_error(what + ": not an .npy file");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t header_len, header_start;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) runtime_error(what + ": truncated .npy header");
    header_len = 0;
    for (int i = 3; i >= 0; --i) header_len = (header_len << 8) | static_cast<unsigned char>(bytes[8 + static_cast<size_t>(i)]);
    header_start = 12;
  } else {
    runtime_error(what + ": unsupported .npy version " + std::to_string(major));
  }
  if (header_len > 65536 || header_start + header_len > bytes.size()) runtime_error(what + ": truncated .npy header");
  std::string header = bytes.substr(header_start, header_len);
  std::string descr = npy_header_value(header, "descr", what);
  std::string order = npy_header_value(header, "fortran_order", what);
  std::string shape = npy_header_value(header, "shape", what);
  VectorData v;
  size_t width;
  if (descr == "'<f4'") {
    v.dtype = VECTORPIN_DTYPE_F32, width = 4;
  } else if (descr == "'<f8'") {
    v.dtype = VECTORPIN_DTYPE_F64, width = 8;
  } else {
    runtime_error(what + ": .npy dtype must be little-endian float32 ('<f4') or float64 ('<f8')");
  }
  if (order != "False") runtime_error(what + ": Fortran-ordered .npy arrays are not supported");
  // A 1-D shape is "(N,)".
  if (shape.size() < 4 || shape.front() != '(' || shape.compare(shape.size() - 2, 2, ",)") != 0)
    runtime_error(what + ": .npy array must be one-dimensional, shape (N,)");
  std::string digits = shape.substr(1, shape.size() - 3);
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
    runtime_error(what + ": bad .npy shape");
  size_t n = std::stoul(digits);
  if (n > static_cast<size_t>(VECTORPIN_MAX_VEC_DIM))
    runtime_error(what + ": .npy array has more than " + std::to_string(VECTORPIN_MAX_VEC_DIM) + " elements");
  size_t data_start = header_start + header_len;
  if (bytes.size() - data_start != n * width)
    runtime_error(what + ": .npy data is " + std::to_string(bytes.size() - data_start) + " bytes, expected " +
                  std::to_string(n * width));
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + data_start;
  if (width == 4)
    vectorpin::util::load_le_f32(p, n, v.f32);
  else
    vectorpin::util::load_le_f64(p, n, v.f64);
  return v;
}

VectorData parse_json_vector(const std::string& text, vectorpin_dtype dtype, const std::string& what) {
  VectorData v;
  v.dtype = dtype == VECTORPIN_DTYPE_F32 ? VECTORPIN_DTYPE_F32 : VECTORPIN_DTYPE_F64;
  std::string problem;
  bool ok = v.dtype == VECTORPIN_DTYPE_F32 ? vectorpin::util::parse_json_number_array(text, v.f32, problem)
                                           : vectorpin::util::parse_json_number_array(text, v.f64, problem);
  if (!ok) runtime_error(what + ": " + problem);
  return v;
}

VectorData read_vector_file(const std::string& path, vectorpin_dtype json_dtype) {
  // The largest vector the library takes, written out in JSON with long
  // decimals, is well under this; anything larger is not a vector file.
  std::string bytes = read_file_limited(path, size_t(1) << 30);
  if (ends_with(path, ".npy")) return parse_npy(bytes, path);
  if (ends_with(path, ".json")) return parse_json_vector(bytes, json_dtype, path);
  runtime_error(path + ": vector files must end in .npy or .json");
}

void setup_verifier_keys(const Args& a, vectorpin_verifier* v) {
  vectorpin_error err;
  if (a.has("registry")) {
    if (a.has("public-key") || a.has("key-id") || a.has("valid-from") || a.has("valid-until"))
      usage_error("--registry replaces --public-key/--key-id/--valid-from/--valid-until");
    std::string doc = read_file_limited(*a.get("registry"), 64 * 1024 * 1024);
    check(vectorpin_verifier_load_registry(v, doc.data(), doc.size(), &err), err, "registry " + *a.get("registry"));
    return;
  }
  if (!a.has("public-key") || !a.has("key-id")) usage_error("give --public-key and --key-id, or --registry");
  std::vector<uint8_t> pk = load_public_key_file(*a.get("public-key"));
  std::string kid = *a.get("key-id");
  auto from = a.get("valid-from");
  auto until = a.get("valid-until");
  vectorpin_status st = vectorpin_verifier_add_key(v, kid.data(), kid.size(), pk.data(), pk.size(),
                                                   from ? from->data() : nullptr, from ? from->size() : 0,
                                                   until ? until->data() : nullptr, until ? until->size() : 0, &err);
  if (st == VECTORPIN_INVALID_INPUT) usage_error(err.message);
  check(st, err, "registering the key");
}

}  // namespace cli
