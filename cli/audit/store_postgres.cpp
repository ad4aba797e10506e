// PostgreSQL stores (libpq): the same table shape as SQLite, with vectors as
// real[] / double precision[] (or bytea, or JSON text) and pins as jsonb or
// text. JSONB re-formats the pin (whitespace, key order); the library's
// parser accepts any order and whitespace, and the signature covers the
// canonical form, so verification is unaffected.
#include "audit.hpp"
#include "pgvector.hpp"

#ifdef VECTORPIN_WITH_POSTGRES

#include <arpa/inet.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <cstring>

namespace cli::audit {
namespace {

// Built-in type OIDs (fixed in PostgreSQL's catalog, pg_type.dat).
constexpr Oid kByteaOid = 17, kTextOid = 25, kJsonOid = 114, kFloat4Oid = 700, kFloat8Oid = 701,
              kFloat4ArrayOid = 1021, kFloat8ArrayOid = 1022, kBpcharOid = 1042, kVarcharOid = 1043, kJsonbOid = 3802;

struct Conn {
  PGconn* p = nullptr;
  ~Conn() { PQfinish(p); }
};

struct Result {
  PGresult* p = nullptr;
  Result() = default;
  explicit Result(PGresult* r) : p(r) {}
  Result(Result&& o) noexcept : p(o.p) { o.p = nullptr; }
  Result& operator=(Result&& o) noexcept {
    std::swap(p, o.p);
    return *this;
  }
  ~Result() { PQclear(p); }
};

std::string clip(const char* msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  // Server messages may quote table data (a value that failed to parse, say).
  for (char& c : s)
    if (c == '\n' || c == '\t') c = ' ';
  return safe_text(s, 300);
}

// Missing tables or columns are the caller's mistake (exit 2); the rest is
// the server's or the network's (exit 3).
[[noreturn]] void pg_fail(PGconn* c, const PGresult* r, const std::string& what) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = what + ": " + clip(r ? PQresultErrorMessage(r) : PQerrorMessage(c));
  if (state && (std::strcmp(state, "42P01") == 0 || std::strcmp(state, "42703") == 0 ||
                std::strcmp(state, "3F000") == 0))
    usage_error(msg);
  runtime_error(msg);
}

Result run(PGconn* c, const std::string& sql, const std::string& what, ExecStatusType want = PGRES_COMMAND_OK) {
  Result r(PQexec(c, sql.c_str()));
  if (!r.p || PQresultStatus(r.p) != want) pg_fail(c, r.p, what);
  return r;
}

// ---- transport policy ----------------------------------------------------------

bool is_loopback_host(const std::string& h) {
  if (h.empty() || h[0] == '/' || h[0] == '@') return true;  // Unix-domain socket
  if (h == "localhost") return true;
  unsigned char a[16];
  if (inet_pton(AF_INET, h.c_str(), a) == 1) return a[0] == 127;
  if (inet_pton(AF_INET6, h.c_str(), a) == 1) {
    static const unsigned char kLoop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return std::memcmp(a, kLoop, 16) == 0 || (std::memcmp(a, kMapped, 12) == 0 && a[12] == 127);
  }
  return false;
}

bool all_loopback(const std::string& list) {
  size_t start = 0;
  while (true) {
    size_t comma = list.find(',', start);
    if (!is_loopback_host(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start)))
      return false;
    if (comma == std::string::npos) return true;
    start = comma + 1;
  }
}

bool strong_sslmode(const std::string& mode) {
  return mode == "require" || mode == "verify-ca" || mode == "verify-full";
}

