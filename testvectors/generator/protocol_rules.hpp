// The rules of PROTOCOL.md, each under a stable id. This table is the one
// place the list lives: the generator writes it into testvectors/cases.json,
// every case names one of these ids, and tests/conformance/check_rules.py
// derives the same ids from PROTOCOL.md itself and fails when they differ.
//
// How an id is derived from PROTOCOL.md (section N = "## N. Title"):
//   - a table row whose first cell starts with `field`   -> "N.field"
//   - a numbered item "K. ..."                            -> "N.K"
//   - the i-th top-level bullet "- ..." (i = 0, 1, ...)   -> "N." + ('a' + i)
//   - a section with none of these                        -> "N"
#pragma once

#include <string>
#include <vector>

namespace fixtures {

struct ProtocolRule {
  const char* id;
  const char* summary;
  // Empty when the shim protocol can test the rule; otherwise why it cannot
  // and which tests cover it instead.
  const char* outside_shim_protocol;
};

const std::vector<ProtocolRule>& protocol_rules();

}  // namespace fixtures
