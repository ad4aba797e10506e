// The fixture files, each produced as text.
#pragma once

#include <string>

namespace fixtures {

std::string generate_v1();
std::string generate_negative_v1();
std::string generate_v2();
std::string generate_negative_v2();
std::string generate_extended();
std::string generate_cases();  // cases.json: every fixture above as conformance cases

}  // namespace fixtures