// Decides before connecting, so that no password crosses the network in the
// clear: a host that is not loopback needs sslmode=require or stronger,
// unless the caller explicitly allows plain transport. Returns whether the
// connection must turn out to use TLS.
bool check_transport(const std::string& conninfo, bool allow_insecure) {
  char* errmsg = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &errmsg);
  if (!opts) {
    std::string m = clip(errmsg);
    PQfreemem(errmsg);
    usage_error("the PostgreSQL connection string is not valid: " + m);
  }
  std::string host, hostaddr, sslmode, service;
  bool has_host = false, has_hostaddr = false, has_sslmode = false, has_service = false;
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (!o->val) continue;
    std::string k = o->keyword;
    if (k == "host") host = o->val, has_host = true;
    if (k == "hostaddr") hostaddr = o->val, has_hostaddr = true;
    if (k == "sslmode") sslmode = o->val, has_sslmode = true;
    if (k == "service") service = o->val, has_service = true;
  }
  PQconninfoFree(opts);
  // libpq falls back on these environment variables for unset options.
  auto env = [](const char* name, std::string& out, bool& has) {
    if (has) return;
    if (const char* v = std::getenv(name)) out = v, has = true;
  };
  env("PGHOST", host, has_host);
  env("PGHOSTADDR", hostaddr, has_hostaddr);
  env("PGSSLMODE", sslmode, has_sslmode);
  env("PGSERVICE", service, has_service);
  // hostaddr, when given, is where libpq actually connects.
  bool loopback = has_hostaddr && !hostaddr.empty() ? all_loopback(hostaddr) : all_loopback(host);
  // A service file can name any host: without an explicit host, assume the worst.
  if (has_service && !has_host && !has_hostaddr) loopback = false;
  if (loopback || allow_insecure) return false;
  if (!strong_sslmode(sslmode))
    usage_error("the PostgreSQL server is not on this machine: add sslmode=require (or verify-ca / verify-full) to "
                "the connection string so that credentials and data travel over TLS, or give "
                "--allow-insecure-transport");
  return true;
}

