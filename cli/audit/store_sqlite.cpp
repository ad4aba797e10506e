// SQLite stores: a table with an id column, a vector column (little-endian
// f32/f64 BLOB or a JSON array as TEXT), an optional source column and the
// pin in a `vectorpin` column. Every name is validated and quoted; values
// are always bound, never spliced into SQL.
#include <sqlite3.h>

#include <cstdio>
#include <set>

#include "audit.hpp"

namespace cli::audit {
namespace {

struct Db {
  sqlite3* p = nullptr;
  ~Db() { sqlite3_close_v2(p); }
};

struct Stmt {
  sqlite3_stmt* p = nullptr;
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(p); }
};

struct Value {
  sqlite3_value* p = nullptr;
  Value() = default;
  explicit Value(sqlite3_value* v) : p(v ? sqlite3_value_dup(v) : nullptr) {
    if (v && !p) runtime_error("out of memory");
  }
  Value(Value&& o) noexcept : p(o.p) { o.p = nullptr; }
  Value& operator=(Value&& o) noexcept {
    std::swap(p, o.p);
    return *this;
  }
  ~Value() { sqlite3_value_free(p); }
};

[[noreturn]] void db_error(sqlite3* db, const std::string& what) {
  runtime_error(what + ": " + (db ? safe_text(sqlite3_errmsg(db), 300) : std::string("out of memory")));
}

void open_db(Db& db, const std::string& path, bool writable) {
  int flags = writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
  // Never create a file: a typo in the path must not look like an empty store.
  if (sqlite3_open_v2(path.c_str(), &db.p, flags, nullptr) != SQLITE_OK) db_error(db.p, "cannot open " + path);
  sqlite3_extended_result_codes(db.p, 1);
  sqlite3_busy_timeout(db.p, 10000);
}

void prepare(sqlite3* db, Stmt& st, const std::string& sql, const std::string& what) {
  if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &st.p, nullptr) != SQLITE_OK)
    db_error(db, what);
}

void exec(sqlite3* db, const char* sql, const std::string& what) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) db_error(db, what);
}

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// The table's column names, lower-cased (SQLite matches names without regard
// to ASCII case). The table name is bound, not interpolated.
std::set<std::string> table_columns(sqlite3* db, const std::string& table) {
  Stmt st;
  prepare(db, st, "SELECT name FROM pragma_table_info(?1)", "reading the table's columns");
  sqlite3_bind_text(st.p, 1, table.data(), static_cast<int>(table.size()), SQLITE_TRANSIENT);
  std::set<std::string> cols;
  int rc;
  while ((rc = sqlite3_step(st.p)) == SQLITE_ROW)
    cols.insert(lower(reinterpret_cast<const char*>(sqlite3_column_text(st.p, 0))));
  if (rc != SQLITE_DONE) db_error(db, "reading the table's columns");
  return cols;
}

// Refuses a missing table or column; returns the table's columns.
std::set<std::string> check_columns(sqlite3* db, const TableSpec& spec, bool need_source) {
  std::set<std::string> cols = table_columns(db, spec.table);
  if (cols.empty()) usage_error("table \"" + spec.table + "\" does not exist in the database");
  auto need = [&](const std::string& col, const char* option, const char* hint) {
    if (!cols.count(lower(col)))
      usage_error("table \"" + spec.table + "\" has no column \"" + col + "\" (--" + option + ")" + hint);
  };
  need(spec.id_column, "id-column", "");
  need(spec.vector_column, "vector-column", "");
  need(spec.pin_column, "pin-column", "");
  if (need_source) need(spec.source_column, "source-column", "; give --no-source to skip source checks");
  return cols;
}

