// Every entry point that reads a JSON vector reads it the same way: each
// decimal is the value it denotes, rounded once to the pin's element type.
// A pin made by `pin --vector v.json` must verify through `verify-pin`, a
// JSONL store, a SQLite JSON column and `pin-store`, on vectors full of
// half-way cases, subnormals, huge and tiny exponents and negative zero; and
// a decimal that overflows is refused by all of them. (PostgreSQL json
// columns: PostgresAudit.JsonVectorsReadLikeEveryOtherEntryPoint.)
#include "audit_support.hpp"
#include "hard_vectors.hpp"

namespace audit_test {
namespace {

using P = Sqlite;

std::string npy(const std::string& descr, const std::string& raw, size_t n) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + std::to_string(n) + ",), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string file = std::string("\x93NUMPY\x01\x00", 8);
  file += static_cast<char>(header.size() & 0xff);
  file += static_cast<char>(header.size() >> 8);
  return file + header + raw;
}

class JsonVectors : public ::testing::Test {
 protected:
  TempDir dir;
  TestKey key{dir};
  std::string source = "the source text";

  std::string make_pin(const std::string& dtype, const std::string& vector_file) {
    write_file(dir / "source.txt", source);
    CliRun p = run_cli(dir, {"pin", "--private-key", key.priv, "--key-id", key.kid, "--model", "m1", "--source",
                             dir / "source.txt", "--vector", vector_file, "--dtype", dtype, "--timestamp",
                             "2026-01-01T00:00:00Z"});
    EXPECT_EQ(p.exit_code, 0) << p.err;
    return p.out.substr(0, p.out.find_last_not_of('\n') + 1);
  }

  CliRun verify_pin(const std::string& pin, const std::string& vector_file) {
    write_file(dir / "pin.json", pin);
    return run_cli(dir, cat(cat({"verify-pin", "--pin", dir / "pin.json", "--source", dir / "source.txt", "--vector",
                                 vector_file},
                                key.verify_args()),
                            {}));
  }

  // A JSONL store and a SQLite table holding `text` as the vector of one
  // record pinned by `pin`, each audited; both must come out verified.
  void expect_stores_verify(const std::string& text, const std::string& pin) {
    write_file(dir / "store.jsonl", "{\"id\":\"r1\",\"vector\":" + text + ",\"source\":" + json(source).dump() +
                                        ",\"vectorpin\":" + json(pin).dump() + "}\n");
    CliRun j = run_cli(dir, cat({"audit", "--store", "jsonl:" + (dir / "store.jsonl")}, key.verify_args()));
    EXPECT_EQ(j.exit_code, 0) << j.err;
    std::string db = dir / "store.db";
    std::remove(db.c_str());
    {
      Sqlite s(db);
      s.exec("CREATE TABLE docs (id TEXT, vector TEXT, source TEXT, vectorpin TEXT)");
      s.run("INSERT INTO docs VALUES ('r1', ?1, ?2, ?3)", {P::text(text), P::text(source), P::text(pin)});
    }
    CliRun q = run_cli(dir, cat({"audit", "--store", "sqlite:" + db, "--table", "docs", "--vector-format", "json"},
                                key.verify_args()));
    EXPECT_EQ(q.exit_code, 0) << q.err;
  }

