// `vectorpin pin-store` and `vectorpin audit` on SQLite stores, run as a user
// would run them: a database file in, a JSON summary, a report and an exit
// code out.
#include <pty.h>
#include <poll.h>

#include <chrono>
#include <thread>

#include "audit_support.hpp"

namespace audit_test {
namespace {

using P = Sqlite;

class SqliteAudit : public ::testing::Test {
 protected:
  TempDir dir;
  TestKey key{dir};
  std::string db = dir / "store.db";
  std::string report = dir / "report.jsonl";

  std::string store() const { return "sqlite:" + db; }

  void create_docs(size_t n, size_t dim, const std::string& table = "docs") {
    Sqlite s(db);
    s.exec("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, vector BLOB, source TEXT, vectorpin TEXT)");
    s.exec("BEGIN");
    for (size_t i = 1; i <= n; ++i)
      s.run("INSERT INTO " + table + " VALUES (?1, ?2, ?3, NULL)",
            {P::integer(static_cast<int64_t>(i)), P::blob(f32_blob(test_vector(i, dim))),
             P::text("document number " + std::to_string(i))});
    s.exec("COMMIT");
  }

  // An audit of table docs with a record size limit, reporting to `report`;
  // `peak` gets the audit's peak RSS in KiB.
  CliRun audit_measured(size_t limit, long& peak) {
    return run_cli_rss(dir,
                       cat(cat({"audit", "--store", store(), "--table", "docs"}, key.verify_args()),
                           {"--max-record-bytes", std::to_string(limit), "--report", report, "--threads", "2"}),
                       peak);
  }

  CliRun pin_store(const std::vector<std::string>& extra = {}, const std::vector<std::string>& env = {}) {
    return run_cli(dir,
                   cat({"pin-store", "--store", store(), "--table", "docs", "--private-key", key.priv, "--key-id",
                        key.kid, "--model", "m1"},
                       extra),
                   env);
  }

  CliRun audit(const std::vector<std::string>& extra = {}) {
    return run_cli(dir, cat(cat({"audit", "--store", store(), "--table", "docs"}, key.verify_args()), extra));
  }

  int64_t pinned_rows(const std::string& table = "docs") {
    Sqlite s(db);
    return s.scalar("SELECT count(*) FROM " + table + " WHERE vectorpin IS NOT NULL");
  }

