// Upstream's audit command names, so that upstream's documentation, cron
// jobs and CI recipes run unchanged:
//   audit-lancedb   runs the LanceDB tool (integrations/lancedb, a Node
//                   program: LanceDB has no C API), which takes upstream's
//                   flags --uri --table --public-key --key-id --source-column;
//   audit-pgvector  maps upstream-style flags onto `vectorpin audit --store
//                   postgresql://...`;
//   audit-chroma, audit-qdrant, audit-pinecone
//                   say what is supported and how to export such a store to
//                   JSONL for `vectorpin audit --store jsonl:-` (their servers
//                   cannot be run and tested here, so no client is built).
// Every audit prints upstream's five summary fields with upstream's meanings.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace cli {
namespace {

bool is_file(const std::string& path) { return !path.empty() && access(path.c_str(), R_OK) == 0; }

// The first executable `name` on PATH, or "".
std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "";
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    std::string dir = p.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

struct LanceTool {
  std::string script;
  std::string node_path;  // extra NODE_PATH entry (a build tree's npm folder), or ""
  std::string addon;      // a build tree's Node addon, or "" (an installed binding finds its own)
};

// Where the LanceDB tool is: $VECTORPIN_LANCEDB_TOOL, else beside the program
// in the installed layout (<prefix>/bin/vectorpin finds
// <prefix>/share/vectorpin/lancedb). A build tree mirrors that layout (the
// build links <build>/share/vectorpin/lancedb to the sources), so a build
// directory anywhere works without a path compiled into the program.
LanceTool find_lancedb_tool(std::vector<std::string>& tried) {
  if (const char* env = std::getenv("VECTORPIN_LANCEDB_TOOL")) {
    tried.push_back(std::string(env) + " (VECTORPIN_LANCEDB_TOOL)");
    if (is_file(env)) return {env, "", ""};
    return {};
  }
  std::string dir = program_dir();
  if (dir.empty()) return {};
  std::string installed = dir + "/../share/vectorpin/lancedb/vectorpin-lancedb.js";
  tried.push_back(installed);
  if (!is_file(installed)) return {};
  // In a build tree the tool's dependencies are where the build's `npm ci`
  // put them; an installed tool has its own node_modules beside it.
  std::string build_modules = dir + "/../integrations/lancedb/npm/node_modules";
  std::string build_addon = dir + "/../bindings/node/vectorpin.node";
  return {installed, access(build_modules.c_str(), R_OK) == 0 ? build_modules : "",
          is_file(build_addon) ? build_addon : ""};
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string quoted_arg(const std::string& s) {
  // For messages only: at most 64 bytes of what the user typed, no control characters.
  std::string out = s.substr(0, 64);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

// Export recipes for the stores without a client here. Each pipes JSON Lines
// with the fields `vectorpin audit` reads by default (id, vector, source,
// vectorpin) into `vectorpin audit --store jsonl:-`.
struct Unsupported {
  const char* command;
  const char* store;
  const char* recipe;
};

const Unsupported kUnsupported[] = {
    {"audit-chroma", "Chroma",
     "python3 - <<'EOF' | vectorpin audit --store jsonl:- --public-key KEY.pub --key-id KID\n"
     "import chromadb, json\n"
     "c = chromadb.PersistentClient(path=\"./chroma_db\").get_collection(\"my-rag\")\n"
     "r = c.get(include=[\"embeddings\", \"metadatas\", \"documents\"])\n"
     "for i, e, m, d in zip(r[\"ids\"], r[\"embeddings\"], r[\"metadatas\"], r[\"documents\"]):\n"
     "    m = m or {}\n"
     "    print(json.dumps({\"id\": i, \"vector\": [float(x) for x in e],\n"
     "                      \"source\": m.get(\"text\", d), \"vectorpin\": m.get(\"vectorpin\")}))\n"
     "EOF"},
    {"audit-qdrant", "Qdrant",
     "python3 - <<'EOF' | vectorpin audit --store jsonl:- --public-key KEY.pub --key-id KID\n"
     "import json\n"
     "from qdrant_client import QdrantClient\n"
     "q, offset = QdrantClient(url=\"http://localhost:6333\"), None\n"
     "while True:\n"
     "    points, offset = q.scroll(\"my-rag\", with_vectors=True, with_payload=True, limit=256, offset=offset)\n"
     "    for p in points:\n"
     "        print(json.dumps({\"id\": str(p.id), \"vector\": p.vector, \"source\": p.payload.get(\"text\"),\n"
     "                          \"vectorpin\": p.payload.get(\"vectorpin\")}))\n"
     "    if offset is None: break\n"
     "EOF"},
    {"audit-pinecone", "Pinecone",
     "python3 - <<'EOF' | vectorpin audit --store jsonl:- --public-key KEY.pub --key-id KID\n"
     "import json\n"
     "from pinecone import Pinecone\n"
     "index = Pinecone().Index(\"my-rag\")\n"
     "for ids in index.list():\n"
     "    for i, v in index.fetch(ids=ids).vectors.items():\n"
     "        m = v.metadata or {}\n"
     "        print(json.dumps({\"id\": i, \"vector\": v.values, \"source\": m.get(\"text\"),\n"
     "                          \"vectorpin\": m.get(\"vectorpin\")}))\n"
     "EOF"},
};

int explain_unsupported(const Unsupported& u) {
  std::cerr << "vectorpin " << u.command << ": " << u.store
            << " has no client in this vectorpin. Audited directly: SQLite, PostgreSQL (bytea, arrays, JSON and\n"
               "pgvector's vector columns), JSON Lines files or standard input, and LanceDB (audit-lancedb).\n"
               "Export the store to JSON Lines (one object per record: id, vector, source, vectorpin = the pin's\n"
               "JSON text from the record's metadata) and pipe it into the auditor, e.g.:\n\n"
            << u.recipe
            << "\n\nAdd --source-column/--pin-column for other field names and --bind-record-id, --fail-on-unpinned\n"
               "as for any audit ("
            << installed_doc("AUDIT.md")
            << "). The summary has upstream's fields total, pinned, verified_ok,\n"
               "verification_failed, unpinned.\n";
  return kExitUsage;
}

}  // namespace

int cmd_audit_lancedb(const std::vector<std::string>& argv) {
  std::vector<std::string> tried;
  LanceTool tool = find_lancedb_tool(tried);
  if (tool.script.empty())
    runtime_error("the LanceDB tool (vectorpin-lancedb.js) was not found; looked at: " + join(tried) +
                  ". Install it (cmake --install puts it in <prefix>/share/vectorpin/lancedb; run `npm ci` there) "
                  "or set VECTORPIN_LANCEDB_TOOL to its vectorpin-lancedb.js");
  const char* node_env = std::getenv("VECTORPIN_NODE");
  std::string node = node_env ? node_env : find_on_path("node");
  if (node.empty() || access(node.c_str(), X_OK) != 0)
    runtime_error("audit-lancedb runs on Node.js (18.17 or later), and `node` was not found on PATH "
                  "(Debian: apt-get install nodejs; or set VECTORPIN_NODE to the node program)");
  if (!tool.node_path.empty()) {
    const char* old = std::getenv("NODE_PATH");
    std::string value = tool.node_path + (old && *old ? std::string(":") + old : "");
    setenv("NODE_PATH", value.c_str(), 1);
  }
  // The same build's addon, unless the caller chose one.
  if (!tool.addon.empty()) setenv("VECTORPIN_NODE_ADDON", tool.addon.c_str(), 0);
  std::vector<std::string> args = {node, tool.script, "audit"};
  args.insert(args.end(), argv.begin(), argv.end());
  std::vector<char*> c_args;
  for (auto& a : args) c_args.push_back(a.data());
  c_args.push_back(nullptr);
  std::cout.flush();
  execv(node.c_str(), c_args.data());
  runtime_error("cannot run " + quoted_arg(node) + ": " + std::strerror(errno));
}

// Upstream has no pgvector command yet (its README lists pgvector as
// planned), so the flags follow its other audit commands: --dsn (or --url)
// names the database, --table the table, --public-key/--key-id the key and
// --source-column the source text (omitted: the source is not checked, as
// upstream's audit commands do). Every other option of `vectorpin audit`
// passes through unchanged.
int cmd_audit_pgvector(const std::vector<std::string>& argv) {
  std::vector<std::string> out;
  std::string dsn;
  bool has_source = false, no_source = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    std::string a = argv[i];
    std::string name = a, value;
    bool inline_value = false;
    size_t eq = a.find('=');
    if (a.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      inline_value = true;
    }
    if (name == "--dsn" || name == "--url") {
      if (!dsn.empty()) usage_error("give the database once (--dsn or --url)");
      if (!inline_value) {
        if (i + 1 >= argv.size()) usage_error("option " + name + " needs a value");
        value = argv[++i];
      }
      if (value.empty()) usage_error("option " + name + " needs a value");
      dsn = value;
      continue;
    }
    if (name == "--store") usage_error("audit-pgvector takes --dsn postgresql://...; use `vectorpin audit --store` for other stores");
    if (name == "--source-column") has_source = true;
    if (name == "--no-source") no_source = true;
    out.push_back(a);
  }
  if (dsn.empty()) usage_error("missing required option --dsn (postgresql://user@host/db or 'host=... dbname=...')");
  bool uri = dsn.rfind("postgresql://", 0) == 0 || dsn.rfind("postgres://", 0) == 0;
  std::vector<std::string> args = {"--store", uri ? dsn : "postgres:" + dsn};
  if (!has_source && !no_source) {
    std::cerr << "vectorpin audit-pgvector: no --source-column given: source text is not verified "
                 "(--no-source silences this)\n";
    args.push_back("--no-source");
  }
  args.insert(args.end(), out.begin(), out.end());
  return cmd_audit(args);
}

int cmd_audit_chroma(const std::vector<std::string>&) { return explain_unsupported(kUnsupported[0]); }
int cmd_audit_qdrant(const std::vector<std::string>&) { return explain_unsupported(kUnsupported[1]); }
int cmd_audit_pinecone(const std::vector<std::string>&) { return explain_unsupported(kUnsupported[2]); }

}  // namespace cli