  // pin-store on the same JSON text must hash the same vector as `pin`.
  void expect_pin_store_agrees(const std::string& text, const std::string& dtype, const std::string& pin) {
    std::string db = dir / "pinned.db";
    std::remove(db.c_str());
    {
      Sqlite s(db);
      s.exec("CREATE TABLE docs (id TEXT, vector TEXT, source TEXT, vectorpin TEXT)");
      s.run("INSERT INTO docs VALUES ('r1', ?1, ?2, NULL)", {P::text(text), P::text(source)});
    }
    CliRun p = run_cli(dir, {"pin-store", "--store", "sqlite:" + db, "--table", "docs", "--vector-format", "json",
                             "--dtype", dtype, "--private-key", key.priv, "--key-id", key.kid, "--model", "m1",
                             "--no-progress"});
    ASSERT_EQ(p.exit_code, 0) << p.err;
    json stored = json::parse(Sqlite(db).text_value("SELECT vectorpin FROM docs"));
    EXPECT_EQ(stored["vec_hash"], json::parse(pin)["vec_hash"]);
    EXPECT_EQ(stored["vec_dtype"], dtype);
  }
};

TEST_F(JsonVectors, F32HardCasesAgreeEverywhere) {
  write_file(dir / "v.json", kF32Text);
  std::string pin = make_pin("f32", dir / "v.json");
  ASSERT_FALSE(pin.empty());
  // The pin hashes exactly the expected floats: the same vector as .npy verifies.
  std::string raw;
  for (uint32_t b : kF32Bits)
    for (int k = 0; k < 4; ++k) raw += static_cast<char>((b >> (8 * k)) & 0xff);
  write_file(dir / "v.npy", npy("<f4", raw, std::size(kF32Bits)));
  CliRun exact = verify_pin(pin, dir / "v.npy");
  EXPECT_EQ(exact.exit_code, 0) << exact.out << exact.err;
  CliRun via_json = verify_pin(pin, dir / "v.json");
  EXPECT_EQ(via_json.exit_code, 0) << via_json.out << via_json.err;
  // Rounded through double, the first element would be 1.0: that vector must not verify.
  std::string twice = raw;
  twice[0] = 0;  // 0x3f800001 -> 0x3f800000
  write_file(dir / "twice.npy", npy("<f4", twice, std::size(kF32Bits)));
  EXPECT_EQ(verify_pin(pin, dir / "twice.npy").exit_code, 1);
  expect_stores_verify(kF32Text, pin);
  expect_pin_store_agrees(kF32Text, "f32", pin);
}

TEST_F(JsonVectors, F64HardCasesAgreeEverywhere) {
  write_file(dir / "v.json", kF64Text);
  std::string pin = make_pin("f64", dir / "v.json");
  ASSERT_FALSE(pin.empty());
  std::string raw;
  for (uint64_t b : kF64Bits)
    for (int k = 0; k < 8; ++k) raw += static_cast<char>((b >> (8 * k)) & 0xff);
  write_file(dir / "v.npy", npy("<f8", raw, std::size(kF64Bits)));
  EXPECT_EQ(verify_pin(pin, dir / "v.npy").exit_code, 0);
  EXPECT_EQ(verify_pin(pin, dir / "v.json").exit_code, 0);
  expect_stores_verify(kF64Text, pin);
  expect_pin_store_agrees(kF64Text, "f64", pin);
}

TEST_F(JsonVectors, OverflowIsRefusedEverywhere) {
  // Fine as f64, infinite as f32 (half-way to 2^128 ties to even, upwards).
  const std::string text = "[1, 340282356779733661637539395458142568448]";
  write_file(dir / "v.json", text);
  write_file(dir / "source.txt", source);
  CliRun p = run_cli(dir, {"pin", "--private-key", key.priv, "--key-id", key.kid, "--model", "m1", "--source",
                           dir / "source.txt", "--vector", dir / "v.json", "--dtype", "f32"});
  EXPECT_EQ(p.exit_code, 3);
  EXPECT_NE(p.err.find("out of the f32 range"), std::string::npos) << p.err;
  // A genuine f32 pin of another vector, checked against this one.
  write_file(dir / "ok.json", "[1, 2]");
  std::string pin = make_pin("f32", dir / "ok.json");
  CliRun v = verify_pin(pin, dir / "v.json");
  EXPECT_EQ(v.exit_code, 3) << v.out;
  EXPECT_NE(v.err.find("out of the f32 range"), std::string::npos) << v.err;
  write_file(dir / "store.jsonl", "{\"id\":\"r1\",\"vector\":" + text + ",\"source\":" + json(source).dump() +
                                      ",\"vectorpin\":" + json(pin).dump() + "}\n");
  std::string rep = dir / "rep.jsonl";
  CliRun j = run_cli(dir, cat({"audit", "--store", "jsonl:" + (dir / "store.jsonl"), "--report", rep},
                              key.verify_args()));
  EXPECT_EQ(j.exit_code, 1);
  EXPECT_EQ(report_codes(read_file(rep)), (std::map<std::string, std::string>{{"r1", "VECTOR_UNREADABLE"}}));
  std::string db = dir / "pinned.db";
  {
    Sqlite s(db);
    s.exec("CREATE TABLE docs (id TEXT, vector TEXT, source TEXT, vectorpin TEXT)");
    s.run("INSERT INTO docs VALUES ('r1', ?1, ?2, NULL)", {P::text(text), P::text(source)});
  }
  CliRun ps = run_cli(dir, {"pin-store", "--store", "sqlite:" + db, "--table", "docs", "--vector-format", "json",
                            "--dtype", "f32", "--private-key", key.priv, "--key-id", key.kid, "--model", "m1"});
  EXPECT_EQ(ps.exit_code, 3) << ps.err;
  EXPECT_NE(ps.err.find("out of the f32 range"), std::string::npos) << ps.err;
}

}  // namespace
}  // namespace audit_test
