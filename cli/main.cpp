// `vectorpin`: keys, pins, verification and fixtures from the command line.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace {

struct Command {
  const char* name;
  int (*run)(const std::vector<std::string>&);
  const char* summary;
};

const Command kCommands[] = {
    {"keygen", cli::cmd_keygen, "--key-id ID --output DIR [--pem]"},
    {"pin", cli::cmd_pin,
     "--private-key F --key-id ID --model M --source FILE --vector FILE [--dtype f32|f64] [--model-hash H]\n"
     "        [--timestamp TS] [--extra k=v]... [--record-id X] [--collection-id X] [--tenant-id X]\n"
     "        [--protocol 1|2] [--allow-insecure-key-permissions]"},
    {"verify-pin", cli::cmd_verify_pin,
     "(--public-key F --key-id ID [--valid-from TS] [--valid-until TS] | --registry FILE) --pin FILE\n"
     "        [--source FILE] [--vector FILE] [--expect-model M] [--record-id X] [--collection-id X]\n"
     "        [--tenant-id X] [--legacy-v1]"},
    {"inspect", cli::cmd_inspect, "--pin FILE"},
    {"fingerprint", cli::cmd_fingerprint, "--public-key F"},
    {"audit", cli::cmd_audit,
     "--store sqlite:PATH|jsonl:PATH|postgresql://...|postgres:CONNINFO [--table T] [--schema S]\n"
     "        (--public-key F --key-id ID | --registry FILE) [--id-column C] [--vector-column C]\n"
     "        [--source-column C | --no-source] [--pin-column C] [--vector-format blob-f32|blob-f64|json|array|auto]\n"
     "        [--valid-from TS] [--valid-until TS] [--expect-model M] [--bind-record-id] [--collection-id X]\n"
     "        [--legacy-v1] [--fail-on-unpinned] [--threads N] [--report FILE] [--allow-insecure-transport]\n"
     "        [--no-progress]   (docs/AUDIT.md)"},
    {"pin-store", cli::cmd_pin_store,
     "--store sqlite:PATH|postgresql://...|postgres:CONNINFO --table T --private-key F --key-id ID --model M\n"
     "        [column and format options as for audit] [--dtype f32|f64] [--collection-id X]\n"
     "        [--no-bind-record] [--no-bind-collection] [--only-unpinned | --overwrite] [--skip-invalid]\n"
     "        [--model-hash H] [--timestamp TS] [--protocol 1|2] [--extra k=v]... [--threads N]\n"
     "        [--no-progress] [--allow-insecure-transport] [--allow-insecure-key-permissions]"},
    // Upstream's command names (cmd_upstream.cpp, docs/AUDIT.md).
    {"audit-lancedb", cli::cmd_audit_lancedb,
     "--uri DIR --table T (--public-key F --key-id ID | --registry FILE) [--source-column C]\n"
     "        [options of vectorpin-lancedb audit]   (runs the LanceDB tool on Node.js)"},
    {"audit-pgvector", cli::cmd_audit_pgvector,
     "--dsn postgresql://...|CONNINFO --table T (--public-key F --key-id ID | --registry FILE)\n"
     "        [--source-column C] [options of audit]"},
    {"audit-chroma", cli::cmd_audit_chroma, "(not built in: prints how to export to JSONL for audit --store jsonl:-)"},
    {"audit-qdrant", cli::cmd_audit_qdrant, "(not built in: prints how to export to JSONL for audit --store jsonl:-)"},
    {"audit-pinecone", cli::cmd_audit_pinecone, "(not built in: prints how to export to JSONL for audit --store jsonl:-)"},
};

void print_usage(std::ostream& out) {
  out << "usage: vectorpin <command> [options]\n\ncommands:\n";
  for (const auto& c : kCommands) out << "  " << c.name << " " << c.summary << "\n";
  out << "\nexit codes: 0 success, 1 verification failures found, 2 usage error, 3 I/O or runtime error\n"
         "see docs/CLI.md for details\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return cli::kExitUsage;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return cli::kExitOk;
  }
  if (name == "--version") {
    std::cout << "vectorpin " << vectorpin_version_string() << " (protocol v" << vectorpin_protocol_version()
              << ", ABI " << vectorpin_abi_version() << ")\n";
    return cli::kExitOk;
  }
  for (const auto& c : kCommands) {
    if (name != c.name) continue;
    std::vector<std::string> args(argv + 2, argv + argc);
    for (const auto& a : args) {
      if (a == "--help" || a == "-h") {
        std::cout << "usage: vectorpin " << c.name << " " << c.summary << "\n";
        return cli::kExitOk;
      }
    }
    try {
      return c.run(args);
    } catch (const cli::Failure& f) {
      std::cerr << "vectorpin " << c.name << ": " << f.what() << "\n";
      if (f.exit_code == cli::kExitUsage) std::cerr << "usage: vectorpin " << c.name << " " << c.summary << "\n";
      return f.exit_code;
    } catch (const std::exception& e) {
      std::cerr << "vectorpin " << c.name << ": " << e.what() << "\n";
      return cli::kExitRuntime;
    }
  }
  std::cerr << "vectorpin: unknown command '" << name.substr(0, 64) << "'\n";
  print_usage(std::cerr);
  return cli::kExitUsage;
}