  std::string pin_of(int64_t id) {
    Sqlite s(db);
    return s.text_value("SELECT vectorpin FROM docs WHERE id = " + std::to_string(id));
  }
};

TEST_F(SqliteAudit, TwentyThousandRecordsWithDefectsInTheMiddle) {
  const size_t n = 20000, dim = 32;
  create_docs(n, dim);
  CliRun p = pin_store({"--threads", "0"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  json ps = json::parse(p.out);
  EXPECT_EQ(ps["pinned"], n);
  EXPECT_EQ(pinned_rows(), static_cast<int64_t>(n));

  CliRun clean = audit({"--bind-record-id", "--collection-id", "docs", "--expect-model", "m1", "--report", report});
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  expect_counts(summary_of(clean), "sqlite", n, n, 0, 0);
  EXPECT_EQ(read_file(report), "");

  {
    Sqlite s(db);
    std::string p10013 = pin_of(10013), p10014 = pin_of(10014);
    s.exec("UPDATE docs SET vectorpin = '{\"v\":2,\"kid\":' WHERE id = 10000");
    s.exec("UPDATE docs SET vectorpin = NULL WHERE id BETWEEN 10001 AND 10005");
    s.exec("UPDATE docs SET vector = NULL WHERE id = 10006");
    s.exec("UPDATE docs SET source = NULL WHERE id = 10007");
    s.run("UPDATE docs SET vector = ?1 WHERE id = 10008", {P::blob(f32_blob(test_vector(10008, dim - 1)))});
    s.run("UPDATE docs SET vector = ?1 WHERE id = 10009", {P::blob(std::string(127, 'x'))});
    s.exec("UPDATE docs SET vector = '[1,2,3]' WHERE id = 10010");
    s.exec("UPDATE docs SET vectorpin = 42 WHERE id = 10011");
    s.run("UPDATE docs SET vectorpin = ?1 WHERE id = 10012", {P::text(p10013)});
    // No vector, and a pin whose kid nobody registered: the pin's own failure
    // comes first, as in the protocol's order.
    std::string bad_kid = p10014;
    bad_kid.replace(bad_kid.find("audit-test"), 10, "audit-tesX");
    s.run("UPDATE docs SET vectorpin = ?1, vector = NULL WHERE id = 10014", {P::text(bad_kid)});
    // No source and a tampered vector: the vector is checked first.
    s.run("UPDATE docs SET source = NULL, vector = ?1 WHERE id = 10015", {P::blob(f32_blob(test_vector(1, dim)))});
  }
  const std::map<std::string, std::string> expected = {
      {"10000", status(VECTORPIN_PARSE_ERROR)},      {"10006", "VECTOR_MISSING"},
      {"10007", "SOURCE_MISSING"},                   {"10008", status(VECTORPIN_SHAPE_MISMATCH)},
      {"10009", "VECTOR_UNREADABLE"},                {"10010", "VECTOR_UNREADABLE"},
      {"10011", status(VECTORPIN_PARSE_ERROR)},      {"10012", status(VECTORPIN_VECTOR_TAMPERED)},
      {"10014", status(VECTORPIN_UNKNOWN_KEY)},      {"10015", status(VECTORPIN_VECTOR_TAMPERED)}};

  CliRun r = audit({"--bind-record-id", "--collection-id", "docs", "--report", report, "--threads", "0"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json s = summary_of(r);
  expect_counts(s, "sqlite", n, n - 15, 10, 5);
  EXPECT_EQ(s["by_error"], json({{"PARSE_ERROR", 2}, {"SHAPE_MISMATCH", 1}, {"SOURCE_MISSING", 1}, {"UNKNOWN_KEY", 1},
                                 {"VECTOR_MISSING", 1}, {"VECTOR_TAMPERED", 2}, {"VECTOR_UNREADABLE", 2}}));
  std::string report_all_threads = read_file(report);
  EXPECT_EQ(report_codes(report_all_threads), expected);
  for (const auto& line : report_lines(report_all_threads)) {
    EXPECT_TRUE(line["detail"].is_string());
    EXPECT_FALSE(line["detail"].get<std::string>().empty()) << line.dump();
  }

  // One thread gives the same report, line for line: failures come in store order.
  CliRun one = audit({"--bind-record-id", "--collection-id", "docs", "--report", report, "--threads", "1"});
  EXPECT_EQ(one.exit_code, 1);
  EXPECT_EQ(read_file(report), report_all_threads);

  // Unpinned records become failures on request, and are then reported.
  CliRun strict = audit({"--bind-record-id", "--collection-id", "docs", "--report", report, "--fail-on-unpinned"});
  EXPECT_EQ(strict.exit_code, 1);
  auto codes = report_codes(read_file(report));
  for (int id = 10001; id <= 10005; ++id) EXPECT_EQ(codes[std::to_string(id)], "UNPINNED");
  EXPECT_EQ(codes.size(), expected.size() + 5);

  // Without --report the lines go to stderr; stdout holds only the summary.
  CliRun to_stderr = audit({"--bind-record-id", "--collection-id", "docs"});
  EXPECT_EQ(to_stderr.exit_code, 1);
  EXPECT_EQ(report_codes(to_stderr.err), expected);
  summary_of(to_stderr);
}

TEST_F(SqliteAudit, UnpinnedRecordsFailOnlyOnRequest) {
  create_docs(50, 8);
  ASSERT_EQ(pin_store().exit_code, 0);
  {
    Sqlite s(db);
    s.exec("UPDATE docs SET vectorpin = NULL WHERE id IN (3, 30)");
  }
  CliRun lax = audit({"--report", report});
  EXPECT_EQ(lax.exit_code, 0) << lax.err;
  expect_counts(summary_of(lax), "sqlite", 50, 48, 0, 2);
  EXPECT_EQ(read_file(report), "");
  CliRun strict = audit({"--report", report, "--fail-on-unpinned"});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_EQ(report_codes(read_file(report)), (std::map<std::string, std::string>{{"3", "UNPINNED"}, {"30", "UNPINNED"}}));
}

TEST_F(SqliteAudit, NullIdsAndRecordBinding) {
  {
    Sqlite s(db);
    s.exec("CREATE TABLE docs (id TEXT, vector BLOB, source TEXT, vectorpin TEXT)");
    for (int i = 0; i < 4; ++i)
      s.run("INSERT INTO docs VALUES (?1, ?2, ?3, NULL)",
            {i == 2 ? P::null() : P::text("r" + std::to_string(i)), P::blob(f32_blob(test_vector(static_cast<uint64_t>(i), 8))),
             P::text("s")});
  }
  // Binding needs every record to have an id: nothing is written.
  CliRun refused = pin_store();
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.err.find("NULL"), std::string::npos) << refused.err;
  EXPECT_EQ(pinned_rows(), 0);

  CliRun unbound = pin_store({"--no-bind-record"});
  ASSERT_EQ(unbound.exit_code, 0) << unbound.err;
  EXPECT_EQ(pinned_rows(), 4);
  CliRun plain = audit({"--report", report});
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  // Expecting record ids: pins without the binding fail, and so does the record without an id.
  CliRun bound = audit({"--report", report, "--bind-record-id"});
  EXPECT_EQ(bound.exit_code, 1);
  auto lines = report_lines(read_file(report));
  ASSERT_EQ(lines.size(), 4u);
  for (const auto& l : lines) EXPECT_EQ(l["error"], status(VECTORPIN_RECORD_MISMATCH));
  EXPECT_TRUE(lines[2]["id"].is_null());
  EXPECT_EQ(pin_extra(Sqlite(db).text_value("SELECT vectorpin FROM docs WHERE id = 'r0'"), "vectorpin.record_id"),
            "<absent>");
}

TEST_F(SqliteAudit, PinStoreBindsRecordAndCollectionAndCatchesReplay) {
  create_docs(40, 16);
  ASSERT_EQ(pin_store().exit_code, 0);
  std::string pin7 = pin_of(7);
  EXPECT_EQ(pin_extra(pin7, "vectorpin.record_id"), "7");
  EXPECT_EQ(pin_extra(pin7, "vectorpin.collection_id"), "docs");
  EXPECT_EQ(audit({"--bind-record-id", "--collection-id", "docs"}).exit_code, 0);

  // Replay: record 8 takes record 7's pin, vector and source. All three agree
  // with each other; only the record-id binding tells them apart.
  {
    Sqlite s(db);
    s.exec("UPDATE docs SET (vector, source, vectorpin) = (SELECT vector, source, vectorpin FROM docs WHERE id = 7) "
           "WHERE id = 8");
  }
  CliRun without_binding = audit({"--report", report});
  EXPECT_EQ(without_binding.exit_code, 0) << "the replay is invisible without the record binding";
  CliRun with_binding = audit({"--report", report, "--bind-record-id"});
  EXPECT_EQ(with_binding.exit_code, 1);
  EXPECT_EQ(report_codes(read_file(report)),
            (std::map<std::string, std::string>{{"8", status(VECTORPIN_RECORD_MISMATCH)}}));

  // A pin moved to another collection.
  CliRun other = audit({"--report", report, "--collection-id", "archive"});
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_EQ(summary_of(other)["by_error"], json({{"COLLECTION_MISMATCH", 40}}));
}

TEST_F(SqliteAudit, PinStoreBindingOptions) {
  create_docs(5, 4);
  ASSERT_EQ(pin_store({"--collection-id", "kb-main"}).exit_code, 0);
  EXPECT_EQ(pin_extra(pin_of(1), "vectorpin.collection_id"), "kb-main");
  EXPECT_EQ(audit({"--collection-id", "kb-main", "--bind-record-id"}).exit_code, 0);

  ASSERT_EQ(pin_store({"--overwrite", "--no-bind-record", "--no-bind-collection", "--extra", "team=search"}).exit_code, 0);
  EXPECT_EQ(pin_extra(pin_of(1), "vectorpin.record_id"), "<absent>");
  EXPECT_EQ(pin_extra(pin_of(1), "vectorpin.collection_id"), "<absent>");
  EXPECT_EQ(pin_extra(pin_of(1), "team"), "search");
  EXPECT_EQ(pin_store({"--overwrite", "--extra", "vectorpin.record_id=9"}).exit_code, 2);
  EXPECT_EQ(pin_store({"--overwrite", "--model-hash", "not-a-hash"}).exit_code, 2);
}

TEST_F(SqliteAudit, PinStoreRefusesToRepinSilently) {
  create_docs(30, 8);
  ASSERT_EQ(pin_store().exit_code, 0);
  std::string before = pin_of(5);
  CliRun again = pin_store();
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("--overwrite"), std::string::npos);
  {
    Sqlite s(db);
    s.exec("UPDATE docs SET vectorpin = NULL WHERE id IN (10, 11)");
  }
  CliRun rest = pin_store({"--only-unpinned", "--timestamp", "2030-01-01T00:00:00Z"});
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  EXPECT_EQ(json::parse(rest.out)["pinned"], 2);
  EXPECT_EQ(pin_of(5), before);
  EXPECT_NE(pin_of(10).find("2030-01-01T00:00:00Z"), std::string::npos);
  CliRun all = pin_store({"--overwrite", "--timestamp", "2031-01-01T00:00:00Z"});
  ASSERT_EQ(all.exit_code, 0);
  EXPECT_EQ(json::parse(all.out)["pinned"], 30);
  EXPECT_NE(pin_of(5).find("2031-01-01T00:00:00Z"), std::string::npos);
  EXPECT_EQ(audit().exit_code, 0);
}

TEST_F(SqliteAudit, PinStoreRollsBackOnAnInvalidRow) {
  create_docs(3000, 8);
  {
    Sqlite s(db);
    s.exec("UPDATE docs SET vector = NULL WHERE id = 2500");
  }
  CliRun r = pin_store();
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("record 2500"), std::string::npos) << r.err;
  EXPECT_EQ(pinned_rows(), 0) << "the rows before the invalid one must not stay pinned";
  CliRun skip = pin_store({"--skip-invalid"});
  ASSERT_EQ(skip.exit_code, 0) << skip.err;
  EXPECT_EQ(json::parse(skip.out)["pinned"], 2999);
  EXPECT_EQ(json::parse(skip.out)["skipped"], 1);
  EXPECT_EQ(pinned_rows(), 2999);
}

// A pin-store killed with SIGKILL half-way through its transaction (7000 of
// 20000 rows written) leaves the table exactly as it was, and a second run
// from there completes.
TEST_F(SqliteAudit, InterruptedPinStoreLeavesTheTableConsistent) {
  const size_t n = 20000;
  create_docs(n, 16);
  bool paused = false;
  CliRun killed = kill_mid_transaction(dir,
                                       {"pin-store", "--store", store(), "--table", "docs", "--private-key", key.priv,
                                        "--key-id", key.kid, "--model", "m1"},
                                       7000, paused);
  ASSERT_TRUE(paused) << "pin-store ended before the pause: exit " << killed.exit_code << ": " << killed.err;
  EXPECT_EQ(killed.signal, SIGKILL);
  EXPECT_NE(killed.err.find("paused after 7000 rows"), std::string::npos) << killed.err;
  EXPECT_TRUE(fs::exists(db + "-journal")) << "the kill must land inside the write transaction";
  EXPECT_EQ(pinned_rows(), 0) << "a killed pin-store must leave all pins or none";
  CliRun a = audit();
  EXPECT_EQ(a.exit_code, 0) << a.err;
  expect_counts(summary_of(a), "sqlite", n, 0, 0, n);
  {
    Sqlite s(db);
    EXPECT_EQ(s.text_value("PRAGMA integrity_check"), "ok");
  }
  CliRun again = pin_store();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(pinned_rows(), static_cast<int64_t>(n));
  CliRun after = audit({"--bind-record-id", "--collection-id", "docs"});
  EXPECT_EQ(after.exit_code, 0) << after.err;
  expect_counts(summary_of(after), "sqlite", n, n, 0, 0);
}

// A pin-store interrupted at any point of its transaction (SIGKILL, or SIGINT
// as Ctrl-C sends) leaves a hot journal behind. The very next audit, before
// anything else has opened the file, must still run, see the table as it was
// before (nothing lost, nothing half-written), and leave it readable.
TEST_F(SqliteAudit, InterruptedPinStoreDoesNotStopTheNextAudit) {
  const size_t n = 6000;
  create_docs(n, 16);
  const std::vector<std::string> args = {"pin-store", "--store", store(), "--table", "docs", "--private-key", key.priv,
                                         "--key-id", key.kid, "--model", "m1", "--no-progress"};
  struct Point {
    long rows;
    int sig;
  };
  for (Point at : {Point{1, SIGKILL}, Point{3000, SIGKILL}, Point{static_cast<long>(n), SIGKILL}, Point{2500, SIGINT}}) {
    SCOPED_TRACE("killed after " + std::to_string(at.rows) + " rows with signal " + std::to_string(at.sig));
    bool paused = false;
    CliRun killed = kill_mid_transaction(dir, args, at.rows, paused, at.sig);
    ASSERT_TRUE(paused) << "pin-store ended before the pause: exit " << killed.exit_code << ": " << killed.err;
    EXPECT_EQ(killed.signal, at.sig);
    ASSERT_TRUE(fs::exists(db + "-journal")) << "the kill must leave a hot journal";
    EXPECT_GT(fs::file_size(db + "-journal"), 0u);
    // Nothing has touched the file since the kill: the audit comes first.
    CliRun a = audit({"--no-progress", "--threads", "2"});
    EXPECT_EQ(a.exit_code, 0) << a.err;
    expect_counts(summary_of(a), "sqlite", n, 0, 0, n);
    EXPECT_EQ(a.err.find("readonly"), std::string::npos) << a.err;
    Sqlite s(db);
    EXPECT_EQ(s.text_value("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(s.scalar("SELECT count(*) FROM docs WHERE vectorpin IS NULL AND length(vector) = 64 AND source = "
                       "'document number ' || id"),
              static_cast<int64_t>(n))
        << "every row must be as it was before the interrupted run";
  }
  CliRun again = pin_store({"--no-progress"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  CliRun after = audit({"--bind-record-id", "--collection-id", "docs", "--no-progress"});
  EXPECT_EQ(after.exit_code, 0) << after.err;
  expect_counts(summary_of(after), "sqlite", n, n, 0, 0);
}

// Hostile records cannot exhaust the auditor's memory: records over
// --max-record-bytes are each one RECORD_TOO_LARGE failure and are never
// loaded, and the records in flight are bounded in bytes, so the peak stays
// under the bound docs/AUDIT.md states (48 MiB + 4 x the limit, for a limit
// of at least 16 MiB: here 4 MiB is raised to that floor, giving 112 MiB).
TEST_F(SqliteAudit, HostileRecordsStayWithinTheMemoryBound) {
  const size_t limit = size_t(4) << 20;
  {
    Sqlite s(db);
    s.exec("CREATE TABLE docs (id INTEGER PRIMARY KEY, vector BLOB, source TEXT, vectorpin TEXT)");
    s.exec("BEGIN");
    std::string big_text(3u << 20, 'a');    // under the limit: read and verified
    std::string huge_text(40u << 20, 'b');  // over it: never loaded
    for (int i = 1; i <= 60; ++i) {
      std::vector<float> v = test_vector(static_cast<uint64_t>(i), 16);
      bool huge = i % 20 == 0, big = i % 3 == 0;
      std::string src = huge ? huge_text : big ? big_text : "small " + std::to_string(i);
      s.run("INSERT INTO docs VALUES (?1, ?2, ?3, ?4)",
            {P::integer(i), P::blob(f32_blob(v)), P::text(src), P::text(key.pin_f32(src, v))});
    }
    // A huge blob vector and a huge pin count too.
    s.run("INSERT INTO docs VALUES (61, ?1, 'x', NULL)", {P::blob(std::string(40u << 20, '\0'))});
    s.run("INSERT INTO docs VALUES (62, NULL, 'x', ?1)", {P::text(std::string(40u << 20, '{'))});
    s.exec("COMMIT");
  }
  long peak = 0;
  CliRun r = audit_measured(limit, peak);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json s = summary_of(r);
  expect_counts(s, "sqlite", 62, 57, 5, 0);
  EXPECT_EQ(s["by_error"], json({{"RECORD_TOO_LARGE", 5}}));
  auto codes = report_codes(read_file(report));
  for (const char* id : {"20", "40", "60", "61", "62"}) EXPECT_EQ(codes[id], "RECORD_TOO_LARGE") << id;
  EXPECT_LT(peak, (48 + 4 * 16) * 1024) << "peak RSS " << peak / 1024 << " MiB";
  std::printf("peak RSS of the audit: %ld MiB\n", peak / 1024);
}

// A WITHOUT ROWID table has no incremental-I/O handles: the audit measures
// its records with length(), which reads a TEXT value whole (it counts
// characters), so an oversized TEXT value is loaded before it is refused,
// several times over (docs/AUDIT.md states the bound this test checks).
TEST_F(SqliteAudit, WithoutRowidTextIsReadWholeToBeMeasured) {
  const size_t limit = size_t(4) << 20;
  const long huge_mib = 40;
  {
    Sqlite s(db);
    s.exec("CREATE TABLE docs (id TEXT PRIMARY KEY, vector BLOB, source TEXT, vectorpin TEXT) WITHOUT ROWID");
    std::vector<float> v = test_vector(1, 16);
    s.run("INSERT INTO docs VALUES ('ok', ?1, 'small', ?2)", {P::blob(f32_blob(v)), P::text(key.pin_f32("small", v))});
    s.run("INSERT INTO docs VALUES ('huge', ?1, ?2, NULL)",
          {P::blob(f32_blob(v)), P::text(std::string(static_cast<size_t>(huge_mib) << 20, 's'))});
  }
  long peak = 0;
  CliRun r = audit_measured(limit, peak);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  expect_counts(summary_of(r), "sqlite", 2, 1, 1, 0);
  auto codes = report_codes(read_file(report));
  EXPECT_EQ(codes["huge"], "RECORD_TOO_LARGE");
  EXPECT_EQ(codes.count("ok"), 0u);
  std::printf("peak RSS of the audit: %ld MiB\n", peak / 1024);
  // The documented bound: 48 MiB + 4 x the budget, plus 5 x the largest TEXT value.
  EXPECT_LT(peak, (48 + 4 * 16 + 5 * huge_mib) * 1024) << "peak RSS " << peak / 1024 << " MiB";
  // Were the value measured without being read, the peak would stay near
  // the rowid case's; then docs/AUDIT.md's WITHOUT ROWID note is out of date.
  EXPECT_GT(peak, huge_mib * 1024) << "peak RSS " << peak / 1024
                                   << " MiB: the TEXT value was not read to be measured; update docs/AUDIT.md";
}

// The installed program carries no fault points: only the test build reads
// the pause variables.
TEST_F(SqliteAudit, InstalledProgramHasNoFaultPoints) {
  std::string program = read_file(VECTORPIN_CLI);
  ASSERT_FALSE(program.empty());
  EXPECT_EQ(program.find("VECTORPIN_TEST_PAUSE"), std::string::npos);
  EXPECT_NE(read_file(VECTORPIN_CLI_FAULTS).find("VECTORPIN_TEST_PAUSE_AFTER_ROWS"), std::string::npos);
  create_docs(20, 4);
  CliRun p = pin_store({"--no-progress"}, {"VECTORPIN_TEST_PAUSE_AFTER_ROWS=3"});
  EXPECT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(pinned_rows(), 20);
}

// The same with the rows that were already pinned: an interrupted
// --overwrite keeps every old pin.
TEST_F(SqliteAudit, InterruptedOverwriteKeepsTheOldPins) {
  const size_t n = 5000;
  create_docs(n, 8);
  ASSERT_EQ(pin_store({"--timestamp", "2026-01-01T00:00:00Z"}).exit_code, 0);
  std::string before = pin_of(4321);
  bool paused = false;
  CliRun killed = kill_mid_transaction(dir,
                                       {"pin-store", "--store", store(), "--table", "docs", "--private-key", key.priv,
                                        "--key-id", key.kid, "--model", "m1", "--overwrite", "--timestamp",
                                        "2027-01-01T00:00:00Z"},
                                       4500, paused);
  ASSERT_TRUE(paused) << killed.err;
  EXPECT_EQ(killed.signal, SIGKILL);
  EXPECT_EQ(pin_of(4321), before);
  Sqlite s(db);
  EXPECT_EQ(s.scalar("SELECT count(*) FROM docs WHERE vectorpin LIKE '%2026-01-01T00:00:00Z%'"), static_cast<int64_t>(n));
}

TEST_F(SqliteAudit, WithoutRowidTablesArePagedByTheirKey) {
  {
    Sqlite s(db);
    s.exec("CREATE TABLE docs (id TEXT PRIMARY KEY, vector BLOB, source TEXT, vectorpin TEXT) WITHOUT ROWID");
    s.exec("BEGIN");
    for (int i = 0; i < 2500; ++i)
      s.run("INSERT INTO docs VALUES (?1, ?2, ?3, NULL)",
            {P::text("key-" + std::to_string(i)), P::blob(f32_blob(test_vector(static_cast<uint64_t>(i), 8))), P::text("t")});
    s.exec("COMMIT");
  }
  ASSERT_EQ(pin_store().exit_code, 0);
  EXPECT_EQ(pinned_rows(), 2500);
  CliRun a = audit({"--bind-record-id", "--collection-id", "docs"});
  EXPECT_EQ(a.exit_code, 0) << a.err;
  expect_counts(summary_of(a), "sqlite", 2500, 2500, 0, 0);
}

TEST_F(SqliteAudit, VectorFormatsF64AndJson) {
  {
    Sqlite s(db);
    s.exec("CREATE TABLE docs (id INTEGER PRIMARY KEY, vector, source TEXT, vectorpin TEXT)");
    for (int i = 1; i <= 20; ++i) {
      std::vector<float> f = test_vector(static_cast<uint64_t>(i), 24);
      std::vector<double> d(f.begin(), f.end());
      for (auto& x : d) x *= 1.0 + 1e-12;  // not representable in f32
      s.run("INSERT INTO docs VALUES (?1, ?2, 's', NULL)", {P::integer(i), P::blob(f64_blob(d))});
    }
  }
  ASSERT_EQ(pin_store({"--vector-format", "blob-f64"}).exit_code, 0);
  EXPECT_NE(pin_of(1).find("\"vec_dtype\":\"f64\""), std::string::npos);
  CliRun ok = audit({"--vector-format", "blob-f64"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  // Read as f32, the same bytes are half as many elements.
  CliRun wrong = audit({"--vector-format", "blob-f32"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_EQ(summary_of(wrong)["by_error"], json({{"SHAPE_MISMATCH", 20}}));

  // JSON text vectors, pinned as f32: the decimals are read straight to float.
  {
    Sqlite s(db);
    s.exec("UPDATE docs SET vectorpin = NULL");
    for (int i = 1; i <= 20; ++i)
      s.run("UPDATE docs SET vector = ?1 WHERE id = ?2",
            {P::text(json_array(test_vector(static_cast<uint64_t>(i), 24))), P::integer(i)});
  }
  ASSERT_EQ(pin_store({"--vector-format", "json", "--dtype", "f32"}).exit_code, 0);
  EXPECT_NE(pin_of(1).find("\"vec_dtype\":\"f32\""), std::string::npos);
  EXPECT_EQ(audit({"--vector-format", "json"}).exit_code, 0);
  {
    Sqlite s(db);
    std::vector<float> v = test_vector(3, 24);
    v[5] = std::nextafter(v[5], 1.0f);
    s.run("UPDATE docs SET vector = ?1 WHERE id = 3", {P::text(json_array(v))});
    s.exec("UPDATE docs SET vector = '[1, 2, \"three\"]' WHERE id = 4");
    s.exec("UPDATE docs SET vector = X'00' WHERE id = 5");  // a BLOB is read as JSON text here: not an array
  }
  CliRun t = audit({"--vector-format", "json", "--report", report});
  EXPECT_EQ(t.exit_code, 1);
  EXPECT_EQ(report_codes(read_file(report)),
            (std::map<std::string, std::string>{
                {"3", status(VECTORPIN_VECTOR_TAMPERED)}, {"4", "VECTOR_UNREADABLE"}, {"5", "VECTOR_UNREADABLE"}}));
  EXPECT_EQ(pin_store({"--overwrite", "--vector-format", "blob-f32", "--dtype", "f32"}).exit_code, 2);
}

TEST_F(SqliteAudit, IdentifiersAreValidatedNeverInterpolated) {
  create_docs(5, 4);
  ASSERT_EQ(pin_store().exit_code, 0);
  for (const std::string& evil : {std::string("docs; DROP TABLE docs"), std::string("docs\" --"), std::string("1docs"),
                                   std::string("do cs"), std::string(""), std::string(64, 'a'), std::string("d\xc3\xa9")}) {
    CliRun r = run_cli(dir, cat({"audit", "--store", store(), "--table", evil}, key.verify_args()));
    EXPECT_EQ(r.exit_code, 2) << evil;
    EXPECT_NE(r.err.find("identifier"), std::string::npos) << r.err;
  }
  for (const char* opt : {"--id-column", "--vector-column", "--source-column", "--pin-column"}) {
    CliRun r = audit({opt, "x\"); DELETE FROM docs; --"});
    EXPECT_EQ(r.exit_code, 2) << opt;
  }
  CliRun pr = pin_store({"--overwrite", "--pin-column", "vectorpin = NULL; --"});
  EXPECT_EQ(pr.exit_code, 2);
  Sqlite s(db);
  EXPECT_EQ(s.scalar("SELECT count(*) FROM docs WHERE vectorpin IS NOT NULL"), 5) << "nothing was touched";
}

TEST_F(SqliteAudit, MissingTablesColumnsAndFilesAreReported) {
  create_docs(3, 4);
  ASSERT_EQ(pin_store().exit_code, 0);
  CliRun no_table = run_cli(dir, cat({"audit", "--store", store(), "--table", "nope"}, key.verify_args()));
  EXPECT_EQ(no_table.exit_code, 2);
  EXPECT_NE(no_table.err.find("does not exist"), std::string::npos) << no_table.err;
  CliRun no_col = audit({"--vector-column", "embedding"});
  EXPECT_EQ(no_col.exit_code, 2);
  EXPECT_NE(no_col.err.find("embedding"), std::string::npos);
  CliRun no_src = audit({"--source-column", "text"});
  EXPECT_EQ(no_src.exit_code, 2);
  EXPECT_NE(no_src.err.find("--no-source"), std::string::npos);
  {
    Sqlite s(db);
    s.exec("UPDATE docs SET source = 'changed'");
  }
  CliRun skip_src = audit({"--no-source"});
  EXPECT_EQ(skip_src.exit_code, 0) << "--no-source skips source checks";
  EXPECT_EQ(audit().exit_code, 1);

  CliRun missing = run_cli(dir, cat({"audit", "--store", "sqlite:" + (dir / "absent.db"), "--table", "docs"}, key.verify_args()));
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_FALSE(fs::exists(dir / "absent.db")) << "auditing must never create a database";
  EXPECT_EQ(run_cli(dir, cat({"audit", "--store", "mysql://x", "--table", "docs"}, key.verify_args())).exit_code, 2);
  EXPECT_EQ(run_cli(dir, cat({"audit", "--store", store()}, key.verify_args())).exit_code, 2);
  EXPECT_EQ(run_cli(dir, {"audit", "--store", store(), "--table", "docs"}).exit_code, 2);
  EXPECT_EQ(audit({"--threads", "many"}).exit_code, 2);
  EXPECT_EQ(audit({"--vector-format", "npy"}).exit_code, 2);
  EXPECT_EQ(audit({"--report", dir / "no/such/dir/report.jsonl"}).exit_code, 3);
}

TEST_F(SqliteAudit, RegistryWindowsModelAndLegacyV1) {
  create_docs(12, 8);
  ASSERT_EQ(pin_store({"--timestamp", "2026-05-05T12:00:00Z"}).exit_code, 0);
  uint8_t pk[32];
  ASSERT_EQ(vectorpin_signer_public_key(key.signer, pk, 32, nullptr), VECTORPIN_OK);
  char* b64 = nullptr;
  size_t b64n = 0;
  ASSERT_EQ(vectorpin_base64url_encode(&b64, &b64n, pk, 32, nullptr), VECTORPIN_OK);
  std::string pkb64(b64, b64n);
  vectorpin_free(b64);
  auto registry = [&](const json& until) {
    std::string path = dir / "registry.json";
    write_file(path, json({{key.kid, {{"public_key", pkb64}, {"valid_from", nullptr}, {"valid_until", until}}}}).dump());
    return path;
  };
  auto audit_registry = [&](const std::string& reg, const std::vector<std::string>& extra = {}) {
    return run_cli(dir, cat({"audit", "--store", store(), "--table", "docs", "--registry", reg}, extra));
  };
  EXPECT_EQ(audit_registry(registry(nullptr)).exit_code, 0);
  EXPECT_EQ(audit_registry(registry("2027-01-01T00:00:00Z")).exit_code, 0);
  CliRun expired = audit_registry(registry("2026-01-01T00:00:00Z"));
  EXPECT_EQ(expired.exit_code, 1);
  EXPECT_EQ(summary_of(expired)["by_error"], json({{"KEY_EXPIRED", 12}}));
  EXPECT_EQ(audit({"--registry", registry(nullptr)}).exit_code, 2) << "--registry replaces --public-key";

  CliRun model = audit({"--expect-model", "m2"});
  EXPECT_EQ(model.exit_code, 1);
  EXPECT_EQ(summary_of(model)["by_error"], json({{"MODEL_MISMATCH", 12}}));

  ASSERT_EQ(pin_store({"--overwrite", "--protocol", "1"}).exit_code, 0);
  CliRun v1 = audit();
  EXPECT_EQ(v1.exit_code, 1);
  EXPECT_EQ(summary_of(v1)["by_error"], json({{"UNSUPPORTED_VERSION", 12}}));
  EXPECT_EQ(audit({"--legacy-v1", "--bind-record-id"}).exit_code, 0);
}

// The fixture files, laid out as a store: every positive case verifies and
// every negative case fails with its expected code.
TEST_F(SqliteAudit, FixtureFilesAsAStore) {
  json pos = json::parse(read_file(vectors_dir() + "/v2.json"));
  json neg = json::parse(read_file(vectors_dir() + "/negative_v2.json"));
  ASSERT_GE(pos["fixtures"].size(), 1u);
  ASSERT_GE(neg["fixtures"].size(), 1u);
  {
    Sqlite s(db);
    for (const char* t : {"fx32", "fx64", "fx_model", "fx_record"})
      s.exec(std::string("CREATE TABLE ") + t + " (id TEXT, vector BLOB, source TEXT, vectorpin TEXT)");
  }
  std::string registry = dir / "registry.json";
  write_file(registry, json({{pos["key_id"], {{"public_key", pos["public_key_b64"]}}}}).dump());

  const json& base = pos["fixtures"][0];
  std::string base_vec = b64decode(base["input"]["vec_b64"]);
  std::string base_src = base["input"]["source"];
  ASSERT_EQ(base["input"]["vec_dtype"], "f32");

  std::map<std::string, std::map<std::string, std::string>> expected;  // table -> id -> code ("" = OK)
  std::string model_expectation, record_pin;
  int cases = 0;
  Sqlite s(db);
  auto add = [&](const std::string& table, const std::string& id, const std::string& vec, const std::string& src,
                 const std::string& pin, const std::string& code) {
    s.run("INSERT INTO " + table + " VALUES (?1, ?2, ?3, ?4)", {P::text(id), P::blob(vec), P::text(src), P::text(pin)});
    expected[table][id] = code;
    ++cases;
  };
  for (const auto& f : pos["fixtures"]) {
    std::string table = f["input"]["vec_dtype"] == "f64" ? "fx64" : "fx32";
    add(table, f["name"], b64decode(f["input"]["vec_b64"]), f["input"]["source"], f["pin_json"], "");
  }
  for (const auto& f : neg["fixtures"]) {
    std::string vec = base_vec, src = base_src, table = "fx32";
    if (f.contains("tampered_vec_b64")) vec = b64decode(f["tampered_vec_b64"]);
    if (f.contains("nan_vec_b64")) vec = b64decode(f["nan_vec_b64"]);
    if ((f.contains("tampered_vec_b64") || f.contains("nan_vec_b64")) && f.value("vec_dtype", "f32") == "f64") table = "fx64";
    if (f.contains("tampered_source")) src = f["tampered_source"];
    if (f.contains("expected_model")) {
      table = "fx_model";
      model_expectation = f["expected_model"];
    }
    if (f.contains("expected_record_id")) {
      table = "fx_record";
      add(table, f["expected_record_id"], vec, src, f["pin_json"], f["expected_failure"]);
      continue;
    }
    add(table, f["name"], vec, src, f["pin_json"], f["expected_failure"]);
  }
  // The record-bound positive case, under its own id, passes the binding.
  for (const auto& f : pos["fixtures"])
    if (f["input"].contains("extra") && f["input"]["extra"].contains("vectorpin.record_id"))
      add("fx_record", f["input"]["extra"]["vectorpin.record_id"], b64decode(f["input"]["vec_b64"]), f["input"]["source"],
          f["pin_json"], "");

  auto run_table = [&](const std::string& table, const std::vector<std::string>& extra) {
    std::string fmt = table == "fx64" ? "blob-f64" : "blob-f32";
    CliRun r = run_cli(dir, cat({"audit", "--store", store(), "--table", table, "--registry", registry, "--vector-format",
                              fmt, "--report", report},
                             extra));
    std::map<std::string, std::string> want;
    size_t failures = 0;
    for (const auto& [id, code] : expected[table])
      if (!code.empty()) want[id] = code, ++failures;
    EXPECT_EQ(r.exit_code, failures ? 1 : 0) << table << ": " << r.err;
    EXPECT_EQ(report_codes(read_file(report)), want) << table;
    json sum = summary_of(r);
    EXPECT_EQ(sum["total"], expected[table].size());
    EXPECT_EQ(sum["verification_failed"], failures);
  };
  // Each table must have received cases, or its options would go untested.
  for (const char* t : {"fx32", "fx64", "fx_model", "fx_record"}) ASSERT_FALSE(expected[t].empty()) << t;
  run_table("fx32", {});
  run_table("fx64", {});
  run_table("fx_model", {"--expect-model", model_expectation});
  run_table("fx_record", {"--bind-record-id"});
  EXPECT_EQ(cases, static_cast<int>(pos["fixtures"].size() + neg["fixtures"].size() + 1));
  std::printf("[ fixtures ] %d fixture cases audited from a SQLite store\n", cases);
}

// The progress bar is for people: drawn on a terminal, never into a pipe or file.
// Runs `args` with stderr on a pseudo-terminal `columns` wide and stdout in
// `out`; returns what the terminal received.
std::string run_on_terminal(const std::vector<std::string>& args, const std::string& out, unsigned short columns,
                            int& status) {
  int master = -1, slave = -1;
  struct winsize ws {};
  ws.ws_row = 24;
  ws.ws_col = columns;
  if (openpty(&master, &slave, nullptr, nullptr, &ws) != 0) return "<openpty failed>";
  pid_t pid = fork();
  if (pid == 0) {
    int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(o, 1);
    dup2(slave, 2);
    close(master);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(slave);
  std::string tty;
  char buf[4096];
  while (true) {
    struct pollfd p = {master, POLLIN, 0};
    if (poll(&p, 1, 30000) <= 0) break;
    ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0) break;
    tty.append(buf, static_cast<size_t>(n));
  }
  close(master);
  waitpid(pid, &status, 0);
  return tty;
}

// Every redraw of the progress line, as the terminal shows it (escape
// sequences dropped).
std::vector<std::string> redraws(const std::string& tty) {
  std::vector<std::string> lines;
  std::string cur;
  for (size_t i = 0; i < tty.size(); ++i) {
    char c = tty[i];
    if (c == '\x1b') {
      while (i < tty.size() && !std::isalpha(static_cast<unsigned char>(tty[i]))) ++i;
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (!cur.empty()) lines.push_back(cur);
      cur.clear();
      continue;
    }
    cur += c;
  }
  if (!cur.empty()) lines.push_back(cur);
  return lines;
}

TEST_F(SqliteAudit, ProgressBarOnlyOnATerminal) {
  create_docs(3000, 64);
  ASSERT_EQ(pin_store().exit_code, 0);
  CliRun piped = audit();
  EXPECT_EQ(piped.exit_code, 0);
  EXPECT_EQ(piped.err.find('\r'), std::string::npos) << "no progress bar when stderr is not a terminal";

  std::string out = dir / "tty.out";
  std::vector<std::string> args = cat(cat({VECTORPIN_CLI, "audit", "--store", store(), "--table", "docs"}, key.verify_args()),
                                      {"--threads", "1"});
  int st = 0;
  std::string tty = run_on_terminal(args, out, 120, st);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  EXPECT_NE(tty.find("rec/s"), std::string::npos) << tty;
  EXPECT_NE(tty.find("3000/3000"), std::string::npos) << tty;
  EXPECT_NE(tty.find("[##############################]"), std::string::npos) << tty;
  json s = json::parse(read_file(out));
  EXPECT_EQ(s["verified_ok"], 3000) << "stdout keeps only the summary";
}

// In a narrow pane every redraw still fits on one line (so it overwrites
// itself instead of wrapping and stacking up): a shorter bar at 50 columns,
// fewer figures at 30, a bare counter at 12.
TEST_F(SqliteAudit, ProgressFitsTheTerminalWidth) {
  create_docs(3000, 64);
  ASSERT_EQ(pin_store().exit_code, 0);
  std::string out = dir / "tty.out";
  std::vector<std::string> args = cat(cat({VECTORPIN_CLI, "audit", "--store", store(), "--table", "docs"}, key.verify_args()),
                                      {"--threads", "1"});
  for (unsigned short columns : {50, 30, 12}) {
    SCOPED_TRACE(std::to_string(columns) + " columns");
    int st = 0;
    std::string tty = run_on_terminal(args, out, columns, st);
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    std::vector<std::string> lines = redraws(tty);
    ASSERT_FALSE(lines.empty()) << tty;
    for (const auto& l : lines) EXPECT_LT(l.size(), columns) << "'" << l << "'";
    EXPECT_NE(tty.find("3000"), std::string::npos) << tty;
    if (columns == 50) EXPECT_NE(tty.find("] 3000/3000 100%"), std::string::npos) << tty;
    if (columns == 12)
      for (const auto& l : lines) EXPECT_EQ(l.find('['), std::string::npos) << "a bare counter, not a bar: " << l;
  }
}

}  // namespace
}  // namespace audit_test
