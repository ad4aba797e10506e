// Reading and writing the pin's JSON wire form, and the signed bytes.
#include <algorithm>

#include "base64.hpp"
#include "json_reader.hpp"
#include "json_writer.hpp"
#include "pin.hpp"
#include "sha256.hpp"
#include "timestamp.hpp"

namespace vectorpin {
namespace {

constexpr std::string_view kKnownKeys[] = {"extra", "kid",         "model", "model_hash", "sig",     "source_hash",
                                           "ts",    "v",           "vec_dim", "vec_dtype", "vec_hash"};

Status parse_error(Error& err, std::string message, size_t offset) {
  return fail(err, VECTORPIN_PARSE_ERROR, std::move(message), static_cast<int64_t>(offset));
}

// Re-labels a field-rule failure (reported as INVALID_INPUT by the shared
// rules) as a parse failure at the value's offset.
Status as_parse_error(Status st, Error& err, size_t offset) {
  if (st == VECTORPIN_OK) return st;
  err.code = VECTORPIN_PARSE_ERROR;
  err.offset = static_cast<int64_t>(offset);
  return VECTORPIN_PARSE_ERROR;
}

Status require_string(const JsonValue& root, std::string_view key, const JsonValue*& out, Error& err) {
  out = root.find(key);
  if (out == nullptr) return parse_error(err, "missing field \"" + std::string(key) + "\"", 0);
  if (out->kind != JsonValue::Kind::String)
    return parse_error(err, "field \"" + std::string(key) + "\" must be a string", out->offset);
  return VECTORPIN_OK;
}

Status read_hash(const JsonValue& root, std::string_view key, std::string& out, Error& err) {
  const JsonValue* v;
  Status st = require_string(root, key, v, err);
  if (st != VECTORPIN_OK) return st;
  if (!is_hash_string(v->text))
    return parse_error(err, "field \"" + std::string(key) + "\" is not \"sha256:\" followed by 64 lowercase hex digits",
                       v->offset);
  out = v->text;
  return VECTORPIN_OK;
}

Status read_version(const JsonValue& root, int& version, Error& err) {
  const JsonValue* v = root.find("v");
  if (v == nullptr) return parse_error(err, "missing field \"v\"", 0);
  int64_t value;
  bool fits;
  if (!json_is_integer(*v, value, fits)) return parse_error(err, "field \"v\" must be a JSON integer", v->offset);
  if (!fits || (value != 1 && value != 2))
    return fail(err, VECTORPIN_UNSUPPORTED_VERSION,
                "unsupported protocol version " + (fits ? std::to_string(value) : std::string("(out of range)")),
                static_cast<int64_t>(v->offset));
  version = static_cast<int>(value);
  return VECTORPIN_OK;
}

Status read_extra(const JsonValue& root, Pin& pin, Error& err) {
  const JsonValue* v = root.find("extra");
  if (v == nullptr) return VECTORPIN_OK;
  if (v->kind != JsonValue::Kind::Object) return parse_error(err, "field \"extra\" must be an object", v->offset);
  if (v->members.size() > kMaxExtraEntries)
    return parse_error(err, "extra has more than " + std::to_string(kMaxExtraEntries) + " entries", v->offset);
  for (const auto& [key, value] : v->members) {
    if (value.kind != JsonValue::Kind::String)
      return parse_error(err, "extra value for key " + quote_untrusted(key) + " must be a string", value.offset);
    pin.extra.emplace_back(key, value.text);
  }
  std::sort(pin.extra.begin(), pin.extra.end());
  return as_parse_error(check_extra(pin.extra, pin.version == 2, err), err, v->offset);
}

Status read_fields(const JsonValue& root, Pin& pin, Error& err) {
  const JsonValue* v;
  Status st;

  if ((st = require_string(root, "kid", v, err)) != VECTORPIN_OK) return st;
  if ((st = as_parse_error(check_identifier("kid", v->text, err), err, v->offset)) != VECTORPIN_OK) return st;
  pin.kid = v->text;

  if ((st = require_string(root, "model", v, err)) != VECTORPIN_OK) return st;
  if ((st = as_parse_error(check_identifier("model", v->text, err), err, v->offset)) != VECTORPIN_OK) return st;
  pin.model = v->text;

  if (root.find("model_hash") != nullptr) {
    if ((st = read_hash(root, "model_hash", pin.model_hash, err)) != VECTORPIN_OK) return st;
    pin.has_model_hash = true;
  }
  if ((st = read_hash(root, "source_hash", pin.source_hash, err)) != VECTORPIN_OK) return st;
  if ((st = read_hash(root, "vec_hash", pin.vec_hash, err)) != VECTORPIN_OK) return st;

  if ((st = require_string(root, "vec_dtype", v, err)) != VECTORPIN_OK) return st;
  if (!dtype_from_name(v->text, pin.dtype)) return parse_error(err, "field \"vec_dtype\" must be \"f32\" or \"f64\"", v->offset);

  v = root.find("vec_dim");
  if (v == nullptr) return parse_error(err, "missing field \"vec_dim\"", 0);
  int64_t dim;
  bool fits;
  if (!json_is_integer(*v, dim, fits)) return parse_error(err, "field \"vec_dim\" must be a JSON integer", v->offset);
  if (!fits || dim < 1 || dim > kMaxVecDim)
    return parse_error(err, "field \"vec_dim\" must be between 1 and " + std::to_string(kMaxVecDim), v->offset);
  pin.vec_dim = static_cast<uint32_t>(dim);

  if ((st = require_string(root, "ts", v, err)) != VECTORPIN_OK) return st;
  if (pin.version == 2 && !is_canonical_timestamp_form(v->text))
    return parse_error(err, "field \"ts\" is not of the form YYYY-MM-DDTHH:MM:SSZ", v->offset);
  pin.ts = v->text;

  if ((st = read_extra(root, pin, err)) != VECTORPIN_OK) return st;

  if ((st = require_string(root, "sig", v, err)) != VECTORPIN_OK) return st;
  std::vector<uint8_t> sig;
  Error b64;
  if (base64url_decode(v->text, sig, b64) != VECTORPIN_OK)
    return parse_error(err, "field \"sig\" is not strict unpadded base64url: " + b64.message, v->offset);
  if (sig.size() != 64)
    return parse_error(err, "field \"sig\" decodes to " + std::to_string(sig.size()) + " bytes, not 64", v->offset);
  std::copy(sig.begin(), sig.end(), pin.sig.begin());
  return VECTORPIN_OK;
}

enum class Form { Wire, SignedV1, SignedV2 };

// Most strings of a pin (hashes, the timestamp, ASCII identifiers) have no
// byte the escaper would change; those are appended in one piece, which
// keeps building the signed bytes well below the cost of the signature.
// Anything else goes through the escaper itself, so the output is the same
// byte for byte either way.
void append_string(std::string& out, std::string_view s) {
  // No early exit: a plain reduction over the bytes, which the compiler
  // turns into vector code.
  unsigned special = 0;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    special |= static_cast<unsigned>(c < 0x20) | static_cast<unsigned>(c >= 0x80) | static_cast<unsigned>(c == '"') |
               static_cast<unsigned>(c == '\\');
  }
  if (special != 0) {
    append_json_string(out, s);
    return;
  }
  out += '"';
  out.append(s.data(), s.size());
  out += '"';
}

// Appends to `out`, so a caller can reuse one buffer's capacity.
void write_into(std::string& out, const Pin& pin, Form form) {
  if (form == Form::SignedV2) out.append(kV2DomainTag);
  out += '{';
  bool first = true;
  auto key = [&](const char* k) {
    if (!first) out += ',';
    first = false;
    append_string(out, k);
    out += ':';
  };
  // Keys in byte order: extra, kid, model, model_hash, sig, source_hash, ts,
  // v, vec_dim, vec_dtype, vec_hash.
  if (!pin.extra.empty()) {
    key("extra");
    out += '{';
    for (size_t i = 0; i < pin.extra.size(); ++i) {
      if (i) out += ',';
      append_string(out, pin.extra[i].first);
      out += ':';
      append_string(out, pin.extra[i].second);
    }
    out += '}';
  }
  if (form != Form::SignedV1) {
    key("kid");
    append_string(out, pin.kid);
  }
  key("model");
  append_string(out, pin.model);
  if (pin.has_model_hash) {
    key("model_hash");
    append_string(out, pin.model_hash);
  }
  if (form == Form::Wire) {
    key("sig");
    append_string(out, base64url_encode(pin.sig.data(), pin.sig.size()));
  }
  key("source_hash");
  append_string(out, pin.source_hash);
  key("ts");
  append_string(out, pin.ts);
  key("v");
  out += std::to_string(pin.version);
  key("vec_dim");
  out += std::to_string(pin.vec_dim);
  key("vec_dtype");
  append_string(out, dtype_name(pin.dtype));
  key("vec_hash");
  append_string(out, pin.vec_hash);
  out += '}';
}

std::string write(const Pin& pin, Form form) {
  std::string out;
  out.reserve(512);
  write_into(out, pin, form);
  return out;
}

}  // namespace

