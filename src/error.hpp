// Internal error reporting: a status plus a sanitized message and optional
// byte offset. Core functions return a Status and fill an Error; the C ABI
// copies it into the caller's vectorpin_error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vectorpin.h"

namespace vectorpin {

using Status = vectorpin_status;

struct Error {
  Status code = VECTORPIN_OK;
  int64_t offset = -1;
  std::string message;
};

// Records a failure and returns its code, so callers can write
// `return fail(err, VECTORPIN_PARSE_ERROR, "...")`.
Status fail(Error& err, Status code, std::string message, int64_t offset = -1);

// Quotes untrusted text for a message: at most 64 characters (code points),
// control characters and bidi controls replaced by U+FFFD-like '?', invalid
// UTF-8 shown as '?', and an ellipsis when cut.
std::string quote_untrusted(std::string_view text);

}  // namespace vectorpin
