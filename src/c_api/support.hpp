// What every C entry point shares: the handle structs behind the opaque
// types, the one argument-check mechanism, the error reporting and the
// guard that keeps C++ exceptions on this side of the interface.
//
// Every exported function that returns a vectorpin_status starts with its
// argument checks, written only with the VP_ARG_* macros below, before it
// touches any argument or does any work:
//
//   VP_ARG_NOT_NULL(err, out);             // a required pointer
//   VP_ARG_SPAN(err, text, text_len);      // (pointer, length): NULL only with 0
//   VP_ARG_CHECK(err, cond, "message");    // anything else (enum, flags, size)
//
// Each one returns VECTORPIN_INVALID_ARGUMENT with a message naming the
// argument; tests/abi/null_arguments (generated from the header) holds every
// function to it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

#include "error.hpp"
#include "pin.hpp"
#include "signer.hpp"
#include "vectorpin.h"
#include "verifier.hpp"

struct vectorpin_signer {
  vectorpin::Signer* impl;
};
struct vectorpin_pin {
  vectorpin::Pin pin;
  std::string sig_text;  // base64url of the signature, for vectorpin_pin_get
};
struct vectorpin_verifier {
  vectorpin::Verifier impl;
};
struct vectorpin_pin_options {
  vectorpin::PinOptions impl;
};
struct vectorpin_expectations {
  vectorpin::Expectations impl;
};

namespace vectorpin::capi {

// Fills `out` (when given), cutting the message at a UTF-8 boundary. Never
// allocates, so it is safe inside a catch (std::bad_alloc) and on worker
// threads. Returns `code`.
Status write_error(vectorpin_error* out, Status code, int64_t offset, const char* message, size_t n) noexcept;

inline Status report(vectorpin_error* out, const Error& e) noexcept {
  return write_error(out, e.code, e.offset, e.message.data(), e.message.size());
}
inline Status report(vectorpin_error* out, Status code, const char* message) noexcept {
  return write_error(out, code, -1, message, std::strlen(message));
}
inline Status ok(vectorpin_error* out) noexcept { return write_error(out, VECTORPIN_OK, -1, "", 0); }
inline Status misuse(vectorpin_error* out, const char* message) noexcept {
  return report(out, VECTORPIN_INVALID_ARGUMENT, message);
}

// libsodium initialised once (thread-safe); false if it cannot be.
bool crypto_ready() noexcept;

// A (pointer, length) argument is valid if the pointer is non-NULL or the
// length is zero.
inline bool valid_span(const void* p, size_t len) noexcept { return p != nullptr || len == 0; }

}  // namespace vectorpin::capi

// The argument checks. Macros so that the message can name the argument
// and the return leaves the entry point itself.
#define VP_ARG_CHECK(err, cond, message)                                   \
  do {                                                                     \
    if (!(cond)) return ::vectorpin::capi::misuse((err), (message));       \
  } while (0)
#define VP_ARG_NOT_NULL(err, ptr) VP_ARG_CHECK(err, (ptr) != nullptr, #ptr " is NULL")
#define VP_ARG_SPAN(err, ptr, len) \
  VP_ARG_CHECK(err, ::vectorpin::capi::valid_span((ptr), (len)), #ptr " is NULL but " #len " is not 0")

namespace vectorpin::capi {

// Runs `body` (returning Status, filling Error) with exceptions contained;
// the error is cleared first and filled on every return.
template <typename F>
Status guarded(vectorpin_error* out, F&& body) noexcept {
  if (!crypto_ready()) return report(out, VECTORPIN_INTERNAL_ERROR, "libsodium failed to initialise");
  try {
    Error e;
    Status st = body(e);
    e.code = st;  // the body's return value is authoritative
    return report(out, e);
  } catch (const std::bad_alloc&) {
    return report(out, VECTORPIN_OUT_OF_MEMORY, "out of memory");
  } catch (...) {
    return report(out, VECTORPIN_INTERNAL_ERROR, "internal error");
  }
}

inline std::string_view view(const char* p, size_t len) {
  return len == 0 ? std::string_view() : std::string_view(p, len);
}
inline std::string_view view(const uint8_t* p, size_t len) { return view(reinterpret_cast<const char*>(p), len); }

// Copies bytes into a new malloc'd buffer (NUL-terminated) for the caller,
// who releases it with vectorpin_free.
Status copy_out(std::string_view data, char** out, size_t* out_len);
inline Status copy_out(std::string_view data, uint8_t** out, size_t* out_len) {
  return copy_out(data, reinterpret_cast<char**>(out), out_len);
}

// An enum argument from C may hold any int; in C++ merely reading an enum
// object whose value is outside the enumeration's range is undefined, so
// entry points copy the raw bits out before looking at them.
template <typename E>
int enum_bits(const E& e) noexcept {
  static_assert(sizeof(E) == sizeof(int), "C enums are int-sized here");
  int v;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

// F32 / F64 (not DEFAULT) to the core's type.
bool to_dtype(int raw, Dtype& out) noexcept;

// Copies NUL-terminated text into a caller buffer of `cap` bytes.
Status write_text(char* out, size_t cap, std::string_view text, Error& e);

// BUFFER_TOO_SMALL (with the size needed) unless cap >= n.
Status need_capacity(size_t cap, size_t n, Error& e);

// Copies bytes into a caller buffer of `cap` bytes.
Status write_bytes(uint8_t* out, size_t cap, const uint8_t* data, size_t n, Error& e);

// Verification of one pin, shared by the single and the batch entry points
// so that both report the same for the same inputs. Arguments are checked.
template <typename T>
Status verify_pin(const vectorpin_verifier* verifier, const Pin& pin, const char* source, size_t source_len,
                  const T* vector, size_t dim, const vectorpin_expectations* expectations, Error& e) {
  VerifyInputs in;
  in.source = source;
  in.source_len = source_len;
  if constexpr (std::is_same_v<T, float>) in.vector_f32 = vector;
  else in.vector_f64 = vector;
  in.dim = dim;
  in.expectations = expectations ? &expectations->impl : nullptr;
  return verifier->impl.verify(pin, in, e);
}

template <typename T>
Status verify_json(const vectorpin_verifier* verifier, const char* pin_json, size_t pin_json_len, const char* source,
                   size_t source_len, const T* vector, size_t dim, const vectorpin_expectations* expectations,
                   vectorpin_error* err) noexcept {
  VP_ARG_NOT_NULL(err, verifier);
  VP_ARG_SPAN(err, pin_json, pin_json_len);
  VP_ARG_SPAN(err, source, source_len);
  VP_ARG_SPAN(err, vector, dim);
  return guarded(err, [&](Error& e) {
    Pin pin;
    Status st = parse_pin(view(pin_json, pin_json_len), pin, e);
    if (st != VECTORPIN_OK) return st;
    return verify_pin(verifier, pin, source, source_len, vector, dim, expectations, e);
  });
}

}  // namespace vectorpin::capi
