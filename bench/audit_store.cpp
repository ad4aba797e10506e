// The store for the end-to-end audit benchmark (bench/e2e_audit.py), and the
// in-memory batch rate on the same records.
//
//   vectorpin_bench_audit_store make --seed-file F --sqlite PATH [--jsonl PATH]
//       --records N [--dim 3072] [--source-bytes 1024] [--threads 2]
//     N records, each a 3072-dimension f32 vector, a source of that many
//     bytes and its pin under one key (kid "bench", raw 32-byte seed in F),
//     written to a fresh SQLite table `docs` (id INTEGER, vector BLOB,
//     source TEXT, vectorpin TEXT) and/or a JSONL file.
//   vectorpin_bench_audit_store batch --sqlite PATH --public-key-out F --records M --threads T
//     reads the first M records back and prints, as JSON, the rate of
//     vectorpin_verify_batch over them (chunks of 64, T threads), with the
//     CPU time it took.
//   vectorpin_bench_audit_store read --sqlite PATH --records M
//     a floor for any reader of the store: walks the first M records with
//     the least work SQLite allows (one statement; each value's pointer,
//     nothing copied or decoded) and prints the user and system CPU time
//     per record. The user time is SQLite's own work, a cost no audit of
//     this store can avoid, whatever its kernel reads cost.
//
// Vectors are deterministic (xorshift), each distinct; nothing here is timed
// but the batch call and the bare walk.
#include <sqlite3.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "vectorpin.h"

namespace {

[[noreturn]] void fail(const std::string& m) {
  std::cerr << "vectorpin_bench_audit_store: " << m << "\n";
  std::exit(2);
}

// CPU time of the whole process so far, in seconds.
struct Cpu {
  double user, system;
};
Cpu cpu_now() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return {sec(u.ru_utime), sec(u.ru_stime)};
}

std::string arg(int argc, char** argv, const std::string& name, const char* fallback = nullptr) {
  for (int i = 2; i + 1 < argc; ++i)
    if (argv[i] == "--" + name) return argv[i + 1];
  if (!fallback) fail("missing --" + name);
  return fallback;
}

void make_vector(uint64_t index, std::vector<float>& v) {
  uint64_t s = 0x9e3779b97f4a7c15ULL * (index + 1);
  for (auto& x : v) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    x = static_cast<float>(static_cast<double>(s >> 11) / 9007199254740992.0 * 2.0 - 1.0) * 0.05f;
  }
}

std::string make_source(uint64_t index, size_t bytes) {
  std::string s = "record " + std::to_string(index) + ": ";
  static const char kWords[] = "the quick brown fox jumps over the lazy dog and pins every vector it finds ";
  while (s.size() < bytes) s += kWords;
  s.resize(bytes);
  return s;
}

std::string json_floats(const std::vector<float>& v) {
  std::string out = "[";
  char buf[32];
  for (size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%s%.9g", i ? "," : "", static_cast<double>(v[i]));
    out += buf;
  }
  return out + "]";
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

void check_sql(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) fail(std::string(what) + ": " + sqlite3_errmsg(db));
}

