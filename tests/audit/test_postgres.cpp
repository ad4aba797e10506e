// `vectorpin pin-store` and `vectorpin audit` against a real PostgreSQL
// server. The test starts a throw-away server from Debian's `postgresql`
// package in a temporary directory, listening on 127.0.0.1 only, and stops
// it at the end. Missing server programs are a failure, never a skip: CI
// installs them (scripts/install-deps.sh).
//
// initdb and postgres refuse to run as root, so when the test runs as root
// (as CI does) the server's processes are started as the `postgres` user
// (created by the Debian package), or `nobody` if there is none.
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "audit_support.hpp"
#include "hard_vectors.hpp"

namespace audit_test {
namespace {

// ---- the server ----------------------------------------------------------------------

// The newest /usr/lib/postgresql/<version>/bin holding initdb and postgres,
// or $VECTORPIN_PG_BINDIR. Programs on PATH are not used: a wrapper there may
// not exist on another machine.
std::string find_bindir(std::string& why) {
  if (const char* d = std::getenv("VECTORPIN_PG_BINDIR")) {
    if (fs::exists(std::string(d) + "/initdb") && fs::exists(std::string(d) + "/postgres")) return d;
    why = std::string("VECTORPIN_PG_BINDIR=") + d + " has no initdb and postgres";
    return "";
  }
  std::string best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    std::string name = e.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string bin = e.path().string() + "/bin";
    if (!fs::exists(bin + "/initdb") || !fs::exists(bin + "/postgres")) continue;
    int v = std::stoi(name);
    if (v > best_version) best_version = v, best = bin;
  }
  if (best.empty())
    why = "no PostgreSQL server programs in /usr/lib/postgresql/*/bin: install the Debian package `postgresql` "
          "(scripts/install-deps.sh does)";
  return best;
}

int free_loopback_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  int port = -1;
  if (s >= 0 && bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  if (s >= 0) close(s);
  return port;
}

class PgServer {
 public:
  PgServer() {
    try {
      start();
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }
  ~PgServer() {
    stop();
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // A libpq keyword/value connection string for the test database.
  std::string conninfo() const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=vp user=vptest connect_timeout=10";
  }
  std::string uri() const { return "postgresql://vptest@127.0.0.1:" + std::to_string(port_) + "/vp"; }
  int port() const { return port_; }

 private:
  void start() {
    std::string why;
    std::string bin = find_bindir(why);
    if (bin.empty()) throw std::runtime_error(why);

    bool root = geteuid() == 0;
    if (root) {
      const passwd* pw = getpwnam("postgres");
      if (!pw) pw = getpwnam("nobody");
      if (!pw) throw std::runtime_error("running as root, and there is neither a `postgres` nor a `nobody` user");
      uid_ = pw->pw_uid;
      gid_ = pw->pw_gid;
      drop_ = true;
    }
    // /tmp, not $TMPDIR: the server's user must be able to reach it.
    char tmpl[] = "/tmp/vp-audit-pg-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    if (drop_ && chown(dir_.c_str(), uid_, gid_) != 0) throw std::runtime_error("cannot chown " + dir_);
    std::string data = dir_ + "/data", log = dir_ + "/server.log";

    int rc = run_as_server_user({bin + "/initdb", "-D", data, "-U", "vptest", "--auth=trust", "--encoding=UTF8",
                                 "--no-locale", "--no-sync"},
                                dir_ + "/initdb.log");
    if (rc != 0) throw std::runtime_error("initdb failed (exit " + std::to_string(rc) + "): " + tail(dir_ + "/initdb.log"));

    for (int attempt = 0; attempt < 3; ++attempt) {
      port_ = free_loopback_port();
      if (port_ <= 0) throw std::runtime_error("no free loopback port");
      pid_ = spawn_server_user({bin + "/postgres", "-D", data, "-p", std::to_string(port_), "-k", data, "-c",
                                "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
                                "-c", "max_connections=30", "-c", "shared_buffers=32MB"},
                               log);
      if (wait_ready()) break;
      stop();
    }
    if (pid_ <= 0) throw std::runtime_error("the PostgreSQL server did not start: " + tail(log));

    // The database the tests use.
    std::string admin = "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=postgres user=vptest";
    PGconn* c = PQconnectdb(admin.c_str());
    PGresult* r = PQexec(c, "CREATE DATABASE vp ENCODING 'UTF8' TEMPLATE template0");
    bool created = PQresultStatus(r) == PGRES_COMMAND_OK;
    std::string msg = PQerrorMessage(c);
    PQclear(r);
    PQfinish(c);
    if (!created) throw std::runtime_error("CREATE DATABASE failed: " + msg);
  }

  bool wait_ready() {
    std::string info = "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=postgres user=vptest";
    for (int i = 0; i < 600; ++i) {
      int st = 0;
      if (waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      if (PQping(info.c_str()) == PQPING_OK) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGINT);  // fast shutdown: ends sessions, no checkpoint wait for clients
    for (int i = 0; i < 300; ++i) {
      int st = 0;
      if (waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  pid_t spawn_server_user(const std::vector<std::string>& args, const std::string& log) {
    pid_t pid = fork();
    if (pid == 0) {
      if (drop_ && (setgroups(0, nullptr) != 0 || setgid(gid_) != 0 || setuid(uid_) != 0)) _exit(125);
      int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      int in = open("/dev/null", O_RDONLY);
      if (fd < 0 || in < 0) _exit(126);
      dup2(in, 0);
      dup2(fd, 1);
      dup2(fd, 2);
      // The server must not pick up the caller's libpq or locale settings.
      unsetenv("PGDATA");
      unsetenv("PGPORT");
      unsetenv("PGHOST");
      setenv("LC_ALL", "C", 1);
      std::vector<char*> argv;
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    return pid;
  }

  int run_as_server_user(const std::vector<std::string>& args, const std::string& log) {
    pid_t pid = spawn_server_user(args, log);
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) != pid) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }

  static std::string tail(const std::string& path) {
    std::string s = read_file(path);
    return s.size() > 1500 ? s.substr(s.size() - 1500) : s;
  }

  std::string dir_, error_;
  bool drop_ = false;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  pid_t pid_ = -1;
  int port_ = 0;
};

PgServer* g_server = nullptr;

class PgEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { g_server = new PgServer(); }
  void TearDown() override {
    delete g_server;
    g_server = nullptr;
  }
};

[[maybe_unused]] ::testing::Environment* const g_env = ::testing::AddGlobalTestEnvironment(new PgEnvironment);

// ---- a small libpq client for the test's own setup ---------------------------------------

class Pg {
 public:
  explicit Pg(const std::string& info) : c_(PQconnectdb(info.c_str())) {
    if (PQstatus(c_) != CONNECTION_OK) throw std::runtime_error(std::string("connect: ") + PQerrorMessage(c_));
  }
  ~Pg() { PQfinish(c_); }
  Pg(const Pg&) = delete;
  Pg& operator=(const Pg&) = delete;

  // Runs `sql` with $1..$n bound as text (std::nullopt = NULL); returns the
  // rows of the first column.
  std::vector<std::optional<std::string>> query(const std::string& sql,
                                                const std::vector<std::optional<std::string>>& params = {}) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PGresult* r = PQexecParams(c_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                               nullptr, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      std::string m = PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error("postgres: " + m + " in " + sql.substr(0, 200));
    }
    std::vector<std::optional<std::string>> out;
    if (st == PGRES_TUPLES_OK && PQnfields(r) > 0)
      for (int i = 0; i < PQntuples(r); ++i)
        out.push_back(PQgetisnull(r, i, 0) ? std::nullopt : std::optional<std::string>(PQgetvalue(r, i, 0)));
    PQclear(r);
    return out;
  }
  void exec(const std::string& sql) { query(sql); }
  std::string value(const std::string& sql, const std::vector<std::optional<std::string>>& params = {}) {
    auto rows = query(sql, params);
    return rows.empty() || !rows[0] ? std::string("<null>") : *rows[0];
  }
  int64_t count(const std::string& sql) { return std::stoll(value(sql)); }

 private:
  PGconn* c_;
};

// PostgreSQL array text whose decimals read back to exactly these floats.
std::string pg_array(const std::vector<float>& v) {
  std::string s = json_array(v);
  s.front() = '{';
  s.back() = '}';
  return s;
}

class PostgresAudit : public ::testing::Test {
 protected:
  TempDir dir;
  TestKey key{dir};
  std::string report = dir / "report.jsonl";
  std::unique_ptr<Pg> pg;

  void SetUp() override {
    ASSERT_NE(g_server, nullptr);
    ASSERT_TRUE(g_server->ok()) << "cannot run the PostgreSQL tests: " << g_server->error();
    pg = std::make_unique<Pg>(g_server->conninfo());
  }

  std::string store() const { return "postgres:" + g_server->conninfo(); }

  CliRun pin_store(const std::string& table, const std::vector<std::string>& extra = {}) {
    return run_cli(dir, cat({"pin-store", "--store", store(), "--table", table, "--private-key", key.priv, "--key-id",
                             key.kid, "--model", "m1"},
                            extra));
  }
  CliRun audit(const std::string& table, const std::vector<std::string>& extra = {}) {
    return run_cli(dir, cat(cat({"audit", "--store", store(), "--table", table}, key.verify_args()), extra));
  }
  int64_t pinned_rows(const std::string& table) {
    return pg->count("SELECT count(*) FROM " + table + " WHERE vectorpin IS NOT NULL");
  }

  // `n` rows of real[] vectors made by the server itself (fast for large n).
  void create_real_table(const std::string& table, int n, int dim, const std::string& pin_type = "jsonb") {
    pg->exec("DROP TABLE IF EXISTS " + table);
    pg->exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, vector real[], source text, vectorpin " + pin_type +
             ")");
    pg->exec("INSERT INTO " + table + " SELECT i, ARRAY(SELECT sin(i * 0.37 + k * 1.3)::real FROM generate_series(1, " +
             std::to_string(dim) + ") k), 'document number ' || i, NULL FROM generate_series(1, " + std::to_string(n) +
             ") i");
  }
};

// ---- tests -------------------------------------------------------------------------------------

TEST_F(PostgresAudit, TwentyThousandRecordsJsonbWithDefectsInTheMiddle) {
  const int n = 20000, dim = 32;
  create_real_table("docs", n, dim);
  CliRun p = pin_store("docs", {"--threads", "0"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(json::parse(p.out)["pinned"], n);
  EXPECT_EQ(pinned_rows("docs"), n);
  // jsonb keeps its own form: not the compact text pin-store wrote.
  std::string stored = pg->value("SELECT vectorpin::text FROM docs WHERE id = 77");
  EXPECT_NE(stored.find("\": "), std::string::npos) << stored;
  EXPECT_EQ(pg->value("SELECT vectorpin->'extra'->>'vectorpin.record_id' FROM docs WHERE id = 77"), "77");
  EXPECT_EQ(pg->value("SELECT vectorpin->'extra'->>'vectorpin.collection_id' FROM docs WHERE id = 77"), "docs");

  CliRun clean = audit("docs", {"--bind-record-id", "--collection-id", "docs", "--expect-model", "m1", "--report", report});
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  expect_counts(summary_of(clean), "postgresql", n, n, 0, 0);
  EXPECT_EQ(read_file(report), "");

  pg->exec("UPDATE docs SET vectorpin = '{\"v\": 2}' WHERE id = 10000");
  pg->exec("UPDATE docs SET vectorpin = NULL WHERE id BETWEEN 10001 AND 10005");
  pg->exec("UPDATE docs SET vector = NULL WHERE id = 10006");
  pg->exec("UPDATE docs SET source = NULL WHERE id = 10007");
  pg->exec("UPDATE docs SET vector = vector[1:31] WHERE id = 10008");
  pg->exec("UPDATE docs SET vector[3] = NULL WHERE id = 10009");
  pg->exec("UPDATE docs SET vector = '{{1,2},{3,4}}' WHERE id = 10010");
  pg->exec("UPDATE docs SET vectorpin = '\"just a string\"' WHERE id = 10011");
  pg->exec("UPDATE docs SET vectorpin = (SELECT vectorpin FROM docs WHERE id = 10013) WHERE id = 10012");
  pg->exec("UPDATE docs SET vector[5] = vector[5] + 0.001 WHERE id = 10014");
  pg->exec("UPDATE docs SET source = source || ' (edited)' WHERE id = 10015");
  pg->exec("UPDATE docs SET vectorpin = vectorpin || '{\"note\": \"x\"}' WHERE id = 10016");
  const std::map<std::string, std::string> expected = {
      {"10000", status(VECTORPIN_PARSE_ERROR)},     {"10006", "VECTOR_MISSING"},
      {"10007", "SOURCE_MISSING"},                  {"10008", status(VECTORPIN_SHAPE_MISMATCH)},
      {"10009", "VECTOR_UNREADABLE"},               {"10010", "VECTOR_UNREADABLE"},
      {"10011", status(VECTORPIN_PARSE_ERROR)},     {"10012", status(VECTORPIN_VECTOR_TAMPERED)},
      {"10014", status(VECTORPIN_VECTOR_TAMPERED)}, {"10015", status(VECTORPIN_SOURCE_MISMATCH)},
      {"10016", status(VECTORPIN_PARSE_ERROR)}};

  CliRun r = audit("docs", {"--bind-record-id", "--collection-id", "docs", "--report", report, "--threads", "0"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json s = summary_of(r);
  expect_counts(s, "postgresql", n, n - 16, 11, 5);
  EXPECT_EQ(s["by_error"], json({{"PARSE_ERROR", 3}, {"SHAPE_MISMATCH", 1}, {"SOURCE_MISMATCH", 1},
                                 {"SOURCE_MISSING", 1}, {"VECTOR_MISSING", 1}, {"VECTOR_TAMPERED", 2},
                                 {"VECTOR_UNREADABLE", 2}}));
  std::string report_many = read_file(report);
  EXPECT_EQ(report_codes(report_many), expected);

  CliRun one = audit("docs", {"--bind-record-id", "--collection-id", "docs", "--report", report, "--threads", "1"});
  EXPECT_EQ(one.exit_code, 1);
  EXPECT_EQ(read_file(report), report_many) << "the report follows store order whatever the thread count";

  CliRun strict = audit("docs", {"--report", report, "--fail-on-unpinned"});
  EXPECT_EQ(strict.exit_code, 1);
  auto codes = report_codes(read_file(report));
  for (int id = 10001; id <= 10005; ++id) EXPECT_EQ(codes[std::to_string(id)], "UNPINNED");

  // The URI form of the store name reaches the same table.
  CliRun via_uri = run_cli(dir, cat({"audit", "--store", g_server->uri(), "--table", "docs"}, key.verify_args()));
  EXPECT_EQ(via_uri.exit_code, 1) << via_uri.err;
  EXPECT_EQ(summary_of(via_uri)["total"], n);
}

// Pins made elsewhere (compact text from the C API, non-ASCII model, quotes
// and backslashes in source and extra) survive jsonb's re-formatting.
TEST_F(PostgresAudit, JsonbRoundTrip) {
  pg->exec("DROP TABLE IF EXISTS jb");
  pg->exec("CREATE TABLE jb (id text PRIMARY KEY, vector real[], source text, vectorpin jsonb)");
  const std::string model = "mod\xc3\xa8le-\xc3\xbc \"v2\"";
  std::vector<std::string> originals;
  for (int i = 0; i < 6; ++i) {
    std::string id = "r\xc3\xa9" + std::to_string(i);
    std::string source = "line one\nline \"two\" \\ back\tslash \xe2\x80\x94 " + std::to_string(i);
    std::vector<float> v = test_vector(static_cast<uint64_t>(i), 48);
    std::string pin = key.pin_f32(source, v, model,
                                  {{"vectorpin.record_id", id}, {"note", "caf\xc3\xa9 \"quoted\" back\\slash \xf0\x9f\x93\x8c"}});
    originals.push_back(pin);
    pg->query("INSERT INTO jb VALUES ($1, $2::real[], $3, $4::jsonb)", {id, pg_array(v), source, pin});
  }
  std::string stored = pg->value("SELECT vectorpin::text FROM jb WHERE id = $1", {std::string("r\xc3\xa9" "3")});
  EXPECT_NE(stored, originals[3]) << "jsonb should have re-formatted the pin";
  EXPECT_NE(stored.find("\": "), std::string::npos);
  CliRun r = audit("jb", {"--expect-model", model, "--bind-record-id", "--report", report});
  EXPECT_EQ(r.exit_code, 0) << r.err << read_file(report);
  expect_counts(summary_of(r), "postgresql", 6, 6, 0, 0);

  // A tampered source is still caught after the round trip.
  pg->exec("UPDATE jb SET source = source || '.' WHERE id = 'r\xc3\xa9" "2'");
  CliRun t = audit("jb", {"--expect-model", model, "--bind-record-id", "--report", report});
  EXPECT_EQ(t.exit_code, 1);
  EXPECT_EQ(report_codes(read_file(report)),
            (std::map<std::string, std::string>{{"r\xc3\xa9" "2", status(VECTORPIN_SOURCE_MISMATCH)}}));
}

// double precision[] vectors give f64 pins; a text pin column keeps bytes
// that are not JSON at all, and they fail their record only.
TEST_F(PostgresAudit, Float8ArraysAndTextPins) {
  pg->exec("DROP TABLE IF EXISTS notes");
  pg->exec("CREATE TABLE notes (id text PRIMARY KEY, vector double precision[], source text, vectorpin text)");
  pg->exec("INSERT INTO notes SELECT 'n' || i, ARRAY(SELECT sin(i + k * 0.1)::float8 FROM generate_series(1, 20) k), "
           "'note ' || i, NULL FROM generate_series(1, 300) i");
  CliRun p = pin_store("notes");
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_NE(pg->value("SELECT vectorpin FROM notes WHERE id = 'n5'").find("\"vec_dtype\":\"f64\""), std::string::npos);
  EXPECT_EQ(audit("notes", {"--bind-record-id", "--collection-id", "notes"}).exit_code, 0);

  pg->exec("UPDATE notes SET vectorpin = '{\"v\":2,\"kid\":' WHERE id = 'n100'");
  pg->exec("UPDATE notes SET vectorpin = repeat('x', 70000) WHERE id = 'n101'");
  pg->exec("UPDATE notes SET vector[20] = vector[20] * (1 + 1e-15) WHERE id = 'n102'");
  CliRun r = audit("notes", {"--bind-record-id", "--report", report});
  EXPECT_EQ(r.exit_code, 1);
  expect_counts(summary_of(r), "postgresql", 300, 297, 3, 0);
  EXPECT_EQ(report_codes(read_file(report)),
            (std::map<std::string, std::string>{{"n100", status(VECTORPIN_PARSE_ERROR)},
                                                {"n101", status(VECTORPIN_PARSE_ERROR)},
                                                {"n102", status(VECTORPIN_VECTOR_TAMPERED)}}));
}

TEST_F(PostgresAudit, ByteaVectorsInASchema) {
  pg->exec("DROP SCHEMA IF EXISTS kb CASCADE");
  pg->exec("CREATE SCHEMA kb");
  pg->exec("CREATE TABLE kb.chunks (chunk_id integer PRIMARY KEY, emb bytea, body text, pin jsonb)");
  for (int i = 1; i <= 40; ++i) {
    std::string blob = f32_blob(test_vector(static_cast<uint64_t>(i), 16));
    std::string hex = "\\x";
    for (unsigned char c : blob) {
      static const char* h = "0123456789abcdef";
      hex += h[c >> 4];
      hex += h[c & 15];
    }
    pg->query("INSERT INTO kb.chunks VALUES ($1::int, $2::bytea, $3, NULL)",
              {std::to_string(i), hex, "body " + std::to_string(i)});
  }
  std::vector<std::string> cols = {"--schema", "kb", "--id-column", "chunk_id", "--vector-column", "emb",
                                   "--source-column", "body", "--pin-column", "pin"};
  CliRun p = pin_store("chunks", cols);
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(pg->count("SELECT count(*) FROM kb.chunks WHERE pin->>'vec_dtype' = 'f32'"), 40);
  CliRun a = audit("chunks", cat(cols, {"--bind-record-id", "--collection-id", "chunks"}));
  EXPECT_EQ(a.exit_code, 0) << a.err;
  expect_counts(summary_of(a), "postgresql", 40, 40, 0, 0);
  pg->exec("UPDATE kb.chunks SET emb = substring(emb from 1 for 61) WHERE chunk_id = 9");
  CliRun b = audit("chunks", cat(cols, {"--report", report}));
  EXPECT_EQ(b.exit_code, 1);
  EXPECT_EQ(report_codes(read_file(report)), (std::map<std::string, std::string>{{"9", "VECTOR_UNREADABLE"}}));
  // The table is looked for in the named schema only.
  EXPECT_EQ(audit("chunks", {"--id-column", "chunk_id"}).exit_code, 2);
}

TEST_F(PostgresAudit, InterruptedPinStoreLeavesTheTableConsistent) {
  const int n = 20000;
  create_real_table("big", n, 16);
  bool paused = false;
  CliRun killed = kill_mid_transaction(dir,
                                       {"pin-store", "--store", store(), "--table", "big", "--private-key", key.priv,
                                        "--key-id", key.kid, "--model", "m1"},
                                       7000, paused);
  ASSERT_TRUE(paused) << "pin-store ended before the pause: exit " << killed.exit_code << ": " << killed.err;
  EXPECT_EQ(killed.signal, SIGKILL);
  EXPECT_EQ(pinned_rows("big"), 0) << "a killed pin-store must leave all pins or none";
  CliRun a = audit("big");
  EXPECT_EQ(a.exit_code, 0) << a.err;
  expect_counts(summary_of(a), "postgresql", n, 0, 0, n);
  // The server notices the dead client and releases its lock; a new run completes.
  CliRun again = pin_store("big");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(pinned_rows("big"), n);
  CliRun b = audit("big", {"--bind-record-id", "--collection-id", "big"});
  EXPECT_EQ(b.exit_code, 0) << b.err;
  expect_counts(summary_of(b), "postgresql", n, n, 0, 0);
}

TEST_F(PostgresAudit, InvalidRowRollsBackAndOnlyUnpinned) {
  create_real_table("part", 2500, 8);
  pg->exec("UPDATE part SET vector = NULL WHERE id = 2222");
  CliRun r = pin_store("part");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("record 2222"), std::string::npos) << r.err;
  EXPECT_EQ(pinned_rows("part"), 0);
  CliRun skip = pin_store("part", {"--skip-invalid"});
  ASSERT_EQ(skip.exit_code, 0) << skip.err;
  EXPECT_EQ(json::parse(skip.out)["skipped"], 1);
  EXPECT_EQ(pinned_rows("part"), 2499);
  EXPECT_EQ(pin_store("part").exit_code, 2) << "re-pinning needs --overwrite or --only-unpinned";
  pg->exec("UPDATE part SET vector = '{1,2,3}', vectorpin = NULL WHERE id IN (2222, 5)");
  CliRun rest = pin_store("part", {"--only-unpinned"});
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  EXPECT_EQ(json::parse(rest.out)["pinned"], 2);
  EXPECT_EQ(audit("part", {"--bind-record-id"}).exit_code, 0);
}

TEST_F(PostgresAudit, TransportPolicyAndUsageErrors) {
  create_real_table("small", 3, 4);
  // A server elsewhere needs TLS: refused before any connection is attempted.
  for (const std::string& s : {std::string("postgres:host=db.invalid dbname=vp"),
                               std::string("postgresql://db.invalid/vp"),
                               std::string("postgresql://db.invalid/vp?sslmode=prefer")}) {
    CliRun r = run_cli(dir, cat({"audit", "--store", s, "--table", "small"}, key.verify_args()));
    EXPECT_EQ(r.exit_code, 2) << s << ": " << r.err;
    EXPECT_NE(r.err.find("sslmode=require"), std::string::npos) << r.err;
  }
  // Loopback needs no TLS; asking for it from a server without TLS fails to connect.
  CliRun tls = run_cli(dir, cat({"audit", "--store", g_server->uri() + "?sslmode=require", "--table", "small"},
                                key.verify_args()));
  EXPECT_EQ(tls.exit_code, 3) << tls.err;
  EXPECT_EQ(audit("nosuchtable").exit_code, 2);
  EXPECT_EQ(audit("small", {"--vector-column", "nosuchcolumn"}).exit_code, 2);
  CliRun evil = audit("small; DROP TABLE small");
  EXPECT_EQ(evil.exit_code, 2);
  EXPECT_EQ(pg->count("SELECT count(*) FROM small"), 3);
  CliRun wrong_port = run_cli(dir, cat({"audit", "--store", "postgres:host=127.0.0.1 port=1 dbname=vp user=vptest",
                                        "--table", "small"},
                                       key.verify_args()));
  EXPECT_EQ(wrong_port.exit_code, 3);
}

// pgvector columns. Debian has no pgvector, so its `vector` type is stood in
// for by a domain of that name over text whose values are exactly what
// pgvector's vector_out prints: the server's own float4 text (the same
// shortest round-trip decimals) joined as [x,y,...]. This runs the backend's
// pgvector path (type recognised by name, read as `::text`, decoded as f32)
// against a real server; pgvector's own input and output functions are not
// exercised here.
TEST_F(PostgresAudit, PgvectorColumnsThroughAStandInType) {
  pg->exec("DROP TABLE IF EXISTS items");
  pg->exec("DROP DOMAIN IF EXISTS vector");
  pg->exec("DROP DOMAIN IF EXISTS halfvec");
  pg->exec("CREATE DOMAIN vector AS text CHECK (VALUE ~ '^\\[[^]]*\\]$')");
  pg->exec("CREATE TABLE items (id bigserial PRIMARY KEY, embedding vector, content text, vectorpin jsonb)");
  pg->exec("INSERT INTO items (embedding, content) SELECT '[' || array_to_string(ARRAY(SELECT (sin(i * 0.37 + k * 1.3) "
           "* 10 ^ (k % 7 - 3))::real::text FROM generate_series(1, 24) k), ',') || ']', 'item ' || i "
           "FROM generate_series(1, 500) i");
  EXPECT_EQ(pg->value("SELECT embedding FROM items WHERE id = 1").front(), '[');
  CliRun p = pin_store("items", {"--vector-column", "embedding", "--source-column", "content"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(json::parse(p.out)["pinned"], 500);
  EXPECT_EQ(pg->value("SELECT vectorpin->>'vec_dtype' FROM items WHERE id = 9"), "f32");
  EXPECT_EQ(pg->value("SELECT vectorpin->>'vec_dim' FROM items WHERE id = 9"), "24");
  const std::vector<std::string> cols = {"--vector-column", "embedding", "--source-column", "content"};
  CliRun clean = audit("items", cat(cols, {"--bind-record-id", "--collection-id", "items"}));
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  expect_counts(summary_of(clean), "postgresql", 500, 500, 0, 0);

  // The first element replaced; a malformed value; a NULL vector.
  pg->exec("UPDATE items SET embedding = '[12345' || substring(embedding from position(',' in embedding)) WHERE id = 10");
  pg->exec("UPDATE items SET embedding = '[1,,2]' WHERE id = 11");
  pg->exec("UPDATE items SET embedding = NULL WHERE id = 12");
  CliRun r = audit("items", cat(cols, {"--report", report}));
  EXPECT_EQ(r.exit_code, 1);
  expect_counts(summary_of(r), "postgresql", 500, 497, 3, 0);
  EXPECT_EQ(report_codes(read_file(report)),
            (std::map<std::string, std::string>{{"10", status(VECTORPIN_VECTOR_TAMPERED)},
                                                {"11", "VECTOR_UNREADABLE"},
                                                {"12", "VECTOR_MISSING"}}));

  // Upstream's command name, with --dsn mapped onto --store.
  CliRun up = run_cli(dir, cat(cat({"audit-pgvector", "--dsn", g_server->conninfo(), "--table", "items"},
                                   key.verify_args()),
                               cols));
  EXPECT_EQ(up.exit_code, 1) << up.err;
  expect_counts(summary_of(up), "postgresql", 500, 497, 3, 0);
  CliRun up_uri = run_cli(dir, cat(cat({"audit-pgvector", "--url", g_server->uri(), "--table", "items",
                                        "--vector-column", "embedding"},
                                       key.verify_args()),
                                   {"--report", report}));
  EXPECT_EQ(up_uri.exit_code, 1) << up_uri.err;
  EXPECT_NE(up_uri.err.find("source text is not verified"), std::string::npos) << up_uri.err;
  EXPECT_EQ(run_cli(dir, cat({"audit-pgvector", "--table", "items"}, key.verify_args())).exit_code, 2);

  // pgvector's half-precision type is refused with the reason.
  pg->exec("CREATE DOMAIN halfvec AS text");
  pg->exec("ALTER TABLE items ADD COLUMN half halfvec");
  CliRun half = audit("items", cat({"--vector-column", "half"}, {"--source-column", "content"}));
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_NE(half.err.find("halfvec"), std::string::npos) << half.err;
  CliRun fmt = audit("items", cat(cols, {"--vector-format", "json"}));
  EXPECT_EQ(fmt.exit_code, 2) << fmt.err;
}

// Shards of a PostgreSQL table (integer and text ids, one NULL id, defects)
// add up to the whole audit, and a different table refuses to merge.
TEST_F(PostgresAudit, ShardedAuditsAddUpToTheWholeAudit) {
  create_real_table("shards", 500, 12);
  ASSERT_EQ(pin_store("shards").exit_code, 0);
  pg->exec("UPDATE shards SET source = source || '!' WHERE id IN (7, 70, 300)");
  pg->exec("UPDATE shards SET vectorpin = NULL WHERE id IN (8, 9)");
  pg->exec("UPDATE shards SET vector[2] = 0 WHERE id = 11");
  std::vector<std::string> base = cat(cat({"audit", "--store", store(), "--table", "shards"}, key.verify_args()),
                                      {"--bind-record-id"});
  json whole = expect_shards_add_up(dir, base, 4);
  EXPECT_EQ(whole["total"], 500);
  EXPECT_EQ(whole["verification_failed"], 4);

  pg->exec("DROP TABLE IF EXISTS shards_text");
  pg->exec("CREATE TABLE shards_text AS SELECT 'doc-' || id AS id, vector, source, vectorpin FROM shards");
  pg->exec("UPDATE shards_text SET id = NULL WHERE id = 'doc-20'");
  expect_shards_add_up(dir, cat(cat({"audit", "--store", store(), "--table", "shards_text"}, key.verify_args()), {}), 3);

  CliRun a = run_cli(dir, cat(base, {"--shard", "0/2"}));
  CliRun b = run_cli(dir, cat(cat({"audit", "--store", store(), "--table", "shards_text"}, key.verify_args()),
                              {"--shard", "1/2"}));
  write_file(dir / "a.json", a.out);
  write_file(dir / "b.json", b.out);
  EXPECT_NE(json::parse(a.out)["location"].get<std::string>().find("postgresql://"), std::string::npos);
  CliRun mixed = run_cli(dir, {"audit-merge", dir / "a.json", dir / "b.json"});
  EXPECT_EQ(mixed.exit_code, 2) << mixed.err;
}

// A json or text column holding JSON vectors is read like every other entry
// point: a pin made by `pin --vector v.json --dtype f32` on the hard cases
// verifies from PostgreSQL, and pin-store hashes the same floats.
TEST_F(PostgresAudit, JsonVectorsReadLikeEveryOtherEntryPoint) {
  write_file(dir / "v.json", kF32Text);
  write_file(dir / "source.txt", "src");
  CliRun made = run_cli(dir, {"pin", "--private-key", key.priv, "--key-id", key.kid, "--model", "m1", "--source",
                              dir / "source.txt", "--vector", dir / "v.json", "--dtype", "f32"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::string pin = made.out.substr(0, made.out.find_last_not_of('\n') + 1);
  for (const char* type : {"json", "text"}) {
    SCOPED_TRACE(type);
    pg->exec("DROP TABLE IF EXISTS jv");
    pg->exec(std::string("CREATE TABLE jv (id text PRIMARY KEY, vector ") + type + ", source text, vectorpin text)");
    pg->query("INSERT INTO jv VALUES ('a', $1, 'src', $2)", {kF32Text, pin});
    pg->query("INSERT INTO jv VALUES ('b', $1, 'src', NULL)", {kF32Text});
    CliRun a = audit("jv", {"--vector-format", "json", "--report", report});
    EXPECT_EQ(a.exit_code, 0) << a.err << read_file(report);
    CliRun p = pin_store("jv", {"--vector-format", "json", "--dtype", "f32", "--only-unpinned", "--no-progress"});
    ASSERT_EQ(p.exit_code, 0) << p.err;
    json stored = json::parse(pg->value("SELECT vectorpin FROM jv WHERE id = 'b'"));
    EXPECT_EQ(stored["vec_hash"], json::parse(pin)["vec_hash"]);
  }
}

}  // namespace
}  // namespace audit_test
