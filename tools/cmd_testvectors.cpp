#include <string>
#include <vector>
namespace cli { int cmd_testvectors(const std::vector<std::string>&) { return 0; } }
