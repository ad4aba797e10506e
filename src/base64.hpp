// Base64 in the two forms the project needs: URL-safe without padding for
// the wire format (strict decoding), and the standard padded alphabet for
// PEM bodies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace vectorpin {

std::string base64url_encode(const uint8_t* data, size_t len);

// Strict: only [A-Za-z0-9_-], no padding, length % 4 != 1, zero trailing
// bits. VECTORPIN_INVALID_INPUT with the offending offset otherwise.
Status base64url_decode(std::string_view text, std::vector<uint8_t>& out, Error& err);

std::string base64_encode(const uint8_t* data, size_t len);

// Standard alphabet with mandatory '=' padding; strict in the same way.
Status base64_decode(std::string_view text, std::vector<uint8_t>& out, Error& err);

}  // namespace vectorpin