Status parse_pin(std::string_view json, Pin& out, Error& err) {
  out = Pin();
  if (json.size() > kMaxPinJsonBytes)
    return parse_error(err, "pin JSON is " + std::to_string(json.size()) + " bytes; the limit is " +
                                std::to_string(kMaxPinJsonBytes),
                       kMaxPinJsonBytes);
  JsonValue root;
  JsonLimits limits;
  limits.max_depth = 8;
  Status st = parse_json(json, root, limits, err);
  if (st != VECTORPIN_OK) return st;
  if (root.kind != JsonValue::Kind::Object) return parse_error(err, "pin JSON is not an object", root.offset);
  for (const auto& m : root.members) {
    if (std::find(std::begin(kKnownKeys), std::end(kKnownKeys), m.first) == std::end(kKnownKeys))
      return parse_error(err, "unknown field " + quote_untrusted(m.first), m.second.offset);
  }
  if ((st = read_version(root, out.version, err)) != VECTORPIN_OK) return st;
  return read_fields(root, out, err);
}

std::string pin_to_json(const Pin& pin) { return write(pin, Form::Wire); }

std::string pin_signed_bytes(const Pin& pin) {
  std::string out;
  pin_signed_bytes_into(pin, out);
  return out;
}

void pin_signed_bytes_into(const Pin& pin, std::string& out) {
  out.clear();
  out.reserve(512);  // a typical pin in one allocation, the first time only
  write_into(out, pin, pin.version == 1 ? Form::SignedV1 : Form::SignedV2);
}

}  // namespace vectorpin
