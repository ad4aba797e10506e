// The protocol's one timestamp form, YYYY-MM-DDTHH:MM:SSZ. Canonical
// timestamps order the same as strings, so windows compare them directly.
#pragma once

#include <string>
#include <string_view>

namespace vectorpin {

// Exactly 20 characters, digits where digits, uppercase T and Z.
bool is_canonical_timestamp_form(std::string_view ts);

// Canonical form and a real UTC date-time: month 1-12, day within the
// month (leap years), hour < 24, minute < 60, second < 60, year >= 0001.
bool is_real_timestamp(std::string_view ts);

std::string timestamp_now();

}  // namespace vectorpin
