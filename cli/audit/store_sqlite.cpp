// SQLite stores: a table with an id column, a vector column (little-endian
// f32/f64 BLOB or a JSON array as TEXT), an optional source column and the
// pin in a `vectorpin` column. Every name is validated and quoted; values
// are always bound, never spliced into SQL.
#include <sqlite3.h>

#include <unistd.h>

#include <cstdio>
#include <set>

#include "audit.hpp"
#include "sqlite_readahead.hpp"
#include "util/le_bytes.hpp"

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
  std::string message = what + ": " + (db ? safe_text(sqlite3_errmsg(db), 300) : std::string("out of memory"));
  if (db && sqlite3_extended_errcode(db) == SQLITE_READONLY_ROLLBACK)
    message += " (the database has a hot journal: a write, e.g. a pin-store, was interrupted and its changes must be "
               "rolled back before anyone can read it; this audit could not open the file for writing to do so. Run "
               "the audit once as a user who may write the file and its directory, or roll it back with "
               "`sqlite3 FILE 'PRAGMA quick_check'` as such a user; the rollback restores the last committed state, "
               "nothing committed is lost)";
  runtime_error(message);
}

// Opens an existing database. A reader opens it read-write when it may (and
// then refuses to write with query_only): a write interrupted by a crash or a
// kill leaves a hot journal, and SQLite can roll that back, as it must before
// anything can be read, only through a connection that may write. A file the
// auditor may not write is opened read-only (a hot journal then stops the
// audit with a message that says what to do).
void open_db(Db& db, const std::string& path, bool writable) {
  bool may_write = writable || ::access(path.c_str(), W_OK) == 0;
  int flags = may_write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
  // One thread at a time uses a connection (the reader's, or the writer's),
  // so SQLite's per-call connection mutex is only overhead.
  flags |= SQLITE_OPEN_NOMUTEX;
  // Never create a file: a typo in the path must not look like an empty store.
  // A reader walks the table once, front to back: it reads ahead.
  const char* vfs = writable ? nullptr : readahead_vfs_name();
  if (sqlite3_open_v2(path.c_str(), &db.p, flags, vfs) != SQLITE_OK) db_error(db.p, "cannot open " + path);
  sqlite3_extended_result_codes(db.p, 1);
  sqlite3_busy_timeout(db.p, 10000);
  if (!writable && sqlite3_exec(db.p, "PRAGMA query_only = ON", nullptr, nullptr, nullptr) != SQLITE_OK)
    db_error(db.p, "cannot open " + path);
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

// The vector column; with `keep_raw` a blob stays as its bytes (kRaw) for the
// auditor to decode on a worker thread.
RawVector vector_of(sqlite3_stmt* st, int col, VectorFormat format, bool keep_raw = false) {
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
  if (keep_raw) {
    v.kind = RawVector::kRaw;
    v.text = text_of(st, col);
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

// Ids longer than this are not read for a record that is too large (its
// report line then has no id).
constexpr int64_t kMaxTooLargeIdBytes = 4096;

// The name that reaches the table's rowid (one not shadowed by a column),
// or "" for a WITHOUT ROWID table.
std::string rowid_alias(sqlite3* db, const std::string& table, const std::set<std::string>& cols) {
  for (const char* alias : {"rowid", "_rowid_", "oid"}) {
    if (cols.count(alias)) continue;
    Stmt probe;
    std::string sql = std::string("SELECT ") + alias + " FROM " + quote_identifier(table) + " LIMIT 0";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &probe.p, nullptr) == SQLITE_OK) return alias;
    return "";
  }
  return "";
}

// Reads a table row by row without ever loading a value that would make
// the record larger than the limit. A rowid table is walked by a statement
// that reads only each value's type (typeof() looks at the record header);
// TEXT and BLOB values are then measured and read through incremental-I/O
// handles (sqlite3_blob_*), which know a value's size without reading it. A
// WITHOUT ROWID table has no such handles: its values are fetched when
// length() allows, and length() of TEXT counts characters by reading it, so
// there one value of up to 4 x the limit may be read before it is refused.
class SqliteReader : public RecordReader {
 public:
  SqliteReader(const std::string& path, const TableSpec& spec, size_t max_record_bytes)
      : spec_(spec), path_(path), max_bytes_(max_record_bytes) {
    open_db(db_, path, false);
    std::set<std::string> cols = check_columns(db_.p, spec, spec.use_source);
    const std::string id = quote_identifier(spec.id_column), vec = quote_identifier(spec.vector_column),
                      src = spec.use_source ? quote_identifier(spec.source_column) : std::string("NULL"),
                      pin = quote_identifier(spec.pin_column), table = quote_identifier(spec.table);
    alias_ = rowid_alias(db_.p, spec.table, cols);
    by_handles_ = !alias_.empty();
    const std::string& alias = alias_;
    if (by_handles_) {
      // One statement reads one consistent snapshot; the handles read
      // inside the same read transaction.
      prepare(db_.p, st_,
              "SELECT " + alias + ", typeof(" + id + "), CASE WHEN typeof(" + id + ") IN ('integer', 'real') THEN " +
                  id + " END, typeof(" + vec + "), typeof(" + src + "), typeof(" + pin + ") FROM " + table,
              "reading table " + spec.table);
      return;
    }
    const std::string total = "(ifnull(length(" + id + "),0) + ifnull(length(" + vec + "),0) + ifnull(length(" + src +
                              "),0) + ifnull(length(" + pin + "),0))";
    auto bounded = [&](const std::string& col) { return "CASE WHEN " + total + " <= ?1 THEN " + col + " END"; };
    std::string sql = "SELECT CASE WHEN " + total + " <= ?1 OR length(" + id + ") <= ?2 THEN " + id + " END, " +
                      bounded(vec) + ", " + bounded(src) + ", " + bounded(pin) + ", " + total + " FROM " + table;
    prepare(db_.p, st_, sql, "reading table " + spec.table);
    sqlite3_bind_int64(st_.p, 1, static_cast<sqlite3_int64>(max_record_bytes));
    sqlite3_bind_int64(st_.p, 2, kMaxTooLargeIdBytes);
  }

  ~SqliteReader() override {
    for (sqlite3_blob* b : blobs_) sqlite3_blob_close(b);
  }

  std::optional<uint64_t> count() override {
    Stmt st;
    prepare(db_.p, st, "SELECT count(*) FROM " + quote_identifier(spec_.table), "counting records");
    if (sqlite3_step(st.p) != SQLITE_ROW) return std::nullopt;
    return static_cast<uint64_t>(sqlite3_column_int64(st.p, 0));
  }

  std::string location() const override { return canonical_path(path_); }

  bool next(Record& r) override {
    int rc = sqlite3_step(st_.p);
    if (rc == SQLITE_DONE) return false;
    if (rc != SQLITE_ROW) db_error(db_.p, "reading table " + spec_.table);
    r = Record();
    r.ordinal = ordinal_++;
    return by_handles_ ? next_by_handles(r) : next_by_query(r);
  }

  void decode(Record& r) const override {
    if (r.vector.kind != RawVector::kRaw) return;
    std::string bytes = std::move(r.vector.text);
    r.vector = decode_le_blob(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                              spec_.vector_format == VectorFormat::kBlobF64);
  }

 private:
  enum Slot { kId, kVector, kSource, kPin, kSlots };

  static int type_of(const char* name) {
    std::string t = name ? name : "null";
    return t == "integer" ? SQLITE_INTEGER
           : t == "real"  ? SQLITE_FLOAT
           : t == "text"  ? SQLITE_TEXT
           : t == "blob"  ? SQLITE_BLOB
                          : SQLITE_NULL;
  }

  // Points the slot's handle at this row's value and returns its size.
  size_t measure(Slot slot, const std::string& column, sqlite3_int64 rowid) {
    sqlite3_blob*& h = blobs_[slot];
    int rc = h ? sqlite3_blob_reopen(h, rowid)
               : sqlite3_blob_open(db_.p, "main", spec_.table.c_str(), column.c_str(), rowid, 0, &h);
    if (rc != SQLITE_OK) {
      sqlite3_blob_close(h);
      h = nullptr;
      db_error(db_.p, "reading table " + spec_.table);
    }
    return static_cast<size_t>(sqlite3_blob_bytes(h));
  }

  std::string read(Slot slot, size_t size) {
    std::string out(size, '\0');
    if (size && sqlite3_blob_read(blobs_[slot], out.data(), static_cast<int>(size), 0) != SQLITE_OK)
      db_error(db_.p, "reading table " + spec_.table);
    return out;
  }

  // On a little-endian host the stored bytes are the floats themselves:
  // they are read straight into the vector, saving the worker a copy. False
  // (nothing read) when the blob needs decoding or is not a whole number of
  // elements, which decode() then reports.
  bool read_floats(RawVector& v, size_t bytes) {
    if (!vectorpin::util::host_is_little_endian()) return false;
    const bool f64 = spec_.vector_format == VectorFormat::kBlobF64;
    const size_t width = f64 ? 8 : 4;
    if (bytes == 0 || bytes % width != 0) return false;
    void* out;
    if (f64) {
      v.f64.resize(bytes / 8);
      out = v.f64.data();
    } else {
      v.f32.resize(bytes / 4);
      out = v.f32.data();
    }
    if (sqlite3_blob_read(blobs_[kVector], out, static_cast<int>(bytes), 0) != SQLITE_OK)
      db_error(db_.p, "reading table " + spec_.table);
    v.kind = f64 ? RawVector::kF64 : RawVector::kF32;
    return true;
  }

  bool next_by_handles(Record& r) {
    const sqlite3_int64 rowid = sqlite3_column_int64(st_.p, 0);
    int type[kSlots] = {type_of(reinterpret_cast<const char*>(sqlite3_column_text(st_.p, 1))),
                        type_of(reinterpret_cast<const char*>(sqlite3_column_text(st_.p, 3))),
                        type_of(reinterpret_cast<const char*>(sqlite3_column_text(st_.p, 4))),
                        type_of(reinterpret_cast<const char*>(sqlite3_column_text(st_.p, 5)))};
    const std::string* column[kSlots] = {&spec_.id_column, &spec_.vector_column, &spec_.source_column,
                                         &spec_.pin_column};
    size_t size[kSlots] = {};
    size_t total = 0;
    for (int k = 0; k < kSlots; ++k) {
      if (type[k] == SQLITE_TEXT || type[k] == SQLITE_BLOB) size[k] = measure(Slot(k), *column[k], rowid);
      total += size[k];
    }
    // Numeric ids are in the row itself, as audit reads them.
    if (type[kId] == SQLITE_INTEGER || type[kId] == SQLITE_FLOAT) r.id = id_text(st_.p, 2);
    bool too_large = total > max_bytes_;
    if (type[kId] == SQLITE_TEXT || type[kId] == SQLITE_BLOB) {
      if (!too_large || size[kId] <= static_cast<size_t>(kMaxTooLargeIdBytes)) {
        std::string bytes = read(kId, size[kId]);
        r.id = type[kId] == SQLITE_TEXT ? bytes
                                       : hex_bytes(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
      }
    }
    if (too_large) {
      r.too_large = true;
      r.unreadable = "record is larger than " + std::to_string(max_bytes_) + " bytes (--max-record-bytes); not read";
      return true;
    }
    // The vector.
    if (type[kVector] != SQLITE_NULL) {
      bool text_like = type[kVector] == SQLITE_TEXT || type[kVector] == SQLITE_BLOB;
      if (spec_.vector_format == VectorFormat::kJson && text_like) {
        r.vector.kind = RawVector::kJsonText;
        r.vector.text = read(kVector, size[kVector]);
      } else if (spec_.vector_format != VectorFormat::kJson && type[kVector] == SQLITE_BLOB) {
        if (!read_floats(r.vector, size[kVector])) {
          r.vector.kind = RawVector::kRaw;
          r.vector.text = read(kVector, size[kVector]);
        }
      } else {
        r.vector.kind = RawVector::kBad;
        r.vector.problem = std::string("vector is ") + type_name(type[kVector]) +
                           (spec_.vector_format == VectorFormat::kJson ? ", expected JSON text" : ", expected a BLOB");
      }
    }
    if (spec_.use_source && type[kSource] != SQLITE_NULL) {
      if (type[kSource] == SQLITE_TEXT || type[kSource] == SQLITE_BLOB) {
        r.source = read(kSource, size[kSource]);
      } else {
        // A number stored as the source: its text, as SQLite would give it.
        Stmt st;
        prepare(db_.p, st, "SELECT CAST(" + quote_identifier(spec_.source_column) + " AS TEXT) FROM " +
                               quote_identifier(spec_.table) + " WHERE " + alias_ + " = ?1", "reading a source");
        sqlite3_bind_int64(st.p, 1, rowid);
        if (sqlite3_step(st.p) == SQLITE_ROW) r.source = text_of(st.p, 0);
      }
    }
    if (type[kPin] == SQLITE_TEXT || type[kPin] == SQLITE_BLOB) {
      r.pin = read(kPin, size[kPin]);
    } else if (type[kPin] != SQLITE_NULL) {
      r.pin = std::string();
      r.pin_problem = std::string("the pin column holds ") + type_name(type[kPin]) + ", not JSON text";
    }
    return true;
  }

  bool next_by_query(Record& r) {
    r.id = id_text(st_.p, 0);
    int64_t length = sqlite3_column_int64(st_.p, 4);
    size_t bytes = (r.id ? r.id->size() : 0) + static_cast<size_t>(sqlite3_column_bytes(st_.p, 1)) +
                   static_cast<size_t>(sqlite3_column_bytes(st_.p, 2)) +
                   static_cast<size_t>(sqlite3_column_bytes(st_.p, 3));
    if (length > static_cast<int64_t>(max_bytes_) || bytes > max_bytes_) {
      r.too_large = true;
      r.unreadable = "record is larger than " + std::to_string(max_bytes_) + " bytes (--max-record-bytes); not read";
      return true;
    }
    r.vector = vector_of(st_.p, 1, spec_.vector_format, true);
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

  TableSpec spec_;
  std::string path_;
  size_t max_bytes_;
  Db db_;
  Stmt st_;
  std::string alias_;  // the rowid's name; "" for a WITHOUT ROWID table
  bool by_handles_ = false;
  sqlite3_blob* blobs_[kSlots] = {};
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

std::unique_ptr<RecordReader> open_sqlite_reader(const std::string& path, const TableSpec& spec,
                                                 size_t max_record_bytes) {
  return std::make_unique<SqliteReader>(path, spec, max_record_bytes);
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
