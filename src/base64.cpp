#include "base64.hpp"

namespace vectorpin {
namespace {

constexpr char kUrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kStdAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string encode(const uint8_t* data, size_t len, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((len + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= len; i += 3) {
    uint32_t v = (uint32_t(data[i]) << 16) | (uint32_t(data[i + 1]) << 8) | data[i + 2];
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  size_t rest = len - i;
  if (rest == 1) {
    uint32_t v = uint32_t(data[i]) << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (pad) out += "==";
  } else if (rest == 2) {
    uint32_t v = (uint32_t(data[i]) << 16) | (uint32_t(data[i + 1]) << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    if (pad) out += '=';
  }
  return out;
}

// Symbol values by byte, -1 for bytes outside the alphabet: one lookup a
// symbol instead of a chain of range tests.
struct SextetTable {
  int8_t value[256];
  explicit constexpr SextetTable(const char* alphabet) : value() {
    for (int i = 0; i < 256; ++i) value[i] = -1;
    for (int i = 0; i < 64; ++i) value[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
  }
};
constexpr SextetTable kUrlSextets(kUrlAlphabet);
constexpr SextetTable kStdSextets(kStdAlphabet);

// Decodes unpadded symbols.
Status decode_symbols(std::string_view text, bool url, std::vector<uint8_t>& out, Error& err) {
  out.clear();
  if (text.size() % 4 == 1)
    return fail(err, VECTORPIN_INVALID_INPUT, "base64 length is impossible", static_cast<int64_t>(text.size()));
  const int8_t* sextet = url ? kUrlSextets.value : kStdSextets.value;
  out.resize(text.size() * 6 / 8);
  uint32_t acc = 0;
  int bits = 0;
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const int v = sextet[static_cast<unsigned char>(text[i])];
    if (v < 0) {
      out.clear();
      return fail(err, VECTORPIN_INVALID_INPUT, "invalid base64 character", static_cast<int64_t>(i));
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = static_cast<uint8_t>(acc >> bits);
      acc &= (1u << bits) - 1;
    }
  }
  if (acc != 0) {
    out.clear();
    return fail(err, VECTORPIN_INVALID_INPUT, "base64 has non-zero trailing bits",
                static_cast<int64_t>(text.size() - 1));
  }
  return VECTORPIN_OK;
}

}  // namespace

std::string base64url_encode(const uint8_t* data, size_t len) { return encode(data, len, kUrlAlphabet, false); }

Status base64url_decode(std::string_view text, std::vector<uint8_t>& out, Error& err) {
  return decode_symbols(text, true, out, err);
}

std::string base64_encode(const uint8_t* data, size_t len) { return encode(data, len, kStdAlphabet, true); }

Status base64_decode(std::string_view text, std::vector<uint8_t>& out, Error& err) {
  if (text.size() % 4 != 0)
    return fail(err, VECTORPIN_INVALID_INPUT, "padded base64 length is not a multiple of 4",
                static_cast<int64_t>(text.size()));
  size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  return decode_symbols(text.substr(0, text.size() - pad), false, out, err);
}

}  // namespace vectorpin
