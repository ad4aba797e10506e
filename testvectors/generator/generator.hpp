// The fixture files, each produced as text.
#pragma once

#include <string>

namespace fixtures {

std::string generate_v1();
std::string generate_negative_v1();
std::string generate_v2();
std::string generate_negative_v2();
std::string generate_extended();

}  // namespace fixtures
