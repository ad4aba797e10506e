// Weak keys, malleated signatures, non-finite vectors and wrong shapes.
#include <cfloat>
#include <cmath>

#include <sodium.h>

#include "support.hpp"

using namespace hostile;

namespace {

const std::vector<float> kVec = {1.0f, 2.0f, 3.0f, 4.0f};

std::vector<uint8_t> hex(const char* h) {
  std::vector<uint8_t> out;
  for (size_t i = 0; h[i] && h[i + 1]; i += 2) out.push_back(static_cast<uint8_t>(std::stoi(std::string(h + i, 2), nullptr, 16)));
  return out;
}

int add_key(vectorpin_verifier* v, const std::vector<uint8_t>& pk, vectorpin_error& e) {
  return vectorpin_verifier_add_key(v, "weak", 4, pk.data(), pk.size(), nullptr, 0, nullptr, 0, &e);
}

std::string b64url(const uint8_t* data, size_t len) {
  char* out = nullptr;
  size_t n = 0;
  EXPECT_EQ(vectorpin_base64url_encode(&out, &n, data, len, nullptr), VECTORPIN_OK);
  std::string s(out, n);
  vectorpin_free(out);
  return s;
}

// The pin with its signature replaced by `sig`.
std::string with_sig(const std::string& pin, const uint8_t sig[64]) {
  size_t at = pin.find("\"sig\":\"") + 7;
  size_t end = pin.find('"', at);
  std::string out = pin;
  out.replace(at, end - at, b64url(sig, 64));
  return out;
}

void signature_of(const std::string& pin, uint8_t sig[64]) {
  vectorpin_pin* p = nullptr;
  ASSERT_EQ(vectorpin_pin_parse(&p, pin.data(), pin.size(), nullptr), VECTORPIN_OK);
  ASSERT_EQ(vectorpin_pin_signature(p, sig, 64, nullptr), VECTORPIN_OK);
  vectorpin_pin_free(p);
}

// Little-endian 256-bit a += b; false on carry out.
bool add256(uint8_t a[32], const uint8_t b[32]) {
  unsigned carry = 0;
  for (int i = 0; i < 32; ++i) {
    unsigned s = a[i] + b[i] + carry;
    a[i] = static_cast<uint8_t>(s);
    carry = s >> 8;
  }
  return carry == 0;
}

// The order L of the prime subgroup, little-endian.
const uint8_t kL[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                        0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};

// The eight points of small order (the torsion subgroup), canonically encoded.
const char* kSmallOrder[] = {
    "0100000000000000000000000000000000000000000000000000000000000000",  // identity, order 1
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // order 2
    "0000000000000000000000000000000000000000000000000000000000000000",  // order 4
    "0000000000000000000000000000000000000000000000000000000000000080",  // order 4
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",  // order 8
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",  // order 8
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",  // order 8
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",  // order 8
};

int verify_f32(const vectorpin_verifier* v, const std::string& pin, const float* vec, size_t dim,
               vectorpin_error& e) {
  int st = vectorpin_verify_json_f32(v, pin.data(), pin.size(), nullptr, 0, vec, dim, nullptr, &e);
  EXPECT_EQ(e.code, st);
  expect_bounded_detail(e, pin);
  return st;
}

}  // namespace

