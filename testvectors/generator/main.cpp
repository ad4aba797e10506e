// `vectorpin-testvectors --out DIR | --check DIR`: writes the fixture files,
// or checks that the files in DIR are exactly what this build generates.
// A program of its own, not a command of the installed `vectorpin`.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <utility>

#include "cli.hpp"
#include "generator.hpp"

namespace cli {
namespace {

int run(const std::vector<std::string>& argv) {
  Args a = Args::parse(argv, {{"out", true, false}, {"check", true, false}});
  if (a.has("out") == a.has("check")) usage_error("give exactly one of --out DIR or --check DIR");
  const std::pair<const char*, std::string (*)()> kFiles[] = {
      {"v1.json", fixtures::generate_v1},
      {"negative_v1.json", fixtures::generate_negative_v1},
      {"v2.json", fixtures::generate_v2},
      {"negative_v2.json", fixtures::generate_negative_v2},
      {"extended.json", fixtures::generate_extended},
      {"cases.json", fixtures::generate_cases},
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
    std::cerr << drifted << " file(s) drifted; regenerate with `vectorpin-testvectors --out " << dir << "`\n";
    return kExitVerificationFailed;
  }
  return kExitOk;
}

}  // namespace
}  // namespace cli

int main(int argc, char** argv) {
  try {
    return cli::run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const cli::Failure& f) {
    std::cerr << "vectorpin-testvectors: " << f.what() << "\n";
    if (f.exit_code == cli::kExitUsage) std::cerr << "usage: vectorpin-testvectors --out DIR | --check DIR\n";
    return f.exit_code;
  } catch (const std::exception& e) {
    std::cerr << "vectorpin-testvectors: " << e.what() << "\n";
    return cli::kExitRuntime;
  }
}