int make(int argc, char** argv) {
  std::string seed_file = arg(argc, argv, "seed-file");
  std::string sqlite_path = arg(argc, argv, "sqlite", "");
  std::string jsonl_path = arg(argc, argv, "jsonl", "");
  const uint64_t n = std::stoull(arg(argc, argv, "records"));
  const size_t dim = std::stoul(arg(argc, argv, "dim", "3072"));
  const size_t source_bytes = std::stoul(arg(argc, argv, "source-bytes", "1024"));
  const unsigned threads = static_cast<unsigned>(std::stoul(arg(argc, argv, "threads", "2")));

  std::string seed;
  {
    std::ifstream in(seed_file, std::ios::binary);
    seed.assign(std::istreambuf_iterator<char>(in), {});
  }
  if (seed.size() != 32) fail("the seed file must hold 32 bytes");
  vectorpin_signer* signer = nullptr;
  if (vectorpin_signer_from_seed(&signer, "bench", 5, reinterpret_cast<const uint8_t*>(seed.data()), 32, nullptr) !=
      VECTORPIN_OK)
    fail("cannot make the signer");

  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
  if (!sqlite_path.empty()) {
    std::remove(sqlite_path.c_str());
    check_sql(sqlite3_open(sqlite_path.c_str(), &db), db, "open");
    // A fresh benchmark file: no journal needed while it is made.
    check_sql(sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                               "CREATE TABLE docs (id INTEGER PRIMARY KEY, vector BLOB, source TEXT, vectorpin TEXT);"
                               "BEGIN",
                           nullptr, nullptr, nullptr),
              db, "create");
    check_sql(sqlite3_prepare_v2(db, "INSERT INTO docs VALUES (?1, ?2, ?3, ?4)", -1, &insert, nullptr), db, "prepare");
  }
  std::FILE* jsonl = jsonl_path.empty() ? nullptr : std::fopen(jsonl_path.c_str(), "wb");
  if (!jsonl_path.empty() && !jsonl) fail("cannot create " + jsonl_path);

  // Signing runs on `threads` threads, a block at a time; writing stays on this one.
  const uint64_t block = 4096;
  struct Item {
    std::vector<float> v;
    std::string source, pin;
  };
  std::vector<Item> items(block);
  for (uint64_t base = 0; base < n; base += block) {
    uint64_t count = std::min<uint64_t>(block, n - base);
    std::atomic<uint64_t> next{0};
    auto work = [&] {
      vectorpin_pin_options* opts = nullptr;
      if (vectorpin_pin_options_new(&opts, nullptr) != VECTORPIN_OK) fail("out of memory");
      for (uint64_t k; (k = next++) < count;) {
        Item& it = items[k];
        it.v.resize(dim);
        make_vector(base + k, it.v);
        it.source = make_source(base + k, source_bytes);
        std::string id = std::to_string(base + k);
        if (vectorpin_pin_options_set_extra(opts, "vectorpin.record_id", 19, id.data(), id.size(), nullptr) !=
            VECTORPIN_OK)
          fail("cannot bind the record id");
        vectorpin_pin* pin = nullptr;
        vectorpin_error err;
        if (vectorpin_signer_pin_f32(signer, &pin, it.source.data(), it.source.size(), "bench-model", 11, it.v.data(),
                                     it.v.size(), opts, &err) != VECTORPIN_OK)
          fail(std::string("pin: ") + err.message);
        char* text = nullptr;
        size_t len = 0;
        if (vectorpin_pin_to_json(pin, &text, &len, nullptr) != VECTORPIN_OK) fail("cannot write a pin");
        it.pin.assign(text, len);
        vectorpin_free(text);
        vectorpin_pin_free(pin);
      }
      vectorpin_pin_options_free(opts);
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    for (uint64_t k = 0; k < count; ++k) {
      const Item& it = items[k];
      if (insert) {
        sqlite3_reset(insert);
        sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(base + k));
        sqlite3_bind_blob(insert, 2, it.v.data(), static_cast<int>(it.v.size() * 4), SQLITE_STATIC);
        sqlite3_bind_text(insert, 3, it.source.data(), static_cast<int>(it.source.size()), SQLITE_STATIC);
        sqlite3_bind_text(insert, 4, it.pin.data(), static_cast<int>(it.pin.size()), SQLITE_STATIC);
        check_sql(sqlite3_step(insert), db, "insert");
      }
      if (jsonl) {
        std::string line = "{\"id\":" + std::to_string(base + k) + ",\"vector\":" + json_floats(it.v) +
                           ",\"source\":" + json_string(it.source) + ",\"vectorpin\":" + json_string(it.pin) + "}\n";
        if (std::fwrite(line.data(), 1, line.size(), jsonl) != line.size()) fail("cannot write " + jsonl_path);
      }
    }
  }
  if (db) {
    sqlite3_finalize(insert);
    check_sql(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    sqlite3_close(db);
  }
  if (jsonl && std::fclose(jsonl) != 0) fail("cannot write " + jsonl_path);
  uint8_t pk[32];
  if (vectorpin_signer_public_key(signer, pk, 32, nullptr) != VECTORPIN_OK) fail("cannot read the public key");
  std::string pk_path = seed_file + ".pub";
  std::ofstream(pk_path, std::ios::binary).write(reinterpret_cast<const char*>(pk), 32);
  vectorpin_signer_free(signer);
  return 0;
}