TEST(HostileKeys, WeakPublicKeysAreRefusedAtRegistration) {
  ASSERT_GE(sodium_init(), 0);
  VerifierHandle v{make_verifier()};
  std::vector<std::vector<uint8_t>> weak;
  for (const char* h : kSmallOrder) weak.push_back(hex(h));
  // Non-canonical encodings: y = p (= 0), y = p + 1 (= identity), and the
  // identity with the sign bit set (x = 0 cannot be negative).
  weak.push_back(hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"));
  weak.push_back(hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"));
  weak.push_back(hex("0100000000000000000000000000000000000000000000000000000000000080"));
  // y = 2 is not the y of any curve point.
  weak.push_back(hex("0200000000000000000000000000000000000000000000000000000000000000"));
  // A strong key plus a point of order 8: on the curve, not in the prime-order subgroup.
  {
    SignerHandle s{make_signer()};
    std::vector<uint8_t> pk(32), mixed(32);
    ASSERT_EQ(vectorpin_signer_public_key(s.s, pk.data(), 32, nullptr), VECTORPIN_OK);
    ASSERT_EQ(crypto_core_ed25519_add(mixed.data(), pk.data(), hex(kSmallOrder[4]).data()), 0);
    weak.push_back(mixed);
  }
  for (size_t i = 0; i < weak.size(); ++i) {
    vectorpin_error e;
    EXPECT_EQ(status_name(add_key(v.v, weak[i], e)), "INVALID_KEY") << "key " << i;
    expect_bounded_detail(e);
    // The same key as base64url text through public_key_decode and a registry.
    std::string text = b64url(weak[i].data(), 32);
    uint8_t out[32];
    EXPECT_EQ(status_name(vectorpin_public_key_decode(out, 32, reinterpret_cast<const uint8_t*>(text.data()),
                                                      text.size(), &e)),
              "INVALID_KEY");
    std::string reg = "{\"weak\":{\"public_key\":\"" + text + "\",\"valid_from\":null,\"valid_until\":null}}";
    EXPECT_EQ(status_name(vectorpin_verifier_load_registry(v.v, reg.data(), reg.size(), &e)), "INVALID_KEY");
    expect_bounded_detail(e);
  }
  EXPECT_EQ(vectorpin_verifier_key_count(v.v), 1u);
}

TEST(HostileSignatures, SmallOrderRIsRefused) {
  VerifierHandle v{make_verifier()};
  std::string pin = sign_json(kVec);
  vectorpin_error e;
  ASSERT_EQ(status_name(verify_f32(v.v, pin, kVec.data(), kVec.size(), e)), "OK");
  uint8_t sig[64];
  signature_of(pin, sig);
  for (const char* h : kSmallOrder) {
    uint8_t forged[64];
    std::memcpy(forged, sig, 64);
    std::memcpy(forged, hex(h).data(), 32);
    EXPECT_EQ(status_name(verify_f32(v.v, with_sig(pin, forged), kVec.data(), kVec.size(), e)), "SIGNATURE_INVALID")
        << h;
    // With S = 0 as well: R = small order, S = 0 is the classic universal forgery attempt.
    std::memset(forged + 32, 0, 32);
    EXPECT_EQ(status_name(verify_f32(v.v, with_sig(pin, forged), kVec.data(), kVec.size(), e)), "SIGNATURE_INVALID")
        << h;
  }
}

TEST(HostileSignatures, NonCanonicalSIsRefused) {
  VerifierHandle v{make_verifier()};
  std::string pin = sign_json(kVec);
  uint8_t sig[64];
  signature_of(pin, sig);
  vectorpin_error e;
  // S + L is the same scalar mod L: accepting it would make signatures malleable.
  uint8_t malleated[64];
  std::memcpy(malleated, sig, 64);
  ASSERT_TRUE(add256(malleated + 32, kL));
  EXPECT_EQ(status_name(verify_f32(v.v, with_sig(pin, malleated), kVec.data(), kVec.size(), e)), "SIGNATURE_INVALID");
  // S = L exactly, and S with the top bits set.
  std::memcpy(malleated, sig, 64);
  std::memcpy(malleated + 32, kL, 32);
  EXPECT_EQ(status_name(verify_f32(v.v, with_sig(pin, malleated), kVec.data(), kVec.size(), e)), "SIGNATURE_INVALID");
  std::memcpy(malleated, sig, 64);
  malleated[63] |= 0xe0;
  EXPECT_EQ(status_name(verify_f32(v.v, with_sig(pin, malleated), kVec.data(), kVec.size(), e)), "SIGNATURE_INVALID");
  // A single flipped bit anywhere in the signature.
  for (int byte : {0, 31, 32, 63}) {
    std::memcpy(malleated, sig, 64);
    malleated[byte] ^= 0x01;
    EXPECT_EQ(status_name(verify_f32(v.v, with_sig(pin, malleated), kVec.data(), kVec.size(), e)),
              "SIGNATURE_INVALID")
        << byte;
  }
  // The untouched signature still verifies.
  EXPECT_EQ(status_name(verify_f32(v.v, with_sig(pin, sig), kVec.data(), kVec.size(), e)), "OK");
}

namespace {

float f32_bits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

double f64_bits(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, 8);
  return d;
}

// Every class of non-finite value, with both signs: quiet NaN (canonical and
// with the largest payload), signalling NaN (smallest and largest payload),
// and the infinities.
const uint32_t kBadF32[] = {0x7fc00000u, 0xffc00000u, 0x7fffffffu, 0xffffffffu, 0x7f800001u, 0xff800001u,
                            0x7fbfffffu, 0xffbfffffu, 0x7f800000u, 0xff800000u};
const uint64_t kBadF64[] = {0x7ff8000000000000ull, 0xfff8000000000000ull, 0x7fffffffffffffffull,
                            0xffffffffffffffffull, 0x7ff0000000000001ull, 0xfff0000000000001ull,
                            0x7ff7ffffffffffffull, 0xfff7ffffffffffffull, 0x7ff0000000000000ull,
                            0xfff0000000000000ull};

}  // namespace

TEST(HostileVectors, NonFiniteRefusedAtSign) {
  SignerHandle s{make_signer()};
  for (size_t pos : {size_t(0), size_t(3)}) {
    for (uint32_t bits : kBadF32) {
      std::vector<float> v = kVec;
      std::memcpy(&v[pos], &bits, 4);  // memcpy keeps signalling NaNs signalling
      vectorpin_pin* pin = nullptr;
      vectorpin_error e;
      EXPECT_EQ(status_name(vectorpin_signer_pin_f32(s.s, &pin, "x", 1, "m", 1, v.data(), v.size(), nullptr, &e)),
                "INVALID_INPUT")
          << std::hex << bits;
      expect_bounded_detail(e);
      EXPECT_EQ(pin, nullptr);
    }
    for (uint64_t bits : kBadF64) {
      std::vector<double> v = {1, 2, 3, 4};
      std::memcpy(&v[pos], &bits, 8);
      for (vectorpin_dtype dt : {VECTORPIN_DTYPE_F32, VECTORPIN_DTYPE_F64}) {
        vectorpin_pin_options* o = nullptr;
        ASSERT_EQ(vectorpin_pin_options_new(&o, nullptr), VECTORPIN_OK);
        ASSERT_EQ(vectorpin_pin_options_set_dtype(o, dt, nullptr), VECTORPIN_OK);
        vectorpin_pin* pin = nullptr;
        vectorpin_error e;
        EXPECT_EQ(status_name(vectorpin_signer_pin_f64(s.s, &pin, "x", 1, "m", 1, v.data(), v.size(), o, &e)),
                  "INVALID_INPUT")
            << std::hex << bits;
        expect_bounded_detail(e);
        vectorpin_pin_options_free(o);
      }
    }
  }
  // Finite doubles that overflow f32: refused as f32, fine as f64.
  for (double big : {1e39, -1e39, DBL_MAX, -DBL_MAX, 3.4028236e38}) {
    std::vector<double> v = {1, big, 3, 4};
    vectorpin_pin_options* o = nullptr;
    ASSERT_EQ(vectorpin_pin_options_new(&o, nullptr), VECTORPIN_OK);
    ASSERT_EQ(vectorpin_pin_options_set_dtype(o, VECTORPIN_DTYPE_F32, nullptr), VECTORPIN_OK);
    vectorpin_pin* pin = nullptr;
    vectorpin_error e;
    EXPECT_EQ(status_name(vectorpin_signer_pin_f64(s.s, &pin, "x", 1, "m", 1, v.data(), v.size(), o, &e)),
              "INVALID_INPUT")
        << big;
    vectorpin_pin_options_free(o);
    EXPECT_EQ(status_name(vectorpin_signer_pin_f64(s.s, &pin, "x", 1, "m", 1, v.data(), v.size(), nullptr, &e)), "OK");
    vectorpin_pin_free(pin);
  }
  // The largest float itself is finite and accepted.
  std::vector<double> edge = {double(FLT_MAX), -double(FLT_MAX)};
  vectorpin_pin_options* o = nullptr;
  ASSERT_EQ(vectorpin_pin_options_new(&o, nullptr), VECTORPIN_OK);
  ASSERT_EQ(vectorpin_pin_options_set_dtype(o, VECTORPIN_DTYPE_F32, nullptr), VECTORPIN_OK);
  vectorpin_pin* pin = nullptr;
  EXPECT_EQ(status_name(vectorpin_signer_pin_f64(s.s, &pin, "x", 1, "m", 1, edge.data(), edge.size(), o, nullptr)),
            "OK");
  vectorpin_pin_free(pin);
  vectorpin_pin_options_free(o);
}

TEST(HostileVectors, NonFiniteIsParseErrorAtVerify) {
  VerifierHandle v{make_verifier()};
  std::string pin = sign_json(kVec);
  vectorpin_error e;
  for (uint32_t bits : kBadF32) {
    std::vector<float> vec = kVec;
    vec[2] = f32_bits(bits);
    std::memcpy(&vec[2], &bits, 4);
    EXPECT_EQ(status_name(verify_f32(v.v, pin, vec.data(), vec.size(), e)), "PARSE_ERROR") << std::hex << bits;
  }
  for (uint64_t bits : kBadF64) {
    std::vector<double> vec = {1, 2, f64_bits(bits), 4};
    std::memcpy(&vec[2], &bits, 8);
    EXPECT_EQ(status_name(vectorpin_verify_json_f64(v.v, pin.data(), pin.size(), nullptr, 0, vec.data(), vec.size(),
                                                    nullptr, &e)),
              "PARSE_ERROR")
        << std::hex << bits;
    expect_bounded_detail(e);
  }
  for (double big : {1e39, -1e39, DBL_MAX}) {
    std::vector<double> vec = {1, 2, big, 4};
    EXPECT_EQ(status_name(vectorpin_verify_json_f64(v.v, pin.data(), pin.size(), nullptr, 0, vec.data(), vec.size(),
                                                    nullptr, &e)),
              "PARSE_ERROR")
        << big;
    expect_bounded_detail(e);
  }
  // The same vector, finite, as f64 input against the f32 pin: verifies.
  std::vector<double> same = {1, 2, 3, 4};
  EXPECT_EQ(status_name(vectorpin_verify_json_f64(v.v, pin.data(), pin.size(), nullptr, 0, same.data(), same.size(),
                                                  nullptr, &e)),
            "OK");
}

TEST(HostileVectors, WrongLengthIsShapeMismatch) {
  VerifierHandle v{make_verifier()};
  std::string pin = sign_json(kVec);
  vectorpin_error e;
  std::vector<float> longer = {1, 2, 3, 4, 5};
  EXPECT_EQ(status_name(verify_f32(v.v, pin, longer.data(), 3, e)), "SHAPE_MISMATCH");
  EXPECT_EQ(status_name(verify_f32(v.v, pin, longer.data(), 5, e)), "SHAPE_MISMATCH");
  EXPECT_EQ(status_name(verify_f32(v.v, pin, longer.data(), 0, e)), "SHAPE_MISMATCH");
  EXPECT_EQ(status_name(verify_f32(v.v, pin, longer.data(), size_t(1) << 33, e)), "SHAPE_MISMATCH");
  // A shape mismatch wins over a NaN in the extra element.
  std::vector<float> nan_tail = {1, 2, 3, 4, NAN};
  EXPECT_EQ(status_name(verify_f32(v.v, pin, nan_tail.data(), nan_tail.size(), e)), "SHAPE_MISMATCH");
  std::vector<double> d3 = {1, 2, 3};
  EXPECT_EQ(status_name(vectorpin_verify_json_f64(v.v, pin.data(), pin.size(), nullptr, 0, d3.data(), d3.size(),
                                                  nullptr, &e)),
            "SHAPE_MISMATCH");
}
