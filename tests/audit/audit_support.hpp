// Helpers for the store-audit tests: running the `vectorpin` program, a test
// signing key, deterministic vectors, pins made through the public C API,
// and small SQLite conveniences.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "vectorpin.h"

namespace audit_test {

namespace fs = std::filesystem;
using nlohmann::json;

inline std::vector<std::string> cat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// An audit summary of `store` with these counts; pinned is always ok + failed.
inline void expect_counts(const json& s, const std::string& store, uint64_t total, uint64_t ok, uint64_t failed,
                          uint64_t unpinned) {
  EXPECT_EQ(s["store"], store);
  EXPECT_EQ(s["total"], total);
  EXPECT_EQ(s["verified_ok"], ok);
  EXPECT_EQ(s["verification_failed"], failed);
  EXPECT_EQ(s["unpinned"], unpinned);
  EXPECT_EQ(s["pinned"], ok + failed);
  EXPECT_TRUE(s["by_error"].is_object());
  EXPECT_TRUE(s["elapsed_seconds"].is_number());
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
  if (!out) throw std::runtime_error("cannot write " + path);
}

inline std::string vectors_dir() {
  const char* d = std::getenv("VECTORPIN_TESTVECTORS");
  return d ? d : VECTORPIN_TESTVECTORS_DEFAULT;
}

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "vp-audit-XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
    path_ = buf.data();
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }
  const std::string& str() const { return path_; }

 private:
  std::string path_;
};

struct CliRun {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out, err;
};

