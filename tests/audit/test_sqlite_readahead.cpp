// The auditor's read-ahead SQLite VFS must read exactly what SQLite's own
// VFS reads, whatever a writer does between and during reads: each case
// runs the same reads through both and compares them with what was written.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <unistd.h>

#include "sqlite_readahead.hpp"

namespace {

class Conn {
 public:
  Conn(const std::string& path, const char* vfs, bool writable) {
    int flags = writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, vfs) != SQLITE_OK) throw std::runtime_error("open");
    sqlite3_busy_timeout(db_, 10000);
  }
  ~Conn() { sqlite3_close_v2(db_); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  void exec(const std::string& sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string m = msg ? msg : "?";
      sqlite3_free(msg);
      throw std::runtime_error(m + " in " + sql);
    }
  }

  void put(int64_t id, const std::string& value) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO t VALUES (?1, ?2)", -1, &st, nullptr);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob(st, 2, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) throw std::runtime_error("insert");
  }

  // Every row, in rowid order; `stop_after` rows only when given, leaving
  // the statement (and so the read transaction) open in `open`.
  std::map<int64_t, std::string> scan(sqlite3_stmt** open = nullptr, size_t stop_after = SIZE_MAX) {
    sqlite3_stmt* st = open && *open ? *open : nullptr;
    if (!st) sqlite3_prepare_v2(db_, "SELECT id, v FROM t ORDER BY id", -1, &st, nullptr);
    std::map<int64_t, std::string> rows;
    int rc;
    while (rows.size() < stop_after && (rc = sqlite3_step(st)) == SQLITE_ROW) {
      const char* p = static_cast<const char*>(sqlite3_column_blob(st, 1));
      rows[sqlite3_column_int64(st, 0)] = std::string(p, p + sqlite3_column_bytes(st, 1));
    }
    if (open && rows.size() == stop_after) {
      *open = st;
      return rows;
    }
    sqlite3_finalize(st);
    if (open) *open = nullptr;
    return rows;
  }

  std::string get(int64_t id) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, "SELECT v FROM t WHERE id = ?1", -1, &st, nullptr);
    sqlite3_bind_int64(st, 1, id);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW) {
      const char* p = static_cast<const char*>(sqlite3_column_blob(st, 0));
      out.assign(p, p + sqlite3_column_bytes(st, 0));
    }
    sqlite3_finalize(st);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteReadahead : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vectorpin-readahead-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/t.db";
    vfs_ = cli::audit::readahead_vfs_name();
    ASSERT_NE(vfs_, nullptr);
    writer_ = std::make_unique<Conn>(path_, nullptr, true);
    writer_->exec(std::string("PRAGMA journal_mode = ") + GetParam());
    writer_->exec("PRAGMA wal_autocheckpoint = 0");
    writer_->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
    writer_->exec("BEGIN");
    for (int64_t id = 1; id <= 300; ++id) write(id);
    writer_->exec("COMMIT");
    writer_->exec("PRAGMA wal_checkpoint(TRUNCATE)");  // readers then read the main file
  }
  void TearDown() override {
    writer_.reset();
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((path_ + suffix).c_str());
    rmdir(dir_.c_str());
  }

  // Rows of 1 to 20 KB, so most span overflow pages.
  void write(int64_t id) {
    std::uniform_int_distribution<size_t> size(1000, 20000);
    std::string v(size(rng_), '\0');
    for (auto& c : v) c = static_cast<char>(rng_());
    writer_->put(id, v);
    expected_[id] = v;
  }
  void erase(int64_t id) {
    writer_->exec("DELETE FROM t WHERE id = " + std::to_string(id));
    expected_.erase(id);
  }

  std::string dir_, path_;
  const char* vfs_ = nullptr;
  std::unique_ptr<Conn> writer_;
  std::map<int64_t, std::string> expected_;
  std::mt19937_64 rng_{42};
};

TEST_P(SqliteReadahead, EveryCommittedChangeIsSeen) {
  Conn ahead(path_, vfs_, false), plain(path_, nullptr, false);
  const uint64_t fills = cli::audit::readahead_slice_fills();
  ASSERT_EQ(ahead.scan(), expected_);
  EXPECT_GT(cli::audit::readahead_slice_fills(), fills) << "the layer read no slice: the test checks nothing";
  for (int round = 0; round < 4; ++round) {
    // Rewrites, deletions, growth, then (twice) a VACUUM, which moves every page.
    writer_->exec("BEGIN");
    for (int64_t id = 1 + round; id <= 300; id += 7) write(id);
    for (int64_t id = 5 + round; id <= 300; id += 31) erase(id);
    for (int64_t id = 301 + 10 * round; id < 311 + 10 * round; ++id) write(id);
    writer_->exec("COMMIT");
    if (round >= 2) writer_->exec("VACUUM");
    writer_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    EXPECT_EQ(ahead.scan(), expected_) << "round " << round;
    EXPECT_EQ(plain.scan(), expected_) << "round " << round;
    for (int64_t id : {int64_t(3), int64_t(150), int64_t(299), int64_t(305)})
      EXPECT_EQ(ahead.get(id), plain.get(id)) << "row " << id << ", round " << round;
  }
}