std::string text_of(sqlite3_stmt* st, int col) {
  const void* p = sqlite3_column_blob(st, col);
  int n = sqlite3_column_bytes(st, col);
  return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

// Record ids as text: integers in decimal, text as is, reals with 17
// significant digits, blobs in hex. `pin-store` binds the same text.
std::optional<std::string> id_text(sqlite3_stmt* st, int col) {
  switch (sqlite3_column_type(st, col)) {
    case SQLITE_NULL: return std::nullopt;
    case SQLITE_INTEGER: return std::to_string(sqlite3_column_int64(st, col));
    case SQLITE_FLOAT: {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", sqlite3_column_double(st, col));
      return std::string(buf);
    }
    case SQLITE_BLOB: {
      const void* p = sqlite3_column_blob(st, col);
      return hex_bytes(static_cast<const unsigned char*>(p), static_cast<size_t>(sqlite3_column_bytes(st, col)));
    }
    default: return text_of(st, col);
  }
}

const char* type_name(int t) {
  switch (t) {
    case SQLITE_INTEGER: return "INTEGER";
    case SQLITE_FLOAT: return "REAL";
    case SQLITE_TEXT: return "TEXT";
    case SQLITE_BLOB: return "BLOB";
    default: return "NULL";
  }
}

RawVector vector_of(sqlite3_stmt* st, int col, VectorFormat format) {
  RawVector v;
  int t = sqlite3_column_type(st, col);
  if (t == SQLITE_NULL) return v;
  if (format == VectorFormat::kJson) {
    if (t == SQLITE_TEXT || t == SQLITE_BLOB) {
      v.kind = RawVector::kJsonText;
      v.text = text_of(st, col);
    } else {
      v.kind = RawVector::kBad;
      v.problem = std::string("vector is ") + type_name(t) + ", expected JSON text";
    }
    return v;
  }
  if (t != SQLITE_BLOB) {
    v.kind = RawVector::kBad;
    v.problem = std::string("vector is ") + type_name(t) + ", expected a BLOB";
    return v;
  }
  const void* p = sqlite3_column_blob(st, col);
  size_t n = static_cast<size_t>(sqlite3_column_bytes(st, col));
  static const unsigned char kNone = 0;
  return decode_le_blob(p ? static_cast<const unsigned char*>(p) : &kNone, n, format == VectorFormat::kBlobF64);
}

std::optional<std::string> source_of(sqlite3_stmt* st, int col) {
  if (sqlite3_column_type(st, col) == SQLITE_NULL) return std::nullopt;
  return text_of(st, col);
}

std::string select_list(const TableSpec& spec, bool with_pin) {
  std::string sql = quote_identifier(spec.id_column) + ", " + quote_identifier(spec.vector_column) + ", " +
                    (spec.use_source ? quote_identifier(spec.source_column) : std::string("NULL"));
  if (with_pin) sql += ", " + quote_identifier(spec.pin_column);
  return sql;
}

class SqliteReader : public RecordReader {
 public:
  SqliteReader(const std::string& path, const TableSpec& spec) : spec_(spec) {
    open_db(db_, path, false);
    check_columns(db_.p, spec, spec.use_source);
    // One statement reads one consistent snapshot of the table.
    prepare(db_.p, st_, "SELECT " + select_list(spec, true) + " FROM " + quote_identifier(spec.table),
            "reading table " + spec.table);
  }

  std::optional<uint64_t> count() override {
    Stmt st;
    prepare(db_.p, st, "SELECT count(*) FROM " + quote_identifier(spec_.table), "counting records");
    if (sqlite3_step(st.p) != SQLITE_ROW) return std::nullopt;
    return static_cast<uint64_t>(sqlite3_column_int64(st.p, 0));
  }

  bool next(Record& r) override {
    int rc = sqlite3_step(st_.p);
    if (rc == SQLITE_DONE) return false;
    if (rc != SQLITE_ROW) db_error(db_.p, "reading table " + spec_.table);
    r = Record();
    r.ordinal = ordinal_++;
    r.id = id_text(st_.p, 0);
    r.vector = vector_of(st_.p, 1, spec_.vector_format);
    if (spec_.use_source) r.source = source_of(st_.p, 2);
    int pt = sqlite3_column_type(st_.p, 3);
    if (pt == SQLITE_TEXT || pt == SQLITE_BLOB) {
      r.pin = text_of(st_.p, 3);
    } else if (pt != SQLITE_NULL) {
      r.pin = std::string();
      r.pin_problem = std::string("the pin column holds ") + type_name(pt) + ", not JSON text";
    }
    return true;
  }

 private:
  TableSpec spec_;
  Db db_;
  Stmt st_;
  uint64_t ordinal_ = 0;
};

// Rolls back unless committed: any error leaves the table as it was.
struct Transaction {
  sqlite3* db;
  bool open = false;
  explicit Transaction(sqlite3* d) : db(d) {
    // IMMEDIATE takes the write lock now, so no other writer interleaves.
    exec(db, "BEGIN IMMEDIATE", "starting a transaction");
    open = true;
  }
  void commit() {
    exec(db, "COMMIT", "committing");
    open = false;
  }
  ~Transaction() {
    if (open) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
};

int64_t scalar(sqlite3* db, const std::string& sql, const std::string& what) {
  Stmt st;
  prepare(db, st, sql, what);
  int rc = sqlite3_step(st.p);
  if (rc == SQLITE_DONE) return 0;
  if (rc != SQLITE_ROW) db_error(db, what);
  return sqlite3_column_int64(st.p, 0);
}

}  // namespace

std::unique_ptr<RecordReader> open_sqlite_reader(const std::string& path, const TableSpec& spec) {
  return std::make_unique<SqliteReader>(path, spec);
}

PinStoreResult pin_sqlite_store(const std::string& path, const TableSpec& spec, const PinJob& job) {
  Db db;
  open_db(db, path, true);
  const std::set<std::string> cols = check_columns(db.p, spec, spec.use_source);
  const std::string t = quote_identifier(spec.table);
  const std::string id = quote_identifier(spec.id_column);
  const std::string pin_col = quote_identifier(spec.pin_column);
  PinPool pool(job);  // validates the signing options before touching the table

  // Rows are walked in pages by rowid (an indexed lookup) when the table has
  // one, else by the id (a WITHOUT ROWID table's primary key). Each page is
  // read completely before it is updated, so no statement ever reads a table
  // it is changing.
  std::string key;
  for (const char* alias : {"rowid", "_rowid_", "oid"}) {
    if (cols.count(alias)) continue;
    Stmt probe;
    std::string sql = std::string("SELECT ") + alias + " FROM " + t + " LIMIT 0";
    if (sqlite3_prepare_v2(db.p, sql.c_str(), -1, &probe.p, nullptr) == SQLITE_OK) key = alias;
    break;
  }
  bool by_rowid = !key.empty();
  if (!by_rowid) key = id;

  Transaction tx(db.p);
  if (job.bind_record || !by_rowid) {
    if (scalar(db.p, "SELECT 1 FROM " + t + " WHERE " + id + " IS NULL LIMIT 1", "checking ids"))
      runtime_error("table \"" + spec.table + "\" has rows with a NULL " + spec.id_column +
                    "; every record needs an id to be bound to (or give --no-bind-record)");
    if (scalar(db.p, "SELECT 1 FROM " + t + " GROUP BY " + id + " HAVING count(*) > 1 LIMIT 1", "checking ids"))
      runtime_error("the " + spec.id_column + " column of \"" + spec.table +
                    "\" is not unique; a pin bound to a duplicated id could be replayed between its rows");
  }
  int64_t already = scalar(db.p, "SELECT count(*) FROM " + t + " WHERE " + pin_col + " IS NOT NULL", "counting pins");
  if (already > 0 && !job.only_unpinned && !job.overwrite)
    usage_error(std::to_string(already) + " rows already have a pin: give --only-unpinned to pin the others, or "
                "--overwrite to re-pin every row (which signs whatever the store holds now, tampered or not)");

  std::string where_pin = job.only_unpinned ? pin_col + " IS NULL AND " : std::string();
  std::string base = "SELECT " + key + ", " + select_list(spec, false) + " FROM " + t + " WHERE " + where_pin;
  Stmt first, after, update;
  prepare(db.p, first, base + "1 ORDER BY " + key + " LIMIT ?1", "reading the table");
  prepare(db.p, after, base + key + " > ?2 ORDER BY " + key + " LIMIT ?1", "reading the table");
  prepare(db.p, update, "UPDATE " + t + " SET " + pin_col + " = ?1 WHERE " + key + " = ?2", "preparing the update");

  Progress progress(job.progress, "pin-store");
  if (progress.enabled())
    progress.set_total(static_cast<uint64_t>(
        scalar(db.p, "SELECT count(*) FROM " + t + (job.only_unpinned ? " WHERE " + pin_col + " IS NULL" : ""),
               "counting rows")));

  const int page_size = 1024;
  PinStoreResult result;
  Value last;
  std::vector<Value> keys;
  std::vector<PinRow> rows;
  while (true) {
    sqlite3_stmt* q = last.p ? after.p : first.p;
    sqlite3_reset(q);
    sqlite3_bind_int(q, 1, page_size);
    if (last.p) sqlite3_bind_value(q, 2, last.p);
    keys.clear();
    rows.clear();
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
      keys.emplace_back(sqlite3_column_value(q, 0));
      PinRow row;
      std::optional<std::string> rid = id_text(q, 1);
      row.id = rid ? *rid : std::string();
      row.vector = vector_of(q, 2, spec.vector_format);
      if (spec.use_source) {
        row.source = source_of(q, 3);
        if (!row.source) row.vector = RawVector{RawVector::kBad, {}, {}, {}, "source is NULL"};
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) db_error(db.p, "reading the table");
    sqlite3_reset(q);
    if (rows.empty()) break;
    last = Value(keys.back().p);

    pool.sign(rows);
    for (size_t i = 0; i < rows.size(); ++i) {
      PinRow& row = rows[i];
      if (!row.problem.empty()) {
        if (!job.skip_invalid)
          runtime_error("record " + safe_text(row.id) + ": " + row.problem +
                        " (nothing was written; --skip-invalid leaves such rows unpinned)");
        ++result.skipped;
        if (result.skipped_ids.size() < 10) result.skipped_ids.push_back(safe_text(row.id) + ": " + row.problem);
        continue;
      }
      sqlite3_reset(update.p);
      sqlite3_bind_text(update.p, 1, row.pin_json.data(), static_cast<int>(row.pin_json.size()), SQLITE_STATIC);
      sqlite3_bind_value(update.p, 2, keys[i].p);
      if (sqlite3_step(update.p) != SQLITE_DONE) db_error(db.p, "writing a pin");
      if (sqlite3_changes(db.p) != 1) runtime_error("writing the pin of record " + safe_text(row.id) + " changed " +
                                                    std::to_string(sqlite3_changes(db.p)) + " rows");
      ++result.pinned;
      fault_point_row_written();
    }
    progress.update(result.pinned + result.skipped);
    if (rows.size() < static_cast<size_t>(page_size)) break;
  }
  sqlite3_reset(update.p);
  tx.commit();
  progress.finish(result.pinned + result.skipped);
  return result;
}

}  // namespace cli::audit