// Runs the program with `args`; stdin from `stdin_path` (or /dev/null), extra
// environment variables as NAME=VALUE.
inline pid_t spawn_cli(const std::vector<std::string>& args, const std::string& out_path, const std::string& err_path,
                       const std::vector<std::string>& env = {}, const std::string& stdin_path = "/dev/null",
                       const std::string& program = VECTORPIN_CLI) {
  std::vector<std::string> argv_s;
  argv_s.push_back(program);
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  pid_t pid = fork();
  if (pid == 0) {
    int in = open(stdin_path.c_str(), O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

inline CliRun wait_cli(pid_t pid, const std::string& out_path, const std::string& err_path) {
  int status = 0;
  waitpid(pid, &status, 0);
  CliRun r;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  return r;
}

// Runs the program like run_cli and also reports its peak resident set size
// in KiB (getrusage of the waited-for child).
inline CliRun run_cli_rss(const TempDir& dir, const std::vector<std::string>& args, long& peak_kib) {
  std::string out = dir / "cli.stdout", err = dir / "cli.stderr";
  pid_t pid = spawn_cli(args, out, err);
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  peak_kib = ru.ru_maxrss;
  CliRun r;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

inline CliRun run_cli(const TempDir& dir, const std::vector<std::string>& args, const std::vector<std::string>& env = {},
                   const std::string& stdin_path = "/dev/null") {
  std::string out = dir / "cli.stdout", err = dir / "cli.stderr";
  return wait_cli(spawn_cli(args, out, err, env, stdin_path), out, err);
}

// Starts `args` (a pin-store run) in the test build of the program
// (vectorpin-faults) with its fault point set to stop after `rows` rows
// inside its transaction, waits until it says it has stopped, and kills it
// there with `sig` (SIGKILL, or SIGINT as Ctrl-C sends). `paused` tells whether it got that far
// (false: it ended first, and the returned run says how).
inline CliRun kill_mid_transaction(const TempDir& dir, const std::vector<std::string>& args, long rows, bool& paused,
                                   int sig = SIGKILL) {
  std::string out = dir / "killed.stdout", err = dir / "killed.stderr", marker = dir / "paused.marker";
  std::remove(marker.c_str());
  std::string env_rows = "VECTORPIN_TEST_PAUSE_AFTER_ROWS=" + std::to_string(rows);
  std::string env_file = "VECTORPIN_TEST_PAUSE_FILE=" + marker;
  pid_t pid = spawn_cli(args, out, err, {env_rows, env_file}, "/dev/null", VECTORPIN_CLI_FAULTS);
  paused = false;
  for (int i = 0; i < 120000 / 20; ++i) {
    if (fs::exists(marker)) {
      paused = true;
      break;
    }
    int st = 0;
    if (waitpid(pid, &st, WNOHANG) == pid) {
      CliRun r;
      if (WIFEXITED(st)) r.exit_code = WEXITSTATUS(st);
      if (WIFSIGNALED(st)) r.signal = WTERMSIG(st);
      r.out = read_file(out);
      r.err = read_file(err);
      return r;
    }
    usleep(20000);
  }
  kill(pid, paused ? sig : SIGKILL);
  return wait_cli(pid, out, err);
}

// The JSON summary printed on stdout (exactly one line).
inline json summary_of(const CliRun& r) {
  std::string s = r.out;
  EXPECT_FALSE(s.empty()) << "no summary; stderr: " << r.err;
  EXPECT_EQ(std::count(s.begin(), s.end(), '\n'), 1) << "stdout must be one JSON line: " << s;
  return json::parse(s);
}

// Every line of a report file, parsed.
inline std::vector<json> report_lines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(json::parse(line));
  return out;
}

// id -> error code of a report (ids must be unique in the tests' stores).
inline std::map<std::string, std::string> report_codes(const std::string& text) {
  std::map<std::string, std::string> m;
  for (const auto& l : report_lines(text)) m[l["id"].is_null() ? std::string("<null>") : l["id"].get<std::string>()] = l["error"];
  return m;
}

inline std::string status(vectorpin_status s) { return vectorpin_status_name(s); }

// ---- keys and pins ------------------------------------------------------------------

// The deterministic test key (seed 00..1f) under kid "audit-test", written as
// raw key files for the program.
struct TestKey {
  std::string kid = "audit-test";
  std::string priv, pub;
  vectorpin_signer* signer = nullptr;

  explicit TestKey(const TempDir& dir, const std::string& key_id = "audit-test", uint8_t first_byte = 0) : kid(key_id) {
    uint8_t seed[32];
    for (int i = 0; i < 32; ++i) seed[i] = static_cast<uint8_t>(first_byte + i);
    if (vectorpin_signer_from_seed(&signer, kid.data(), kid.size(), seed, 32, nullptr) != VECTORPIN_OK)
      throw std::runtime_error("signer");
    uint8_t pk[32];
    if (vectorpin_signer_public_key(signer, pk, 32, nullptr) != VECTORPIN_OK) throw std::runtime_error("public key");
    priv = dir / (kid + ".priv");
    pub = dir / (kid + ".pub");
    write_file(priv, std::string(reinterpret_cast<char*>(seed), 32));
    chmod(priv.c_str(), 0600);
    write_file(pub, std::string(reinterpret_cast<char*>(pk), 32));
  }
  ~TestKey() { vectorpin_signer_free(signer); }
  TestKey(const TestKey&) = delete;
  TestKey& operator=(const TestKey&) = delete;

  std::vector<std::string> verify_args() const { return {"--public-key", pub, "--key-id", kid}; }

  std::string pin_f32(const std::string& source, const std::vector<float>& v, const std::string& model = "m1",
                      const std::map<std::string, std::string>& extra = {}) const {
    vectorpin_pin_options* opts = nullptr;
    vectorpin_error err;
    if (vectorpin_pin_options_new(&opts, &err) != VECTORPIN_OK) throw std::runtime_error("pin options");
    for (const auto& [k, val] : extra) {
      if (vectorpin_pin_options_set_extra(opts, k.data(), k.size(), val.data(), val.size(), &err) != VECTORPIN_OK) {
        vectorpin_pin_options_free(opts);
        throw std::runtime_error(std::string("extra ") + k + ": " + err.message);
      }
    }
    vectorpin_pin* pin = nullptr;
    vectorpin_status st = vectorpin_signer_pin_f32(signer, &pin, source.data(), source.size(), model.data(), model.size(),
                                                   v.data(), v.size(), opts, &err);
    vectorpin_pin_options_free(opts);
    if (st != VECTORPIN_OK) throw std::runtime_error(std::string("pin: ") + err.message);
    char* out = nullptr;
    size_t n = 0;
    st = vectorpin_pin_to_json(pin, &out, &n, nullptr);
    if (st != VECTORPIN_OK) {
      vectorpin_pin_free(pin);
      throw std::runtime_error("pin to JSON");
    }
    std::string s(out, n);
    vectorpin_free(out);
    vectorpin_pin_free(pin);
    return s;
  }
};

// A pin's extra value, or "<absent>".
inline std::string pin_extra(const std::string& pin_json, const std::string& key) {
  vectorpin_pin* pin = nullptr;
  if (vectorpin_pin_parse(&pin, pin_json.data(), pin_json.size(), nullptr) != VECTORPIN_OK) return "<unparsable>";
  const char* v;
  size_t n;
  std::string out = vectorpin_pin_extra_get(pin, &v, &n, key.data(), key.size(), nullptr) == VECTORPIN_OK ? std::string(v, n)
                                                                                                 : "<absent>";
  vectorpin_pin_free(pin);
  return out;
}

// Deterministic pseudo-random unit vectors.
inline std::vector<float> test_vector(uint64_t index, size_t dim) {
  uint64_t s = 0x1234567ULL + index * 0x9e3779b97f4a7c15ULL;
  std::vector<float> v(dim);
  double norm = 0;
  for (auto& x : v) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    x = static_cast<float>(static_cast<double>(s >> 11) / 9007199254740992.0 - 0.5);
    norm += static_cast<double>(x) * x;
  }
  for (auto& x : v) x = static_cast<float>(x / std::sqrt(norm));
  return v;
}

inline std::string f32_blob(const std::vector<float>& v) {
  std::string b(v.size() * 4, '\0');
  for (size_t i = 0; i < v.size(); ++i) {
    uint32_t bits;
    std::memcpy(&bits, &v[i], 4);
    for (int k = 0; k < 4; ++k) b[4 * i + static_cast<size_t>(k)] = static_cast<char>((bits >> (8 * k)) & 0xff);
  }
  return b;
}

inline std::string f64_blob(const std::vector<double>& v) {
  std::string b(v.size() * 8, '\0');
  for (size_t i = 0; i < v.size(); ++i) {
    uint64_t bits;
    std::memcpy(&bits, &v[i], 8);
    for (int k = 0; k < 8; ++k) b[8 * i + static_cast<size_t>(k)] = static_cast<char>((bits >> (8 * k)) & 0xff);
  }
  return b;
}

// JSON array text whose decimals read back to exactly these floats.
inline std::string json_array(const std::vector<float>& v) {
  std::string s = "[";
  char buf[40];
  for (size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%s%.9g", i ? "," : "", static_cast<double>(v[i]));
    s += buf;
  }
  return s + "]";
}

inline std::string json_array(const std::vector<double>& v) {
  std::string s = "[";
  char buf[40];
  for (size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%s%.17g", i ? "," : "", v[i]);
    s += buf;
  }
  return s + "]";
}

inline std::string b64decode(const std::string& text) {
  uint8_t* out = nullptr;
  size_t n = 0;
  if (vectorpin_base64url_decode(&out, &n, text.data(), text.size(), nullptr) != VECTORPIN_OK)
    throw std::runtime_error("bad base64url");
  std::string s(reinterpret_cast<char*>(out), n);
  vectorpin_free(out);
  return s;
}


// ---- sharded audits -----------------------------------------------------------------

// Audits a store whole and again in `n` shards (`audit_args` names the store
// and keys), merges the shard summaries with `audit-merge`, and checks that
// the merge equals the whole audit: the same counts and by_error, the same
// exit code, and the shards' report lines together are the whole audit's,
// each exactly once. Returns the whole audit's summary.
inline json expect_shards_add_up(const TempDir& dir, const std::vector<std::string>& audit_args, uint32_t n) {
  std::string whole_report = dir / "whole.report";
  CliRun whole = run_cli(dir, cat(audit_args, {"--report", whole_report, "--no-progress"}));
  EXPECT_TRUE(whole.exit_code == 0 || whole.exit_code == 1) << whole.err;
  json w = summary_of(whole);
  EXPECT_FALSE(w.contains("shard"));
  std::vector<std::string> summaries;
  std::multiset<std::string> shard_lines;
  uint64_t nonempty = 0;
  for (uint32_t i = 0; i < n; ++i) {
    std::string part = std::to_string(i) + "/" + std::to_string(n);
    std::string rep = dir / ("shard" + std::to_string(i) + ".report");
    CliRun r = run_cli(dir, cat(audit_args, {"--shard", part, "--report", rep, "--no-progress"}));
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
    json s = summary_of(r);
    EXPECT_EQ(s["shard"], part);
    EXPECT_TRUE(s["location"].is_string());
    if (s["total"].get<uint64_t>() > 0) ++nonempty;
    std::string file = dir / ("summary" + std::to_string(i) + ".json");
    write_file(file, r.out);
    summaries.push_back(file);
    for (const auto& l : report_lines(read_file(rep))) shard_lines.insert(l.dump());
  }
  if (w["total"].get<uint64_t>() >= 4 * n) EXPECT_EQ(nonempty, n) << "some shard got no record at all";
  CliRun merged = run_cli(dir, cat({"audit-merge"}, summaries));
  EXPECT_EQ(merged.exit_code, whole.exit_code) << merged.err;
  json m = summary_of(merged);
  for (const char* field : {"store", "total", "pinned", "verified_ok", "verification_failed", "unpinned", "by_error"})
    EXPECT_EQ(m[field], w[field]) << field << ": merged " << m.dump() << " vs whole " << w.dump();
  EXPECT_EQ(m["shards"], n);
  EXPECT_FALSE(m.contains("shards_missing"));
  std::multiset<std::string> whole_lines;
  for (const auto& l : report_lines(read_file(whole_report))) whole_lines.insert(l.dump());
  EXPECT_EQ(shard_lines, whole_lines);
  return w;
}

// ---- SQLite -------------------------------------------------------------------------------

class Sqlite {
 public:
  explicit Sqlite(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("sqlite open");
  }
  ~Sqlite() {
    for (auto& [sql, st] : cache_) sqlite3_finalize(st);
    sqlite3_close_v2(db_);
  }
  Sqlite(const Sqlite&) = delete;
  Sqlite& operator=(const Sqlite&) = delete;

  void exec(const std::string& sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string m = msg ? msg : "?";
      sqlite3_free(msg);
      throw std::runtime_error("sqlite: " + m + " in " + sql.substr(0, 200));
    }
  }

  // Runs `sql` with `?1..?n` bound to values: a string binds as TEXT unless
  // it is marked as a blob with blob(), nullptr as NULL.
  struct Param {
    enum Kind { kNull, kText, kBlob, kInt } kind;
    std::string data;
    int64_t i = 0;
  };
  static Param text(const std::string& s) { return {Param::kText, s, 0}; }
  static Param blob(const std::string& s) { return {Param::kBlob, s, 0}; }
  static Param integer(int64_t v) { return {Param::kInt, {}, v}; }
  static Param null() { return {Param::kNull, {}, 0}; }

  void run(const std::string& sql, const std::vector<Param>& params) {
    sqlite3_stmt* st = prepared(sql);
    sqlite3_reset(st);
    for (size_t i = 0; i < params.size(); ++i) {
      int k = static_cast<int>(i + 1);
      const Param& p = params[i];
      switch (p.kind) {
        case Param::kNull: sqlite3_bind_null(st, k); break;
        case Param::kText: sqlite3_bind_text(st, k, p.data.data(), static_cast<int>(p.data.size()), SQLITE_TRANSIENT); break;
        case Param::kBlob: sqlite3_bind_blob(st, k, p.data.data(), static_cast<int>(p.data.size()), SQLITE_TRANSIENT); break;
        case Param::kInt: sqlite3_bind_int64(st, k, p.i); break;
      }
    }
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    sqlite3_reset(st);
  }

  int64_t scalar(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
  }

  std::string text_value(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    std::string v;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
      v.assign(static_cast<const char*>(sqlite3_column_blob(st, 0)), static_cast<size_t>(sqlite3_column_bytes(st, 0)));
    sqlite3_finalize(st);
    return v;
  }

 private:
  sqlite3_stmt* prepared(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    cache_[sql] = st;
    return st;
  }
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace audit_test