// WAL lets a writer commit and checkpoint while a read is in progress: the
// reader must go on seeing its snapshot, then the new data.
class SqliteReadaheadWal : public SqliteReadahead {};

TEST_P(SqliteReadaheadWal, AReadInProgressKeepsItsSnapshot) {
  Conn ahead(path_, vfs_, false);
  const auto before = expected_;
  sqlite3_stmt* open = nullptr;
  auto first = ahead.scan(&open, 100);
  ASSERT_NE(open, nullptr);
  writer_->exec("BEGIN");
  for (int64_t id = 1; id <= 300; id += 2) write(id);
  writer_->exec("COMMIT");
  writer_->exec("PRAGMA wal_checkpoint(PASSIVE)");
  auto rest = ahead.scan(&open);
  first.insert(rest.begin(), rest.end());
  EXPECT_EQ(first, before);
  EXPECT_EQ(ahead.scan(), expected_);
}

// The rule itself, on a file SQLite is not managing: what a slice holds is
// served only until the next lock call, and reads at the end of the file
// get the wrapped VFS's short-read answer.
TEST(SqliteReadaheadFile, ASliceLivesOnlyUntilTheNextLockCall) {
  char tmpl[] = "/tmp/vectorpin-readahead-file-XXXXXX";
  const int fd = mkstemp(tmpl);
  ASSERT_GE(fd, 0);
  const std::string path = tmpl;
  constexpr size_t kPage = 4096, kPages = 256;
  auto fill = [&](char mark) {
    std::string bytes(kPage * kPages, mark);
    ASSERT_EQ(pwrite(fd, bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size()));
  };
  fill('a');
  sqlite3_vfs* vfs = sqlite3_vfs_find(cli::audit::readahead_vfs_name());
  ASSERT_NE(vfs, nullptr);
  std::unique_ptr<uint64_t[]> space(new uint64_t[vfs->szOsFile / 8 + 1]());
  auto* file = reinterpret_cast<sqlite3_file*>(space.get());
  const std::string name = path + std::string(4, '\0');  // room for the URI parameters SQLite may look for
  int out_flags = 0;
  ASSERT_EQ(vfs->xOpen(vfs, name.c_str(), file, SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READONLY, &out_flags), SQLITE_OK);
  const sqlite3_io_methods* io = file->pMethods;
  char page[kPage];
  auto read_page = [&](size_t n) {
    EXPECT_EQ(io->xRead(file, page, kPage, static_cast<sqlite3_int64>(n * kPage)), SQLITE_OK);
    return page[0];
  };
  const uint64_t fills = cli::audit::readahead_slice_fills();
  ASSERT_EQ(io->xLock(file, SQLITE_LOCK_SHARED), SQLITE_OK);
  read_page(1);
  read_page(2);  // sequential: a slice is read
  EXPECT_EQ(cli::audit::readahead_slice_fills(), fills + 1);
  fill('b');
  EXPECT_EQ(read_page(3), 'a') << "served from the slice read before the change";
  ASSERT_EQ(io->xUnlock(file, SQLITE_LOCK_NONE), SQLITE_OK);
  ASSERT_EQ(io->xLock(file, SQLITE_LOCK_SHARED), SQLITE_OK);
  EXPECT_EQ(read_page(4), 'b') << "a lock call must drop the slice";
  // Past the end: SQLite's short read, zero-filled.
  std::memset(page, 'x', sizeof page);
  EXPECT_EQ(io->xRead(file, page, kPage, static_cast<sqlite3_int64>(kPages * kPage - 100)), SQLITE_IOERR_SHORT_READ);
  EXPECT_EQ(page[99], 'b');
  EXPECT_EQ(page[100], '\0');
  io->xUnlock(file, SQLITE_LOCK_NONE);
  io->xClose(file);
  close(fd);
  std::remove(path.c_str());
}

INSTANTIATE_TEST_SUITE_P(JournalModes, SqliteReadahead, ::testing::Values("delete", "wal"));
INSTANTIATE_TEST_SUITE_P(Wal, SqliteReadaheadWal, ::testing::Values("wal"));

}  // namespace
