#include "hashing.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "unicode.hpp"

namespace vectorpin {

const char* dtype_name(Dtype d) {
  switch (d) {
#define VP_DTYPE_WIRE_NAME(name, number, wire) \
  case Dtype::name: return wire;
    VECTORPIN_DTYPE_TABLE(VP_DTYPE_WIRE_NAME)
#undef VP_DTYPE_WIRE_NAME
  }
  return "";  // not reached: every Dtype is in the table
}

bool dtype_from_name(std::string_view name, Dtype& out) {
#define VP_DTYPE_FROM_WIRE_NAME(name_, number, wire) \
  if (name == wire) {                                \
    out = Dtype::name_;                              \
    return true;                                     \
  }
  VECTORPIN_DTYPE_TABLE(VP_DTYPE_FROM_WIRE_NAME)
#undef VP_DTYPE_FROM_WIRE_NAME
  return false;
}

namespace {

// Eight bytes at a time: most sources are ASCII, and then no UTF-8 decoding
// and no normalization is needed at all.
bool is_ascii(std::string_view text) {
  const char* p = text.data();
  size_t n = text.size();
  uint64_t acc = 0;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    acc |= w;
  }
  for (; n > 0; ++p, --n) acc |= static_cast<unsigned char>(*p);
  return (acc & 0x8080808080808080ull) == 0;
}

}  // namespace

Status hash_text_digest(std::string_view text, Sha256Digest& out, Error& err) {
  if (is_ascii(text)) {
    out = sha256(text.data(), text.size());
    return VECTORPIN_OK;
  }
  std::string nfc;
  Status st = to_nfc(text, nfc, err);
  if (st != VECTORPIN_OK) return st;
  out = sha256(nfc.data(), nfc.size());
  return VECTORPIN_OK;
}

Status hash_text(std::string_view text, std::string& out, Error& err) {
  Sha256Digest digest;
  Status st = hash_text_digest(text, digest, err);
  if (st != VECTORPIN_OK) return st;
  out = hash_string(digest);
  return VECTORPIN_OK;
}

namespace {

constexpr bool kLittleEndian = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

template <typename U>
void store_le(uint8_t* p, U bits) {
  for (size_t i = 0; i < sizeof(U); ++i) p[i] = static_cast<uint8_t>(bits >> (8 * i));
}

Status non_finite(Error& err, size_t index, bool after_cast) {
  return fail(err, VECTORPIN_INVALID_INPUT,
              "vector element " + std::to_string(index) +
                  (after_cast ? " overflows the target dtype" : " is NaN or infinite"));
}

// Converts one element to the target dtype's little-endian bytes; false if
// the result is not finite.
template <typename In>
bool encode_element(In x, Dtype dtype, uint8_t* out, bool& after_cast) {
  after_cast = false;
  if (!std::isfinite(x)) return false;
  if (dtype == Dtype::F32) {
    float f = static_cast<float>(x);  // round to nearest-even
    if (!std::isfinite(f)) {
      after_cast = true;
      return false;
    }
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    store_le(out, bits);
  } else {
    double d = static_cast<double>(x);
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    store_le(out, bits);
  }
  return true;
}

struct Prehashed {
  const void* data = nullptr;
  size_t bytes = 0;
  FloatLanes lanes = FloatLanes::F32;
  Sha256Digest digest{};
  bool finite = false;
};

// Set only by PrehashedVectors, on this thread, for its lifetime.
thread_local Prehashed t_prehashed[2];

bool take_prehashed(const void* v, size_t bytes, FloatLanes lanes, Sha256Digest& out) {
  for (const Prehashed& p : t_prehashed) {
    if (p.data == v && p.bytes == bytes && p.lanes == lanes && p.finite) {
      out = p.digest;
      return true;
    }
  }
  return false;
}

template <typename In>
Status hash_vector_impl(const In* v, size_t n, Dtype dtype, Sha256Digest& out, Error& err) {
  Sha256 h;
  const size_t width = dtype == Dtype::F32 ? 4 : 8;
  const bool same_layout = kLittleEndian && width == sizeof(In);
  if (same_layout && n > 0 && take_prehashed(v, n * sizeof(In), sizeof(In) == 4 ? FloatLanes::F32 : FloatLanes::F64, out))
    return VECTORPIN_OK;
  if (same_layout) {
    // The caller's memory already is the byte string: hash it in place and
    // check finiteness in the same pass. Only on failure is the vector
    // scanned again, to name the first bad element.
    if (!h.update_finite(v, n * sizeof(In), sizeof(In) == 4 ? FloatLanes::F32 : FloatLanes::F64)) {
      for (size_t i = 0; i < n; ++i)
        if (!std::isfinite(v[i])) return non_finite(err, i, false);
      return fail(err, VECTORPIN_INTERNAL_ERROR, "finiteness check disagreed with the element scan");
    }
    out = h.finish();
    return VECTORPIN_OK;
  }
  constexpr size_t kChunkElements = 512;
  uint8_t buf[kChunkElements * 8];
  for (size_t start = 0; start < n; start += kChunkElements) {
    size_t count = n - start < kChunkElements ? n - start : kChunkElements;
    for (size_t i = 0; i < count; ++i) {
      bool after_cast;
      if (!encode_element(v[start + i], dtype, buf + i * width, after_cast))
        return non_finite(err, start + i, after_cast);
    }
    h.update(buf, count * width);
  }
  out = h.finish();
  return VECTORPIN_OK;
}

}  // namespace

Status hash_vector(const float* v, size_t n, Dtype dtype, Sha256Digest& out, Error& err) {
  return hash_vector_impl(v, n, dtype, out, err);
}

Status hash_vector(const double* v, size_t n, Dtype dtype, Sha256Digest& out, Error& err) {
  return hash_vector_impl(v, n, dtype, out, err);
}

PrehashedVectors::PrehashedVectors(const void* a, const void* b, size_t bytes, FloatLanes lanes) {
  Sha256Digest digests[2];
  bool finite[2];
  sha256_finite_pair(a, b, bytes, lanes, digests, finite);
  const void* data[2] = {a, b};
  for (int i = 0; i < 2; ++i) t_prehashed[i] = Prehashed{data[i], bytes, lanes, digests[i], finite[i]};
}

PrehashedVectors::~PrehashedVectors() {
  t_prehashed[0] = Prehashed{};
  t_prehashed[1] = Prehashed{};
}

}  // namespace vectorpin