void connect(Conn& conn, const std::string& conninfo, bool allow_insecure) {
  bool need_tls = check_transport(conninfo, allow_insecure);
  const char* keys[] = {"application_name", "dbname", "client_encoding", nullptr};
  const char* vals[] = {"vectorpin", conninfo.c_str(), "UTF8", nullptr};
  conn.p = PQconnectdbParams(keys, vals, 1);
  if (!conn.p) runtime_error("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn.p) != CONNECTION_OK) runtime_error("cannot connect to PostgreSQL: " + clip(PQerrorMessage(conn.p)));
  // Defence in depth: the host actually reached (a service file may have
  // chosen it) must also satisfy the policy.
  const char* actual = PQhost(conn.p);
  if (!PQsslInUse(conn.p) && !allow_insecure && (need_tls || !is_loopback_host(actual ? actual : "")))
    runtime_error("the PostgreSQL connection does not use TLS; refusing to go on (see --allow-insecure-transport)");
}

// ---- table shape ------------------------------------------------------------------

std::string qualified(const TableSpec& spec) {
  return spec.schema.empty() ? quote_identifier(spec.table) : quote_identifier(spec.schema) + "." + quote_identifier(spec.table);
}

struct Shape {
  enum VecKind { kArrayF32, kArrayF64, kBlobF32, kBlobF64, kJsonText, kPgvector } vec;
  Oid pin_type;
};

// ---- pgvector ------------------------------------------------------------------------
// An extension's types have no fixed OID, so a column's type is looked up by
// name. A domain counts under its own name (a stand-in for pgvector's type
// with the same text form, which is how the tests exercise this path).
std::string column_type_name(PGconn* c, const TableSpec& spec, const std::string& column) {
  std::string rel = qualified(spec);
  const char* values[2] = {rel.c_str(), column.c_str()};
  Result r(PQexecParams(c,
                        "SELECT t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                        "WHERE a.attrelid = $1::regclass AND a.attname = $2 AND NOT a.attisdropped",
                        2, nullptr, values, nullptr, nullptr, 0));
  if (!r.p || PQresultStatus(r.p) != PGRES_TUPLES_OK) pg_fail(c, r.p, "reading the vector column's type");
  return PQntuples(r.p) == 1 ? std::string(PQgetvalue(r.p, 0, 0)) : std::string();
}

// Recognises pgvector's `vector` (read as f32 in its text form) and refuses
// its halfvec and sparsevec. Returns true for a pgvector column.
bool pgvector_column(PGconn* c, const TableSpec& spec) {
  std::string type = column_type_name(c, spec, spec.vector_column);
  if (is_unsupported_pgvector_type(type))
    usage_error("the vector column \"" + spec.vector_column + "\" is pgvector's " + type +
                ", which is not supported: pins hash f32 or f64 elements (store the embedding as vector, real[] "
                "or double precision[])");
  if (!is_pgvector_type(type)) return false;
  if (spec.vector_format != VectorFormat::kAuto)
    usage_error("the vector column \"" + spec.vector_column + "\" is pgvector's vector; leave --vector-format at auto");
  return true;
}

Shape describe(PGconn* c, const TableSpec& spec) {
  std::string sql = "SELECT " + quote_identifier(spec.id_column) + ", " + quote_identifier(spec.vector_column) + ", " +
                    quote_identifier(spec.pin_column) +
                    (spec.use_source ? ", " + quote_identifier(spec.source_column) : std::string()) + " FROM " +
                    qualified(spec) + " LIMIT 0";
  Result r = run(c, sql, "reading the table's columns", PGRES_TUPLES_OK);
  Oid vt = PQftype(r.p, 1);
  Shape s{};
  s.pin_type = PQftype(r.p, 2);
  if (s.pin_type != kJsonbOid && s.pin_type != kJsonOid && s.pin_type != kTextOid && s.pin_type != kVarcharOid)
    usage_error("the pin column \"" + spec.pin_column + "\" must be jsonb, json, text or varchar");
  VectorFormat f = spec.vector_format;
  bool text_like = vt == kTextOid || vt == kVarcharOid || vt == kJsonOid || vt == kJsonbOid || vt == kBpcharOid;
  auto mismatch = [&](const char* want) {
    usage_error("the vector column \"" + spec.vector_column + "\" does not hold " + want + "; check --vector-format");
  };
  if (pgvector_column(c, spec)) {
    s.vec = Shape::kPgvector;
  } else if (vt == kFloat4ArrayOid || vt == kFloat8ArrayOid) {
    if (f != VectorFormat::kAuto && f != VectorFormat::kArray) mismatch("bytea or JSON text (it is an array)");
    s.vec = vt == kFloat4ArrayOid ? Shape::kArrayF32 : Shape::kArrayF64;
  } else if (vt == kByteaOid) {
    if (f == VectorFormat::kArray || f == VectorFormat::kJson) mismatch("an array or JSON text (it is bytea)");
    s.vec = f == VectorFormat::kBlobF64 ? Shape::kBlobF64 : Shape::kBlobF32;
  } else if (text_like) {
    if (f != VectorFormat::kAuto && f != VectorFormat::kJson) mismatch("an array or bytea (it is text or JSON)");
    s.vec = Shape::kJsonText;
  } else {
    usage_error("the vector column \"" + spec.vector_column +
                "\" must be real[], double precision[], bytea, or JSON text (json, jsonb, text)");
  }
  return s;
}

uint32_t be32(const unsigned char* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// An array in PostgreSQL's binary form (array_send).
RawVector decode_array(const unsigned char* p, size_t n, bool f64) {
  RawVector v;
  v.kind = RawVector::kBad;
  if (n < 12) {
    v.problem = "vector array is truncated";
    return v;
  }
  uint32_t ndim = be32(p);
  Oid elem = be32(p + 8);
  if (elem != (f64 ? kFloat8Oid : kFloat4Oid)) {
    v.problem = "vector array has an unexpected element type";
    return v;
  }
  if (ndim == 0) {
    v.kind = f64 ? RawVector::kF64 : RawVector::kF32;
    return v;
  }
  if (ndim != 1) {
    v.problem = "vector is a " + std::to_string(ndim) + "-dimensional array, not a flat one";
    return v;
  }
  if (n < 20) {
    v.problem = "vector array is truncated";
    return v;
  }
  uint32_t count = be32(p + 12);
  if (count > static_cast<uint32_t>(VECTORPIN_MAX_VEC_DIM)) {
    v.problem = "vector has more than " + std::to_string(VECTORPIN_MAX_VEC_DIM) + " elements";
    return v;
  }
  size_t width = f64 ? 8 : 4, off = 20;
  if (f64) v.f64.reserve(count);
  else v.f32.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    if (off + 4 > n) {
      v.problem = "vector array is truncated";
      return v;
    }
    int32_t len = static_cast<int32_t>(be32(p + off));
    off += 4;
    if (len == -1) {
      v.problem = "vector element " + std::to_string(i) + " is NULL";
      return v;
    }
    if (len != static_cast<int32_t>(width) || off + width > n) {
      v.problem = "vector array is malformed";
      return v;
    }
    if (f64) {
      uint64_t bits = (uint64_t(be32(p + off)) << 32) | be32(p + off + 4);
      double d;
      std::memcpy(&d, &bits, 8);
      v.f64.push_back(d);
    } else {
      uint32_t bits = be32(p + off);
      float x;
      std::memcpy(&x, &bits, 4);
      v.f32.push_back(x);
    }
    off += width;
  }
  v.kind = f64 ? RawVector::kF64 : RawVector::kF32;
  return v;
}

RawVector decode_vector(const PGresult* r, int row, int col, Shape::VecKind kind) {
  RawVector v;
  if (PQgetisnull(r, row, col)) return v;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(PQgetvalue(r, row, col));
  size_t n = static_cast<size_t>(PQgetlength(r, row, col));
  switch (kind) {
    case Shape::kArrayF32: return decode_array(p, n, false);
    case Shape::kArrayF64: return decode_array(p, n, true);
    case Shape::kBlobF32: return decode_le_blob(p, n, false);
    case Shape::kBlobF64: return decode_le_blob(p, n, true);
    case Shape::kJsonText:
      v.kind = RawVector::kJsonText;
      v.text.assign(reinterpret_cast<const char*>(p), n);
      return v;
    case Shape::kPgvector: return decode_pgvector_text(reinterpret_cast<const char*>(p), n);
  }
  return v;
}

std::optional<std::string> text_value(const PGresult* r, int row, int col) {
  if (PQgetisnull(r, row, col)) return std::nullopt;
  return std::string(PQgetvalue(r, row, col), static_cast<size_t>(PQgetlength(r, row, col)));
}

// The SELECT list shared by the reader and the writer: text for ids, sources
// and pins, the vector as stored (JSON kinds as text).
std::string select_list(const TableSpec& spec, const Shape& s) {
  std::string vec = quote_identifier(spec.vector_column);
  if (s.vec == Shape::kJsonText || s.vec == Shape::kPgvector) vec += "::text";
  return quote_identifier(spec.id_column) + "::text, " + vec + ", " +
         (spec.use_source ? quote_identifier(spec.source_column) + "::text" : std::string("NULL::text"));
}

// The byte size of a column's value as the server knows it, without
// sending it: octet_length reads a TOASTed value's stored length (the
// uncompressed size), and an array's is its element count times the widest
// element plus its header.
std::string size_expr(const std::string& col, Shape::VecKind kind, bool is_vector) {
  if (is_vector && (kind == Shape::kArrayF32 || kind == Shape::kArrayF64))
    return "coalesce(cardinality(" + col + "), 0) * 12 + 24";
  if (is_vector && (kind == Shape::kJsonText || kind == Shape::kPgvector))
    return "coalesce(octet_length(" + col + "::text), 0)";
  if (is_vector) return "coalesce(octet_length(" + col + "), 0)";
  return "coalesce(octet_length(" + col + "::text), 0)";
}

// pin-store reads its table through a cursor, this many rows a page.
constexpr int kFetchRows = 1000;

// Ids longer than this are not sent for a record that is too large.
constexpr int kMaxTooLargeIdBytes = 4096;

class PostgresReader : public RecordReader {
 public:
  PostgresReader(const std::string& conninfo, const TableSpec& spec, bool insecure, size_t max_record_bytes)
      : spec_(spec), max_bytes_(max_record_bytes) {
    connect(conn_, conninfo, insecure);
    shape_ = describe(conn_.p, spec);
    // One snapshot for the whole scan.
    run(conn_.p, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "starting a read transaction");
    // The server sends a value only when its record is within the limit, so
    // a huge value never crosses the network; rows arrive one at a time
    // (single-row mode), so no page of large rows is ever held at once.
    const std::string id = quote_identifier(spec.id_column), vec = quote_identifier(spec.vector_column),
                      pin = quote_identifier(spec.pin_column);
    const std::string src = spec.use_source ? quote_identifier(spec.source_column) : std::string();
    std::string total = "(" + size_expr(id, shape_.vec, false) + " + " + size_expr(vec, shape_.vec, true) + " + " +
                        size_expr(pin, shape_.vec, false) +
                        (spec.use_source ? " + " + size_expr(src, shape_.vec, false) : std::string()) + ")";
    std::string limit = std::to_string(max_record_bytes);
    auto bounded = [&](const std::string& expr) { return "CASE WHEN " + total + " <= " + limit + " THEN " + expr + " END"; };
    std::string vec_expr = vec;
    if (shape_.vec == Shape::kJsonText || shape_.vec == Shape::kPgvector) vec_expr += "::text";
    query_ = "SELECT CASE WHEN " + total + " <= " + limit + " OR octet_length(" + id + "::text) <= " +
             std::to_string(kMaxTooLargeIdBytes) + " THEN " + id + "::text END, " + bounded(vec_expr) + ", " +
             (spec.use_source ? bounded(src + "::text") : std::string("NULL::text")) + ", " + bounded(pin + "::text") +
             ", " + total + "::bigint FROM " + qualified(spec);
  }

  std::optional<uint64_t> count() override {
    if (started_) return std::nullopt;
    Result r = run(conn_.p, "SELECT count(*) FROM " + qualified(spec_), "counting records", PGRES_TUPLES_OK);
    return std::strtoull(PQgetvalue(r.p, 0, 0), nullptr, 10);
  }

  std::string location() const override {
    auto or_empty = [](const char* s) { return std::string(s ? s : ""); };
    return "postgresql://" + or_empty(PQhost(conn_.p)) + ":" + or_empty(PQport(conn_.p)) + "/" + or_empty(PQdb(conn_.p));
  }

  bool next(Record& out) override {
    if (finished_) return false;
    if (!started_) {
      started_ = true;
      if (!PQsendQueryParams(conn_.p, query_.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1))
        pg_fail(conn_.p, nullptr, "reading the table");
      if (!PQsetSingleRowMode(conn_.p)) pg_fail(conn_.p, nullptr, "reading the table row by row");
    }
    Result row(PQgetResult(conn_.p));
    ExecStatusType st = row.p ? PQresultStatus(row.p) : PGRES_FATAL_ERROR;
    if (st == PGRES_TUPLES_OK) {
      // The end: drain the (empty) final result, then close the snapshot.
      while (PGresult* rest = PQgetResult(conn_.p)) PQclear(rest);
      finished_ = true;
      run(conn_.p, "COMMIT", "ending the read transaction");
      return false;
    }
    if (st != PGRES_SINGLE_TUPLE) pg_fail(conn_.p, row.p, "reading the table");
    const PGresult* r = row.p;
    out = Record();
    out.ordinal = ordinal_++;
    out.id = text_value(r, 0, 0);
    int64_t total = 0;
    if (!PQgetisnull(r, 0, 4) && PQgetlength(r, 0, 4) == 8) {
      const auto* b = reinterpret_cast<const unsigned char*>(PQgetvalue(r, 0, 4));
      for (int k = 0; k < 8; ++k) total = static_cast<int64_t>((static_cast<uint64_t>(total) << 8) | b[k]);
    }
    if (total < 0 || static_cast<uint64_t>(total) > max_bytes_) {
      out.too_large = true;
      out.unreadable = "record is larger than " + std::to_string(max_bytes_) + " bytes (--max-record-bytes); not read";
      return true;
    }
    // Kept as sent; decode() turns it into numbers on a worker thread.
    if (!PQgetisnull(r, 0, 1)) {
      out.vector.kind = RawVector::kRaw;
      out.vector.text.assign(PQgetvalue(r, 0, 1), static_cast<size_t>(PQgetlength(r, 0, 1)));
    }
    if (spec_.use_source) out.source = text_value(r, 0, 2);
    out.pin = text_value(r, 0, 3);
    return true;
  }

  void decode(Record& r) const override {
    if (r.vector.kind != RawVector::kRaw) return;
    std::string bytes = std::move(r.vector.text);
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    switch (shape_.vec) {
      case Shape::kArrayF32: r.vector = decode_array(p, bytes.size(), false); break;
      case Shape::kArrayF64: r.vector = decode_array(p, bytes.size(), true); break;
      case Shape::kBlobF32: r.vector = decode_le_blob(p, bytes.size(), false); break;
      case Shape::kBlobF64: r.vector = decode_le_blob(p, bytes.size(), true); break;
      case Shape::kJsonText:
        r.vector = RawVector();
        r.vector.kind = RawVector::kJsonText;
        r.vector.text = std::move(bytes);
        break;
      case Shape::kPgvector: r.vector = decode_pgvector_text(bytes.data(), bytes.size()); break;
    }
  }

 private:
  TableSpec spec_;
  size_t max_bytes_;
  Conn conn_;
  Shape shape_{};
  std::string query_;
  bool started_ = false, finished_ = false;
  uint64_t ordinal_ = 0;
};

// Rolls back unless committed. A client killed mid-way needs no help: the
// server rolls back the transaction of a connection that vanishes.
struct PgTransaction {
  PGconn* c;
  bool open = true;
  explicit PgTransaction(PGconn* conn) : c(conn) { run(c, "BEGIN", "starting a transaction"); }
  void commit() {
    run(c, "COMMIT", "committing");
    open = false;
  }
  ~PgTransaction() {
    if (open) PQclear(PQexec(c, "ROLLBACK"));
  }
};

}  // namespace

