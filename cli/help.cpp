// The text of `vectorpin help`, `vectorpin help COMMAND` and `COMMAND --help`.
// docs/CLI.md and the man page (docs/vectorpin.1) say the same at length.
#include <unistd.h>

#include <cstring>
#include <iostream>

#include "cli.hpp"

namespace cli {
namespace {

struct CommandHelp {
  const char* name;
  const char* synopsis;     // options after "vectorpin NAME "
  const char* description;  // what it does, its output and its options
};

const CommandHelp kHelp[] = {
    {"keygen", "--key-id ID --output DIR [--pem]",
     "Generates an Ed25519 key pair: DIR/ID.priv (the 32-byte seed, mode 0600, never overwritten) and\n"
     "DIR/ID.pub (the public key, 0644). Prints {kid, private_key, public_key, format, fingerprint}.\n"
     "\n"
     "  --key-id ID    the key id written into every pin made with this key\n"
     "  --output DIR   where to write the two files (created with mode 0700)\n"
     "  --pem          write PKCS#8 / SubjectPublicKeyInfo PEM instead of raw bytes\n"},
    {"pin",
     "--private-key F --key-id ID --model M --source FILE --vector FILE [--dtype f32|f64]\n"
     "        [--source-newlines exact|universal] [--model-hash H] [--timestamp TS] [--extra k=v]...\n"
     "        [--record-id X] [--collection-id X] [--tenant-id X] [--protocol 1|2]\n"
     "        [--allow-insecure-key-permissions]",
     "Signs one (source text, vector, model) triple and prints the pin JSON on stdout.\n"
     "\n"
     "  --private-key F   ID.priv from keygen (raw or PEM; refused if group or others can read it, and\n"
     "                    refused if it looks like a public key: a .pub name or a .pub twin beside it)\n"
     "  --key-id ID       the key id to put in the pin\n"
     "  --model M         the embedding model's name\n"
     "  --source FILE     the source text; hashed as its exact bytes (after NFC) by default\n"
     "  --source-newlines exact|universal\n"
     "                    exact (default): CRLF stays CRLF. universal: CRLF and lone CR become LF\n"
     "                    first, as upstream's Python CLI reads text files\n"
     "  --vector FILE     .npy (little-endian float32 or float64, 1-D) or .json (an array of numbers)\n"
     "  --dtype f32|f64   the pin's element type; default: the .npy file's, f64 for .json\n"
     "  --model-hash H    an optional model hash to sign\n"
     "  --timestamp TS    YYYY-MM-DDTHH:MM:SSZ instead of now\n"
     "  --extra k=v       an extra signed key (repeatable); --record-id, --collection-id and\n"
     "                    --tenant-id set the reserved vectorpin.* keys\n"
     "  --protocol 1|2    the wire version (default 2)\n"},
    {"verify-pin",
     "(--public-key F --key-id ID [--valid-from TS] [--valid-until TS] | --registry FILE) --pin FILE\n"
     "        [--source FILE [--source-newlines exact|universal]] [--vector FILE] [--expect-model M]\n"
     "        [--record-id X] [--collection-id X] [--tenant-id X] [--legacy-v1]",
     "Verifies a pin file and prints {ok, error, detail}; exit 1 when it does not verify.\n"
     "\n"
     "  --public-key F    ID.pub (raw, base64url text or PEM; a .priv file is refused)\n"
     "  --key-id ID       the key id the public key answers to\n"
     "  --valid-from TS, --valid-until TS   the key's validity window\n"
     "  --registry FILE   {\"<kid>\": {\"public_key\": ..., \"valid_from\": ..., \"valid_until\": ...}}\n"
     "  --pin FILE        the pin JSON\n"
     "  --source FILE     also check the source text (exact bytes unless --source-newlines universal)\n"
     "  --vector FILE     also check the vector (.npy or .json, as for pin)\n"
     "  --expect-model M, --record-id X, --collection-id X, --tenant-id X   require these values\n"
     "  --legacy-v1       accept protocol 1 pins\n"},
    {"inspect", "--pin FILE",
     "Parses a pin (every wire rule applies) and prints its fields, signature, signed bytes and the pin\n"
     "written back in canonical form (pin_json) as JSON. It does not verify the signature.\n"},
    {"fingerprint", "--public-key F",
     "Prints {fingerprint, public_key_b64} for a public key file (raw, base64url text or PEM).\n"},
    {"audit",
     "--store sqlite:PATH|jsonl:PATH|postgresql://...|postgres:CONNINFO [--table T] [--schema S]\n"
     "        (--public-key F --key-id ID | --registry FILE) [--id-column C] [--vector-column C]\n"
     "        [--source-column C | --no-source] [--pin-column C] [--vector-format blob-f32|blob-f64|json|array|auto]\n"
     "        [--valid-from TS] [--valid-until TS] [--expect-model M] [--bind-record-id] [--collection-id X]\n"
     "        [--legacy-v1] [--fail-on-unpinned] [--threads N] [--report FILE] [--allow-insecure-transport]\n"
     "        [--max-record-bytes N] [--shard I/N] [--no-progress]",
     "Verifies every record of a store and prints a JSON summary; exit 1 when any record fails\n"
     "(or is unpinned, with --fail-on-unpinned). Stores, columns, formats and the report are described\n"
     "in AUDIT.md. --max-record-bytes N (default 64 MiB): larger records fail as RECORD_TOO_LARGE\n"
     "without being read. --shard I/N audits only the records whose id hashes to shard I of N (the rule\n"
     "is in AUDIT.md); audit-merge adds the shards' summaries up.\n"},
    {"audit-merge", "SUMMARY.json... [--allow-partial] [--fail-on-unpinned]",
     "Adds up the summaries of one sharded audit (audit --shard I/N) into the summary of the whole store,\n"
     "with \"shards\":N. Refuses (exit 2) summaries of different stores or tables, different N, a shard\n"
     "given twice or an unsharded summary; missing shards are named and refused unless --allow-partial.\n"
     "Exit 1 when the merged counts hold a failure (or an unpinned record, with --fail-on-unpinned).\n"},
    {"pin-store",
     "--store sqlite:PATH|postgresql://...|postgres:CONNINFO --table T --private-key F --key-id ID --model M\n"
     "        [column and format options as for audit] [--dtype f32|f64] [--collection-id X]\n"
     "        [--no-bind-record] [--no-bind-collection] [--only-unpinned | --overwrite] [--skip-invalid]\n"
     "        [--model-hash H] [--timestamp TS] [--protocol 1|2] [--extra k=v]... [--threads N]\n"
     "        [--no-progress] [--allow-insecure-transport] [--allow-insecure-key-permissions]",
     "Pins every record of a SQLite or PostgreSQL table in one transaction and prints a JSON summary.\n"
     "The private key is checked as for pin. See AUDIT.md.\n"},
    {"audit-lancedb",
     "--uri DIR --table T (--public-key F --key-id ID | --registry FILE) [--source-column C]\n"
     "        [options of vectorpin-lancedb audit]",
     "Upstream's command name: runs the LanceDB tool on Node.js (installed in share/vectorpin/lancedb).\n"},
    {"audit-pgvector",
     "--dsn postgresql://...|CONNINFO --table T (--public-key F --key-id ID | --registry FILE)\n"
     "        [--source-column C] [options of audit]",
     "Upstream's command name: audit --store postgresql://... with upstream's flags.\n"},
    {"conformance",
     "--shim \"COMMAND ARGS\" [--rule ID]... [--case ID]... [--timeout S] [--start-timeout S]\n"
     "        [--profile strict|upstream-0.2] [--report FILE] [--fail-on-unsupported] [--cases FILE]\n"
     "        | --cross --shim CMD --shim CMD... [--records FILE] [--report FILE]",
     "Runs the conformance kit (cases.json, installed in share/vectorpin/conformance) against an\n"
     "implementation's shim and prints pass / fail / unsupported per PROTOCOL.md rule; exit 1 when any\n"
     "case fails. --cross pins through every shim and verifies each pin through every other.\n"
     "See CONFORMANCE.md.\n"},
    {"audit-chroma", "", "Not built in: prints how to export a Chroma collection to JSON Lines for audit --store jsonl:-.\n"},
    {"audit-qdrant", "", "Not built in: prints how to export a Qdrant collection to JSON Lines for audit --store jsonl:-.\n"},
    {"audit-pinecone", "", "Not built in: prints how to export a Pinecone index to JSON Lines for audit --store jsonl:-.\n"},
};

const CommandHelp* find(const std::string& name) {
  for (const auto& h : kHelp)
    if (name == h.name) return &h;
  return nullptr;
}

}  // namespace

std::string installed_doc(const std::string& name) {
  std::string dir = program_dir();
  std::string doc = dir.empty() ? "" : dir + "/../share/doc/vectorpin/" + name;
  if (!doc.empty() && access(doc.c_str(), R_OK) == 0) return doc;
  return "docs/" + name + " in the source tree";
}

namespace {

std::string documentation_pointer() { return "man vectorpin, or " + installed_doc("CLI.md"); }

}  // namespace

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& h : kHelp) names.emplace_back(h.name);
  return names;
}

