// The conformance shim of the C ABI (docs/CONFORMANCE.md): JSON requests on
// stdin, one answer line each on stdout, every operation carried out
// through the public C interface (testvectors/generator/c_abi_ops.cpp).
#include <iostream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "c_abi_ops.hpp"
#include "vectorpin.h"

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    nlohmann::json answer;
    nlohmann::json request = nlohmann::json::parse(line, nullptr, false);
    if (request.is_discarded() || !request.is_object() || !request.contains("op") || !request["op"].is_string()) {
      answer = {{"status", "BAD_REQUEST"}, {"detail", "not a request object"}};
    } else if (request["op"] == "hello") {
      answer = {{"status", "OK"},
                {"protocol", 1},
                {"name", "c"},
                {"implementation", std::string("libvectorpin ") + vectorpin_version_string()}};
    } else {
      try {
        answer = conformance::run_c_abi_op(request["op"], request.value("input", nlohmann::json::object()));
      } catch (const std::exception& e) {
        answer = {{"status", "BAD_REQUEST"}, {"detail", e.what()}};
      }
    }
    answer["id"] = request.is_object() && request.contains("id") ? request["id"] : nullptr;
    std::cout << answer.dump() << "\n" << std::flush;
  }
  return 0;
}
