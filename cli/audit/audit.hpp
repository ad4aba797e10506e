// Store auditing and bulk pinning: the pieces shared by `vectorpin audit`,
// `vectorpin pin-store` and the store backends (SQLite, JSONL, PostgreSQL).
// Everything here sits on the public C interface only.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../cli.hpp"
#include "shard.hpp"

namespace cli::audit {

// Codes for problems a record can have before the library sees it. They are
// upper-case like the library's status names and never collide with them.
inline constexpr const char* kRecordUnreadable = "RECORD_UNREADABLE";
inline constexpr const char* kVectorMissing = "VECTOR_MISSING";
inline constexpr const char* kVectorUnreadable = "VECTOR_UNREADABLE";
inline constexpr const char* kSourceMissing = "SOURCE_MISSING";
inline constexpr const char* kRecordTooLarge = "RECORD_TOO_LARGE";
inline constexpr const char* kUnpinned = "UNPINNED";

// ---- store names -------------------------------------------------------------

enum class Backend { kSqlite, kJsonl, kPostgres };

struct StoreRef {
  Backend backend;
  std::string location;  // file path, or a libpq conninfo string / URI
  const char* name() const {
    return backend == Backend::kSqlite ? "sqlite" : backend == Backend::kJsonl ? "jsonl" : "postgresql";
  }
};

// `sqlite:PATH`, `jsonl:PATH` (`jsonl:-` is stdin), `postgresql://...`,
// `postgres://...` or `postgres:CONNINFO`. Anything else is a usage error.
StoreRef parse_store(const std::string& text);

// Identifiers are interpolated into SQL, so only `[A-Za-z_][A-Za-z0-9_]*`
// (at most 63 bytes, PostgreSQL's limit) is accepted, and they are always
// quoted, which also keeps their case. Usage error otherwise.
void validate_identifier(const std::string& value, const std::string& option);
std::string quote_identifier(const std::string& validated);

// ---- records -------------------------------------------------------------------

// How a store encodes vectors.
enum class VectorFormat { kAuto, kBlobF32, kBlobF64, kJson, kArray };
VectorFormat parse_vector_format(const std::string& text, Backend backend);

// A vector as read from a store. JSON text is kept as text and converted once
// the pin's element type is known, so that an f32 pin's decimals are read
// straight to float (reading them as double first could round twice).
struct RawVector {
  // kRaw: the bytes as the store holds them, decoded later by the reader's
  // decode() on a worker thread, so that the reading thread only copies.
  enum Kind { kNone, kF32, kF64, kJsonText, kBad, kRaw } kind = kNone;
  std::vector<float> f32;
  std::vector<double> f64;
  std::string text;     // kJsonText: the array's text; kRaw: the stored bytes
  std::string problem;  // kBad: why it cannot be read
};

struct Record {
  uint64_t ordinal = 0;  // position in the scan, from 0
  uint64_t line = 0;     // JSONL line number (1-based); 0 for other stores
  std::optional<std::string> id;
  std::optional<std::string> pin;  // the pin's JSON text; nullopt = unpinned
  std::string pin_problem;         // set: the pin value cannot be a pin (PARSE_ERROR)
  RawVector vector;
  std::optional<std::string> source;
  std::string unreadable;  // set: the record itself could not be decoded
  bool too_large = false;  // with `unreadable`: over the record size limit (RECORD_TOO_LARGE)
  std::string raw_line;    // JSONL: the line, taken apart by decode() on a worker thread

