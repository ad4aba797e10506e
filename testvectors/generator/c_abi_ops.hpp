// The seven operations of the conformance shim protocol (docs/CONFORMANCE.md)
// carried out through the public C ABI. The C shim answers the runner with
// them, and the fixture generator checks every case it writes against them,
// so a case and the library cannot silently disagree.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace conformance {

// Runs one request's `op` on its `input` and returns the response object
// without its "id": {"status": "OK", ...results} or {"status": "<CODE>",
// "detail": "..."}; an op this code does not know gives "unsupported".
// Malformed input (a field missing or of the wrong type) throws
// std::invalid_argument.
nlohmann::json run_c_abi_op(const std::string& op, const nlohmann::json& input);

}  // namespace conformance