std::unique_ptr<RecordReader> open_postgres_reader(const std::string& conninfo, const TableSpec& spec,
                                                   bool allow_insecure_transport, size_t max_record_bytes) {
  return std::make_unique<PostgresReader>(conninfo, spec, allow_insecure_transport, max_record_bytes);
}

PinStoreResult pin_postgres_store(const std::string& conninfo, const TableSpec& spec, const PinJob& job,
                                  bool allow_insecure_transport) {
  Conn conn;
  connect(conn, conninfo, allow_insecure_transport);
  PGconn* c = conn.p;
  Shape shape = describe(c, spec);
  PinPool pool(job);
  const std::string t = qualified(spec);
  const std::string id = quote_identifier(spec.id_column);
  const std::string pin_col = quote_identifier(spec.pin_column);

  PgTransaction tx(c);
  // Readers go on; other writers wait until the pins are committed, so no row
  // changes between being read, signed and written.
  run(c, "LOCK TABLE " + t + " IN SHARE ROW EXCLUSIVE MODE", "locking the table");
  auto exists = [&](const std::string& sql) {
    return PQntuples(run(c, sql, "checking the table", PGRES_TUPLES_OK).p) > 0;
  };
  if (job.bind_record) {
    if (exists("SELECT 1 FROM " + t + " WHERE " + id + " IS NULL LIMIT 1"))
      runtime_error("table \"" + spec.table + "\" has rows with a NULL " + spec.id_column +
                    "; every record needs an id to be bound to (or give --no-bind-record)");
    if (exists("SELECT 1 FROM " + t + " GROUP BY " + id + " HAVING count(*) > 1 LIMIT 1"))
      runtime_error("the " + spec.id_column + " column of \"" + spec.table +
                    "\" is not unique; a pin bound to a duplicated id could be replayed between its rows");
  }
  Result cnt = run(c, "SELECT count(*) FROM " + t + " WHERE " + pin_col + " IS NOT NULL", "counting pins",
                   PGRES_TUPLES_OK);
  uint64_t already = std::strtoull(PQgetvalue(cnt.p, 0, 0), nullptr, 10);
  if (already > 0 && !job.only_unpinned && !job.overwrite)
    usage_error(std::to_string(already) + " rows already have a pin: give --only-unpinned to pin the others, or "
                "--overwrite to re-pin every row (which signs whatever the store holds now, tampered or not)");
  std::string where = job.only_unpinned ? " WHERE " + pin_col + " IS NULL" : std::string();

  Progress progress(job.progress, "pin-store");
  if (progress.enabled()) {
    Result total = run(c, "SELECT count(*) FROM " + t + where, "counting rows", PGRES_TUPLES_OK);
    progress.set_total(std::strtoull(PQgetvalue(total.p, 0, 0), nullptr, 10));
  }

  // Rows are addressed by ctid: a direct lookup, valid because the table is
  // locked against other writers and each row is updated once.
  run(c, "DECLARE vectorpin_pin BINARY NO SCROLL CURSOR FOR SELECT ctid::text, " + select_list(spec, shape) +
             " FROM " + t + where,
      "opening a cursor");
  std::string cast = shape.pin_type == kJsonbOid ? "::jsonb" : shape.pin_type == kJsonOid ? "::json" : "";
  {
    Result prep(PQprepare(c, "vectorpin_update",
                          ("UPDATE " + t + " SET " + pin_col + " = $1" + cast + " WHERE ctid = $2::tid").c_str(), 2,
                          nullptr));
    if (!prep.p || PQresultStatus(prep.p) != PGRES_COMMAND_OK) pg_fail(c, prep.p, "preparing the update");
  }

  PinStoreResult result;
  std::vector<PinRow> rows;
  std::vector<std::string> tids;
  while (true) {
    Result page = run(c, "FETCH FORWARD " + std::to_string(kFetchRows) + " FROM vectorpin_pin", "reading the table",
                      PGRES_TUPLES_OK);
    int n = PQntuples(page.p);
    if (n == 0) break;
    rows.clear();
    tids.clear();
    for (int i = 0; i < n; ++i) {
      tids.push_back(*text_value(page.p, i, 0));
      PinRow row;
      row.id = text_value(page.p, i, 1).value_or("");
      row.vector = decode_vector(page.p, i, 2, shape.vec);
      if (spec.use_source) {
        row.source = text_value(page.p, i, 3);
        if (!row.source) row.vector = RawVector{RawVector::kBad, {}, {}, {}, "source is NULL"};
      }
      rows.push_back(std::move(row));
    }
    pool.sign(rows);

    // The page's updates travel as one pipeline: one round trip, not one per row.
    if (PQenterPipelineMode(c) != 1) runtime_error("cannot enter pipeline mode: " + clip(PQerrorMessage(c)));
    size_t sent = 0;
    std::vector<size_t> sent_rows;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!rows[i].problem.empty()) {
        if (!job.skip_invalid) {
          PQexitPipelineMode(c);
          runtime_error("record " + safe_text(rows[i].id) + ": " + rows[i].problem +
                        " (nothing was written; --skip-invalid leaves such rows unpinned)");
        }
        ++result.skipped;
        if (result.skipped_ids.size() < 10)
          result.skipped_ids.push_back(safe_text(rows[i].id) + ": " + rows[i].problem);
        continue;
      }
      const char* values[2] = {rows[i].pin_json.c_str(), tids[i].c_str()};
      if (PQsendQueryPrepared(c, "vectorpin_update", 2, values, nullptr, nullptr, 0) != 1)
        runtime_error("sending an update: " + clip(PQerrorMessage(c)));
      ++sent;
      sent_rows.push_back(i);
    }
    if (PQpipelineSync(c) != 1) runtime_error("sending updates: " + clip(PQerrorMessage(c)));
    for (size_t k = 0; k < sent; ++k) {
      Result r(PQgetResult(c));
      if (!r.p || PQresultStatus(r.p) != PGRES_COMMAND_OK) pg_fail(c, r.p, "writing a pin");
      if (std::strcmp(PQcmdTuples(r.p), "1") != 0)
        runtime_error("writing the pin of record " + safe_text(rows[sent_rows[k]].id) + " changed " +
                      std::string(PQcmdTuples(r.p)) + " rows");
      Result end(PQgetResult(c));  // the NULL that closes each query's results
      ++result.pinned;
      fault_point_row_written();
    }
    Result sync(PQgetResult(c));
    if (!sync.p || PQresultStatus(sync.p) != PGRES_PIPELINE_SYNC) pg_fail(c, sync.p, "ending the update pipeline");
    if (PQexitPipelineMode(c) != 1) runtime_error("cannot leave pipeline mode: " + clip(PQerrorMessage(c)));
    progress.update(result.pinned + result.skipped);
    if (n < kFetchRows) break;
  }
  run(c, "CLOSE vectorpin_pin", "closing the cursor");
  tx.commit();
  progress.finish(result.pinned + result.skipped);
  return result;
}

}  // namespace cli::audit

#else  // built without libpq

namespace cli::audit {

std::unique_ptr<RecordReader> open_postgres_reader(const std::string&, const TableSpec&, bool, size_t) {
  runtime_error("this vectorpin was built without PostgreSQL support (install libpq-dev and rebuild)");
}

PinStoreResult pin_postgres_store(const std::string&, const TableSpec&, const PinJob&, bool) {
  runtime_error("this vectorpin was built without PostgreSQL support (install libpq-dev and rebuild)");
}

}  // namespace cli::audit

#endif