void print_usage(std::ostream& out) {
  out << "usage: vectorpin <command> [options]\n"
         "       vectorpin help <command>   (or: vectorpin <command> --help)\n"
         "       vectorpin --version\n\ncommands:\n";
  for (const auto& h : kHelp) {
    // Commands without options show what they do instead.
    std::string line = *h.synopsis ? h.synopsis : std::string(h.description, std::strchr(h.description, '\n'));
    out << "  " << h.name << " " << line << "\n";
  }
  out << "\nexit codes: 0 success, 1 verification failures found, 2 usage error, 3 I/O or runtime error\n"
         "more: "
      << documentation_pointer() << "\n";
}

void print_command_usage(std::ostream& out, const std::string& name) {
  const CommandHelp* h = find(name);
  if (h != nullptr) out << "usage: vectorpin " << h->name << " " << h->synopsis << "\n";
}

bool print_command_help(std::ostream& out, const std::string& name) {
  const CommandHelp* h = find(name);
  if (h == nullptr) return false;
  out << "usage: vectorpin " << h->name << " " << h->synopsis << "\n\n" << h->description;
  out << "\nexit codes: 0 success, 1 verification failures found, 2 usage error, 3 I/O or runtime error\n"
         "more: "
      << documentation_pointer() << "\n";
  return true;
}

}  // namespace cli