int batch(int argc, char** argv) {
  std::string sqlite_path = arg(argc, argv, "sqlite");
  std::string pk_path = arg(argc, argv, "public-key");
  const uint64_t m = std::stoull(arg(argc, argv, "records"));
  const unsigned threads = static_cast<unsigned>(std::stoul(arg(argc, argv, "threads", "2")));
  std::string pk;
  {
    std::ifstream in(pk_path, std::ios::binary);
    pk.assign(std::istreambuf_iterator<char>(in), {});
  }
  vectorpin_verifier* verifier = nullptr;
  if (vectorpin_verifier_new(&verifier, nullptr) != VECTORPIN_OK) fail("out of memory");
  if (vectorpin_verifier_add_key(verifier, "bench", 5, reinterpret_cast<const uint8_t*>(pk.data()), pk.size(), nullptr,
                                 0, nullptr, 0, nullptr) != VECTORPIN_OK)
    fail("cannot register the key");

  struct Rec {
    std::vector<float> v;
    std::string source, pin;
  };
  std::vector<Rec> recs;
  sqlite3* db = nullptr;
  check_sql(sqlite3_open_v2(sqlite_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), db, "open");
  sqlite3_stmt* st = nullptr;
  check_sql(sqlite3_prepare_v2(db, "SELECT vector, source, vectorpin FROM docs LIMIT ?1", -1, &st, nullptr), db,
            "prepare");
  sqlite3_bind_int64(st, 1, static_cast<sqlite3_int64>(m));
  while (sqlite3_step(st) == SQLITE_ROW) {
    Rec r;
    size_t bytes = static_cast<size_t>(sqlite3_column_bytes(st, 0));
    r.v.resize(bytes / 4);
    std::memcpy(r.v.data(), sqlite3_column_blob(st, 0), bytes);
    r.source.assign(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)),
                    static_cast<size_t>(sqlite3_column_bytes(st, 1)));
    r.pin.assign(reinterpret_cast<const char*>(sqlite3_column_text(st, 2)),
                 static_cast<size_t>(sqlite3_column_bytes(st, 2)));
    recs.push_back(std::move(r));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);

  // As the audit calls it: chunks of 64 items, one call per chunk, `threads`
  // threads taking chunks in turn.
  std::vector<vectorpin_batch_item> items(recs.size());
  for (size_t i = 0; i < recs.size(); ++i) {
#ifdef VECTORPIN_BATCH_ITEM_INIT
    items[i] = vectorpin_batch_item VECTORPIN_BATCH_ITEM_INIT;
#else
    items[i] = vectorpin_batch_item{};
#endif
    items[i].pin_json = recs[i].pin.data();
    items[i].pin_json_len = recs[i].pin.size();
    items[i].source = recs[i].source.data();
    items[i].source_len = recs[i].source.size();
    items[i].vector = recs[i].v.data();
    items[i].dim = recs[i].v.size();
    items[i].vector_dtype = VECTORPIN_DTYPE_F32;
  }
  std::vector<vectorpin_error> results(items.size());
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> failures{0};
  auto started = std::chrono::steady_clock::now();
  const Cpu cpu_before = cpu_now();
  auto work = [&] {
    for (size_t at; (at = next.fetch_add(64)) < items.size();) {
      size_t count = std::min<size_t>(64, items.size() - at);
      if (vectorpin_verify_batch(verifier, results.data() + at, items.data() + at, count, 1, nullptr) != VECTORPIN_OK)
        fail("vectorpin_verify_batch refused the call");
      for (size_t k = 0; k < count; ++k)
        if (results[at + k].code != VECTORPIN_OK) ++failures;
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const Cpu cpu_after = cpu_now();
  const double cpu = cpu_after.user + cpu_after.system - cpu_before.user - cpu_before.system;
  std::printf("{\"records\":%zu,\"threads\":%u,\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"records_per_second\":%.0f,"
              "\"failures\":%llu}\n",
              items.size(), threads, seconds, cpu, static_cast<double>(items.size()) / seconds,
              static_cast<unsigned long long>(failures.load()));
  vectorpin_verifier_free(verifier);
  return failures.load() == 0 ? 0 : 1;
}

int read_floor(int argc, char** argv) {
  std::string sqlite_path = arg(argc, argv, "sqlite");
  const uint64_t m = std::stoull(arg(argc, argv, "records"));
  sqlite3* db = nullptr;
  check_sql(sqlite3_open_v2(sqlite_path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr), db,
            "open");
  sqlite3_stmt* st = nullptr;
  check_sql(sqlite3_prepare_v2(db, "SELECT vector, source, vectorpin FROM docs LIMIT ?1", -1, &st, nullptr), db,
            "prepare");
  sqlite3_bind_int64(st, 1, static_cast<sqlite3_int64>(m));
  uint64_t records = 0, bytes = 0;
  unsigned checksum = 0;  // one byte of every value, so that none is skipped
  const Cpu before = cpu_now();
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    for (int col = 0; col < 3; ++col) {
      const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(st, col));
      size_t n = static_cast<size_t>(sqlite3_column_bytes(st, col));
      checksum += n ? p[n - 1] : 0u;
      bytes += n;
    }
    ++records;
  }
  const Cpu after = cpu_now();
  if (rc != SQLITE_DONE) fail(std::string("reading: ") + sqlite3_errmsg(db));
  sqlite3_finalize(st);
  sqlite3_close(db);
  const double per = records ? 1e6 / static_cast<double>(records) : 0.0;
  std::printf("{\"records\":%llu,\"bytes\":%llu,\"user_us_per_record\":%.3f,\"system_us_per_record\":%.3f,"
              "\"checksum\":%u}\n",
              static_cast<unsigned long long>(records), static_cast<unsigned long long>(bytes),
              (after.user - before.user) * per, (after.system - before.system) * per, checksum);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) fail("usage: make ... | batch ... | read ...");
  std::string cmd = argv[1];
  if (cmd == "make") return make(argc, argv);
  if (cmd == "batch") return batch(argc, argv);
  if (cmd == "read") return read_floor(argc, argv);
  fail("unknown command " + cmd);
}
