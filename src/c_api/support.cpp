// The shared helpers of the C entry points (see support.hpp).
#include "c_api/support.hpp"

#include <cstdlib>

#include <sodium.h>

namespace vectorpin::capi {

Status write_error(vectorpin_error* out, Status code, int64_t offset, const char* message, size_t n) noexcept {
  if (out == nullptr) return code;
  out->code = code;
  out->reserved = 0;
  out->offset = code == VECTORPIN_OK ? -1 : offset;
  if (n > VECTORPIN_ERROR_MESSAGE_BYTES - 1) {
    n = VECTORPIN_ERROR_MESSAGE_BYTES - 1;
    while (n > 0 && (static_cast<unsigned char>(message[n]) & 0xc0) == 0x80) --n;
  }
  if (n != 0) std::memcpy(out->message, message, n);
  out->message[n] = '\0';
  return code;
}

// A function-local static is initialised exactly once even under concurrent
// first calls.
bool crypto_ready() noexcept {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

Status copy_out(std::string_view data, char** out, size_t* out_len) {
  char* buf = static_cast<char*>(std::malloc(data.size() + 1));
  if (buf == nullptr) return VECTORPIN_OUT_OF_MEMORY;
  if (!data.empty()) std::memcpy(buf, data.data(), data.size());
  buf[data.size()] = '\0';
  *out = buf;
  *out_len = data.size();
  return VECTORPIN_OK;
}

bool to_dtype(int raw, Dtype& out) noexcept {
  if (raw == VECTORPIN_DTYPE_F32) out = Dtype::F32;
  else if (raw == VECTORPIN_DTYPE_F64) out = Dtype::F64;
  else return false;
  return true;
}

Status need_capacity(size_t cap, size_t n, Error& e) {
  if (cap >= n) return VECTORPIN_OK;
  return fail(e, VECTORPIN_BUFFER_TOO_SMALL, "output buffer needs " + std::to_string(n) + " bytes");
}

Status write_text(char* out, size_t cap, std::string_view text, Error& e) {
  Status st = need_capacity(cap, text.size() + 1, e);
  if (st != VECTORPIN_OK) return st;
  if (!text.empty()) std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return VECTORPIN_OK;
}

Status write_bytes(uint8_t* out, size_t cap, const uint8_t* data, size_t n, Error& e) {
  Status st = need_capacity(cap, n, e);
  if (st != VECTORPIN_OK) return st;
  std::memcpy(out, data, n);
  return VECTORPIN_OK;
}

}  // namespace vectorpin::capi
