// `vectorpin testvectors --out DIR | --check DIR`: writes the fixture files,
// or checks that the files in DIR are exactly what this build generates.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <utility>

#include "../cli.hpp"
#include "generator.hpp"

namespace cli {

int cmd_testvectors(const std::vector<std::string>& argv) {
  Args a = Args::parse(argv, {{"out", true, false}, {"check", true, false}});
  if (a.has("out") == a.has("check")) usage_error("give exactly one of --out DIR or --check DIR");
  const std::pair<const char*, std::string (*)()> kFiles[] = {
      {"v1.json", fixtures::generate_v1},
      {"negative_v1.json", fixtures::generate_negative_v1},
      {"v2.json", fixtures::generate_v2},
      {"negative_v2.json", fixtures::generate_negative_v2},
      {"extended.json", fixtures::generate_extended},
  };
  if (auto dir = a.get("out")) {
    std::error_code ec;
    std::filesystem::create_directories(*dir, ec);
    if (ec) runtime_error("cannot create " + *dir + ": " + ec.message());
    for (const auto& [name, make] : kFiles) {
      std::string path = *dir + "/" + name;
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << make();
      if (!out) runtime_error("cannot write " + path);
      std::cerr << "wrote " << path << "\n";
    }
    return kExitOk;
  }
  std::string dir = *a.get("check");
  int drifted = 0;
  for (const auto& [name, make] : kFiles) {
    std::string path = dir + "/" + name;
    if (read_file(path) != make()) {
      std::cerr << "DRIFT " << path << " differs from what this build generates\n";
      ++drifted;
    } else {
      std::cerr << "ok    " << path << "\n";
    }
  }
  if (drifted) {
    std::cerr << drifted << " file(s) drifted; regenerate with `vectorpin testvectors --out " << dir << "`\n";
    return kExitVerificationFailed;
  }
  return kExitOk;
}

}  // namespace cli