  // Bytes this record can occupy while it is in flight: what was read, the
  // copies taken from it, and its decoded vector (at most 8 bytes for each
  // of VECTORPIN_MAX_VEC_DIM elements). The audit bounds their sum.
  size_t charge() const;
};

// Records larger than this many bytes (id, vector, source and pin together;
// a JSONL line) are not read: each is one RECORD_TOO_LARGE failure. Set by
// `audit --max-record-bytes`.
inline constexpr size_t kDefaultMaxRecordBytes = size_t(64) << 20;

// A forward-only stream of records. `next` throws cli::Failure on I/O
// errors; a record that cannot be decoded is returned with `unreadable` set.
class RecordReader {
 public:
  virtual ~RecordReader() = default;
  virtual bool next(Record& out) = 0;
  // The number of records, for the progress bar; may cost a pass over the
  // store, so it is only asked for when a terminal shows the bar.
  virtual std::optional<uint64_t> count() { return std::nullopt; }
  // Finishes what next() left raw (a JSONL line, vector bytes). Called on a
  // worker thread, concurrently with next() and with other decode() calls,
  // so it touches nothing but `r`.
  virtual void decode(Record& r) const { (void)r; }
  // Where the records come from, without credentials (a sharded summary
  // names it so that audit-merge can refuse shards of different stores).
  virtual std::string location() const = 0;
};

// Column (or JSONL field) names and formats shared by the backends.
struct TableSpec {
  std::string schema;  // PostgreSQL only; empty = search_path
  std::string table;
  std::string id_column = "id";
  std::string vector_column = "vector";
  std::string source_column = "source";
  std::string pin_column = "vectorpin";
  bool use_source = true;
  VectorFormat vector_format = VectorFormat::kAuto;
};

// Decoding helpers shared by the backends.
// Little-endian packed floats; a length that is not a multiple of the width
// gives kBad.
RawVector decode_le_blob(const unsigned char* data, size_t len, bool f64);
// Reads a JSON array of numbers into `v` as f32 or f64 (util/json_numbers.hpp
// says how); `v` becomes kF32/kF64, or kBad with the problem.
void decode_json_vector(RawVector& v, const std::string& text, bool as_f32);
// `text` cut to at most `limit` bytes on a UTF-8 boundary.
std::string clip_utf8(const std::string& text, size_t limit, bool* clipped = nullptr);
// Store data (record ids, names) for a message meant for a terminal: at most
// `limit` bytes, control characters and DEL replaced by '?'.
std::string safe_text(const std::string& text, size_t limit = 64);
// The absolute, symlink-free form of a file path (the path itself if that
// cannot be found), for a summary's "location".
std::string canonical_path(const std::string& path);
// Lowercase hex of bytes.
std::string hex_bytes(const unsigned char* data, size_t len);

std::unique_ptr<RecordReader> open_sqlite_reader(const std::string& path, const TableSpec& spec,
                                                 size_t max_record_bytes);
std::unique_ptr<RecordReader> open_jsonl_reader(const std::string& path, const TableSpec& spec,
                                                size_t max_record_bytes);
std::unique_ptr<RecordReader> open_postgres_reader(const std::string& conninfo, const TableSpec& spec,
                                                   bool allow_insecure_transport, size_t max_record_bytes);

// ---- bulk pinning ----------------------------------------------------------------

struct PinJob {
  const vectorpin_signer* signer = nullptr;
  std::string model;
  std::optional<std::string> model_hash;
  std::optional<std::string> timestamp;
  int protocol = 2;
  vectorpin_dtype json_dtype = VECTORPIN_DTYPE_F64;  // element type for JSON vectors
  std::vector<std::pair<std::string, std::string>> extra;
  bool bind_record = true;
  std::optional<std::string> collection_id;  // nullopt = do not bind
  bool only_unpinned = false;
  bool overwrite = false;
  bool skip_invalid = false;
  unsigned threads = 1;
  bool progress = false;
};

// One row to sign, as a backend hands it to the signing pool.
struct PinRow {
  std::string id;
  RawVector vector;
  std::optional<std::string> source;
  // Results:
  std::string pin_json;
  std::string problem;
};

struct PinStoreResult {
  uint64_t pinned = 0;
  uint64_t skipped = 0;  // rows left as they were (already pinned with --only-unpinned, or invalid with --skip-invalid)
  std::vector<std::string> skipped_ids;  // first few invalid rows, for the message
};

// Signs rows in parallel; each row gets `pin_json` or `problem`.
class PinPool {
 public:
  explicit PinPool(const PinJob& job);
  ~PinPool();
  PinPool(const PinPool&) = delete;
  PinPool& operator=(const PinPool&) = delete;
  void sign(std::vector<PinRow>& rows);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

PinStoreResult pin_sqlite_store(const std::string& path, const TableSpec& spec, const PinJob& job);
PinStoreResult pin_postgres_store(const std::string& conninfo, const TableSpec& spec, const PinJob& job,
                                  bool allow_insecure_transport);

// Called after each row `pin-store` writes. The installed program's version
// does nothing (fault_points_none.cpp); the test build's (vectorpin-faults,
// fault_points_test.cpp) can stop there so that a test can kill it.
void fault_point_row_written();

// ---- progress --------------------------------------------------------------------

// A one-line progress bar with rate and ETA on stderr, drawn only when stderr
// is a terminal; otherwise every call is a no-op.
class Progress {
 public:
  Progress(bool enabled, const char* verb);
  ~Progress();
  bool enabled() const { return enabled_; }
  void set_total(std::optional<uint64_t> total) { total_ = total; }
  void update(uint64_t done, bool force = false);
  void clear();  // erase the bar (before other stderr output)
  void finish(uint64_t done);

 private:
  bool enabled_;
  const char* verb_;
  std::optional<uint64_t> total_;
  double start_;
  double last_draw_ = -1;
  bool drawn_ = false;
};

// The progress line for a terminal `columns` wide: a bar with counts, rate
// and ETA when it fits, the numbers alone when narrower, a bare counter when
// narrower still; never more than columns - 1 characters.
std::string progress_line(const char* verb, uint64_t done, std::optional<uint64_t> total, double rate, double eta,
                          int columns);
bool stderr_is_terminal();
double monotonic_seconds();
unsigned resolve_threads(const std::optional<std::string>& value);

}  // namespace cli::audit

namespace cli::audit {

// ---- auditing ------------------------------------------------------------------------

struct AuditOptions {
  unsigned threads = 1;
  bool use_source = true;
  bool bind_record = false;
  std::optional<std::string> collection_id;
  std::optional<std::string> expect_model;
  bool fail_on_unpinned = false;
  bool progress = false;
  std::FILE* report = nullptr;  // one JSON line per failed record
  bool report_is_stderr = false;
  std::optional<Shard> shard;  // audit only the records of this shard
  size_t max_record_bytes = kDefaultMaxRecordBytes;
};

// What the audit holds in flight at most, in Record::charge() bytes (one
// record larger than this still goes through alone).
size_t in_flight_budget(size_t max_record_bytes);

struct AuditSummary {
  uint64_t total = 0, pinned = 0, verified_ok = 0, verification_failed = 0, unpinned = 0;
  std::vector<std::pair<std::string, uint64_t>> by_error;  // sorted by code
  double elapsed_seconds = 0;
};

// Streams every record of `reader` through the verifier: the reader runs on
// its own thread, `threads` workers decode and verify chunks of records, and
// this thread writes failures to the report in store order. The records in
// flight are bounded in bytes (in_flight_budget).
// Throws cli::Failure if the store cannot be read to the end.
AuditSummary run_audit(RecordReader& reader, const vectorpin_verifier* verifier, const AuditOptions& options);

}  // namespace cli::audit
