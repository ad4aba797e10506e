// `vectorpin`: keys, pins, verification and fixtures from the command line.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

struct Command {
  const char* name;
  int (*run)(const std::vector<std::string>&);
};

// The text for each command is in help.cpp, under the same names.
const Command kCommands[] = {
    {"keygen", cli::cmd_keygen},
    {"pin", cli::cmd_pin},
    {"verify-pin", cli::cmd_verify_pin},
    {"inspect", cli::cmd_inspect},
    {"fingerprint", cli::cmd_fingerprint},
    {"audit", cli::cmd_audit},
    {"audit-merge", cli::cmd_audit_merge},
    {"pin-store", cli::cmd_pin_store},
    // Upstream's command names (cmd_upstream.cpp, docs/AUDIT.md).
    {"audit-lancedb", cli::cmd_audit_lancedb},
    {"audit-pgvector", cli::cmd_audit_pgvector},
    {"conformance", cli::cmd_conformance},
    {"audit-chroma", cli::cmd_audit_chroma},
    {"audit-qdrant", cli::cmd_audit_qdrant},
    {"audit-pinecone", cli::cmd_audit_pinecone},
};

void print_version(std::ostream& out) {
  out << "vectorpin " << vectorpin_version_string() << " (protocol v" << vectorpin_protocol_version() << ", ABI "
      << vectorpin_abi_version() << ")\n";
}

int unknown_command(const std::string& name) {
  std::cerr << "vectorpin: unknown command '" << name.substr(0, 64) << "'";
  if (auto near = cli::closest_name(name, cli::command_names())) std::cerr << "; did you mean '" << *near << "'?";
  std::cerr << "\n\n";
  cli::print_usage(std::cerr);
  return cli::kExitUsage;
}

// `vectorpin help [COMMAND]`.
int help(const std::vector<std::string>& args) {
  if (args.empty()) {
    cli::print_usage(std::cout);
    return cli::kExitOk;
  }
  if (args.size() > 1) {
    std::cerr << "vectorpin help: give one command name\n";
    return cli::kExitUsage;
  }
  if (cli::print_command_help(std::cout, args[0])) return cli::kExitOk;
  return unknown_command(args[0]);
}

// The store commands allocate a record's buffers (tens of KiB) on one
// thread and free them on another, millions of times. glibc's default
// hands freed memory at the top of a heap back to the kernel as soon as
// 128 KiB collect, and every page then faults in again; on virtual machines
// with shadow paging that cost more than the work itself (an audit ran at
// half speed). Keeping up to 128 MiB changes no peak: what is in flight is
// bounded by the commands themselves.
void keep_freed_memory() {
#if defined(__GLIBC__)
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
  // Setting the trim threshold stops glibc adapting this one; 32 MiB is
  // the largest it would adapt to on its own.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  keep_freed_memory();
  if (argc < 2) {
    cli::print_usage(std::cerr);
    return cli::kExitUsage;
  }
  std::string name = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (name == "--help" || name == "-h" || name == "help") return help(args);
  if (name == "--version" || name == "-V" || name == "version") {
    print_version(std::cout);
    return cli::kExitOk;
  }
  for (const auto& c : kCommands) {
    if (name != c.name) continue;
    for (const auto& a : args) {
      if (a == "--help" || a == "-h") {
        cli::print_command_help(std::cout, c.name);
        return cli::kExitOk;
      }
    }
    try {
      return c.run(args);
    } catch (const cli::Failure& f) {
      std::cerr << "vectorpin " << c.name << ": " << f.what() << "\n";
      if (f.exit_code == cli::kExitUsage) {
        cli::print_command_usage(std::cerr, c.name);
        std::cerr << "(vectorpin help " << c.name << " describes every option)\n";
      }
      return f.exit_code;
    } catch (const std::exception& e) {
      std::cerr << "vectorpin " << c.name << ": " << e.what() << "\n";
      return cli::kExitRuntime;
    }
  }
  if (name.rfind("--", 0) == 0) {
    std::cerr << "vectorpin: " << name.substr(0, 64)
              << " is not a command; options come after the command name (vectorpin help lists the commands)\n";
    return cli::kExitUsage;
  }
  return unknown_command(name);
}
