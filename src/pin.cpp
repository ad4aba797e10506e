// The pin's own members (its rules and wire form are in pin_rules.cpp and
// pin_codec.cpp).
#include "pin.hpp"

namespace vectorpin {

const std::string* Pin::find_extra(std::string_view key) const {
  for (const auto& e : extra)
    if (e.first == key) return &e.second;
  return nullptr;
}

}  // namespace vectorpin
