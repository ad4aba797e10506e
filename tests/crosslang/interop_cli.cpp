// The cross-language test's contract (testvectors/README.md) carried out by
// the vectorpin program itself: `sign` runs `vectorpin pin` on each record,
// `verify` runs `vectorpin verify-pin` on every language's pins. This is how
// pins made by the bindings are shown to verify in the C CLI, and the CLI's
// pins in every binding.
//   vectorpin_interop_cli VECTORPIN_PROGRAM sign OUT_FILE | verify IN_FILE...
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "interop_support.hpp"

using namespace interop;

namespace {

std::string g_cli;
std::string g_dir;  // private scratch directory for the files the CLI reads

struct Run {
  int exit_code = -1;
  std::string out;
};

// Runs the CLI without a shell (arguments hold non-ASCII text), stdout to a file.
Run run_cli(const std::vector<std::string>& args) {
  const std::string out_path = g_dir + "/stdout";
  Run r;
  pid_t pid = fork();
  if (pid < 0) return r;
  if (pid == 0) {
    int fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) _exit(126);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(g_cli.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(g_cli.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(out_path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  r.out = ss.str();
  return r;
}

std::string write_file(const std::string& name, const std::string& bytes, mode_t mode = 0644) {
  const std::string path = g_dir + "/" + name;
  unlink(path.c_str());
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, mode);
  if (fd < 0 || write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
    std::cerr << "cannot write " << path << "\n";
    std::exit(2);
  }
  close(fd);
  return path;
}

// A JSON array whose numbers read back to exactly the same f32/f64 values.
template <typename T>
std::string vector_json(const std::vector<T>& v) {
  std::string s = "[";
  char buf[40];
  for (size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof buf, sizeof(T) == 4 ? "%.9g" : "%.17g", static_cast<double>(v[i]));
    if (i) s += ',';
    s += buf;
  }
  return s + "]";
}

std::string record_vector_json(const json& rec, bool tamper) {
  if (rec["dtype"] == "f32") {
    auto v = decode_vector<float>(rec["vector_b64"]);
    if (tamper) v[0] += 0.5f;
    return vector_json(v);
  }
  auto v = decode_vector<double>(rec["vector_b64"]);
  if (tamper) v[0] += 0.5;
  return vector_json(v);
}

const std::pair<const char*, const char*> kBindingFlags[] = {
    {"vectorpin.record_id", "--record-id"},
    {"vectorpin.collection_id", "--collection-id"},
    {"vectorpin.tenant_id", "--tenant-id"},
};

int sign(const std::string& out_path) {
  json doc = load_records();
  const std::string kid = "crosslang-cli";
  std::vector<uint8_t> seed = b64d(doc["seed_b64"]);
  const std::string key = write_file(kid + ".priv", std::string(seed.begin(), seed.end()), 0600);
  std::vector<uint8_t> pk(32);
  {
    vectorpin_signer* signer = nullptr;
    if (vectorpin_signer_from_seed(&signer, kid.data(), kid.size(), seed.data(), seed.size(), nullptr) != VECTORPIN_OK)
      return 1;
    vectorpin_signer_public_key(signer, pk.data(), pk.size(), nullptr);
    vectorpin_signer_free(signer);
  }
  std::ofstream out(out_path);
  int written = 0;
  for (const auto& rec : doc["records"]) {
    std::vector<std::string> args = {"pin",   "--private-key", key, "--key-id", kid, "--model", rec["model"],
                                     "--source", write_file("source", rec["source"]), "--vector",
                                     write_file("vector.json", record_vector_json(rec, false)), "--dtype",
                                     rec["dtype"]};
    for (const auto& [k, v] : rec["extra"].items()) {
      const char* flag = nullptr;
      for (const auto& [name, f] : kBindingFlags)
        if (k == name) flag = f;
      if (flag) {
        args.insert(args.end(), {flag, v.get<std::string>()});
      } else {
        args.insert(args.end(), {"--extra", k + "=" + v.get<std::string>()});
      }
    }
    Run r = run_cli(args);
    if (r.exit_code != 0 || r.out.empty()) {
      std::cerr << "vectorpin pin failed for " << rec["name"] << " (exit " << r.exit_code << ")\n";
      return 1;
    }
    while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == '\r')) r.out.pop_back();
    json line = {{"lang", "cli"}, {"kid", kid}, {"public_key_b64", b64e(pk.data(), pk.size())},
                 {"name", rec["name"]}, {"pin_json", r.out}};
    out << line.dump() << "\n";
    ++written;
  }
  std::cout << "signed " << written << " records with the vectorpin program\n";
  return written > 0 ? 0 : 1;
}

// Verifies one line; returns an empty string when both checks behave.
std::string check_line(const json& item, const json& rec) {
  const std::string pub = write_file("key.pub", item["public_key_b64"].get<std::string>());
  const std::string pin = write_file("pin.json", item["pin_json"].get<std::string>());
  const std::string source = write_file("source", rec["source"]);
  const std::vector<std::string> base = {"verify-pin", "--public-key", pub,    "--key-id", item["kid"],
                                         "--pin",      pin,            "--source", source,   "--record-id",
                                         rec["extra"]["vectorpin.record_id"]};
  std::vector<std::string> args = base;
  args.insert(args.end(), {"--vector", write_file("vector.json", record_vector_json(rec, false))});
  Run r = run_cli(args);
  json res = json::parse(r.out, nullptr, false);
  if (r.exit_code != 0 || res.is_discarded() || res.value("ok", false) != true)
    return "verify-pin exit " + std::to_string(r.exit_code) + ": " + r.out.substr(0, 200);
  args = base;
  args.insert(args.end(), {"--vector", write_file("vector.json", record_vector_json(rec, true))});
  r = run_cli(args);
  res = json::parse(r.out, nullptr, false);
  if (r.exit_code != 1 || res.is_discarded() || !res["error"].is_string() || res["error"] != "VECTOR_TAMPERED")
    return "tampered vector: exit " + std::to_string(r.exit_code) + ": " + r.out.substr(0, 200);
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: vectorpin_interop_cli VECTORPIN_PROGRAM sign OUT_FILE | verify IN_FILE...\n";
    return 2;
  }
  g_cli = argv[1];
  char tmpl[] = "/tmp/vectorpin-interop-cli-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    std::cerr << "cannot create a scratch directory\n";
    return 2;
  }
  g_dir = tmpl;
  int rc = 2;
  if (std::strcmp(argv[2], "sign") == 0) rc = sign(argv[3]);
  else if (std::strcmp(argv[2], "verify") == 0) rc = verify_files(std::vector<std::string>(argv + 3, argv + argc), check_line);
  else std::cerr << "unknown verb " << argv[2] << "\n";
  std::error_code ec;
  std::filesystem::remove_all(g_dir, ec);
  return rc;
}
