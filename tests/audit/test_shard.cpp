// `audit --shard I/N` and `audit-merge` on SQLite and JSONL stores: shards
// never overlap or miss a record, their merged summary equals the unsharded
// audit, and the partition is the documented one (SHA-256 of the id).
#include "audit_support.hpp"

namespace audit_test {
namespace {

using P = Sqlite;

class ShardedAudit : public ::testing::Test {
 protected:
  TempDir dir;
  TestKey key{dir};
  std::string db = dir / "store.db";
  std::string jsonl = dir / "store.jsonl";

  // 600 pinned records, then defects of every kind, some of them without an id.
  void make_sqlite_store() {
    {
      Sqlite s(db);
      s.exec("CREATE TABLE docs (id TEXT, vector BLOB, source TEXT, vectorpin TEXT)");
      s.exec("BEGIN");
      for (int i = 0; i < 600; ++i)
        s.run("INSERT INTO docs VALUES (?1, ?2, ?3, NULL)",
              {P::text("doc-" + std::to_string(i)), P::blob(f32_blob(test_vector(static_cast<uint64_t>(i), 16))),
               P::text("source " + std::to_string(i))});
      s.exec("COMMIT");
    }
    CliRun p = run_cli(dir, {"pin-store", "--store", "sqlite:" + db, "--table", "docs", "--private-key", key.priv,
                             "--key-id", key.kid, "--model", "m1", "--no-progress"});
    ASSERT_EQ(p.exit_code, 0) << p.err;
    Sqlite s(db);
    s.exec("UPDATE docs SET source = 'edited' WHERE id IN ('doc-3', 'doc-40', 'doc-77')");
    s.exec("UPDATE docs SET vectorpin = NULL WHERE id IN ('doc-5', 'doc-6', 'doc-500')");
    s.exec("UPDATE docs SET vector = NULL WHERE id = 'doc-8'");
    s.exec("UPDATE docs SET vectorpin = 'not a pin' WHERE id = 'doc-9'");
    s.exec("UPDATE docs SET id = NULL WHERE id IN ('doc-10', 'doc-11')");
    s.exec("UPDATE docs SET vector = x'0102' WHERE id = 'doc-12'");
  }

  std::vector<std::string> sqlite_audit(const std::string& table = "docs") const {
    return cat(cat({"audit", "--store", "sqlite:" + db, "--table", table}, key.verify_args()), {"--threads", "2"});
  }
};

TEST_F(ShardedAudit, SqliteShardsAddUpToTheWholeAudit) {
  make_sqlite_store();
  for (uint32_t n : {1u, 3u, 7u}) {
    json whole = expect_shards_add_up(dir, sqlite_audit(), n);
    EXPECT_EQ(whole["total"], 600);
    EXPECT_EQ(whole["unpinned"], 3);
    EXPECT_EQ(whole["verification_failed"], 6);
  }
  // With a check that makes every id matter.
  expect_shards_add_up(dir, cat(sqlite_audit(), {"--bind-record-id", "--fail-on-unpinned"}), 5);
}

TEST_F(ShardedAudit, JsonlShardsFollowTheDocumentedRule) {
  // Shards of 3 computed independently (Python's hashlib) from
  // u64_big_endian(SHA-256(id)[0..8]) mod 3.
  const std::map<std::string, int> expected = {{"rec-0", 0}, {"rec-1", 2}, {"rec-2", 0}, {"rec-3", 2},
                                               {"rec-4", 1}, {"rec-5", 0}, {"rec-6", 1}, {"rec-7", 2},
                                               {"rec-8", 2}, {"rec-9", 0}, {"1", 1}, {"h\xc3\xa9llo", 1}};
  std::string text;
  for (const auto& [id, shard] : expected) {
    // A number id keeps its text as written; every record is unpinned so that
    // --fail-on-unpinned reports each one.
    std::string id_json = id == "1" ? "1" : json(id).dump();
    text += "{\"id\":" + id_json + ",\"vector\":[1.5,2],\"source\":\"s\",\"vectorpin\":null}\n";
  }
  text += "{\"vector\":[1],\"source\":\"no id\",\"vectorpin\":null}\n";  // no id: shard 0
  text += "not json at all\n";                                          // unreadable: shard 0
  write_file(jsonl, text);
  std::vector<std::string> base = cat({"audit", "--store", "jsonl:" + jsonl}, key.verify_args());
  for (int shard = 0; shard < 3; ++shard) {
    std::string rep = dir / "rep.jsonl";
    CliRun r = run_cli(dir, cat(base, {"--shard", std::to_string(shard) + "/3", "--fail-on-unpinned", "--report", rep}));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    std::multiset<std::string> got, want;
    for (const auto& l : report_lines(read_file(rep))) got.insert(l["id"].is_null() ? "<null>" : l["id"].get<std::string>());
    for (const auto& [id, s] : expected)
      if (s == shard) want.insert(id);
    if (shard == 0) want.insert({"<null>", "<null>"});
    EXPECT_EQ(got, want) << "shard " << shard;
  }
  expect_shards_add_up(dir, cat(base, {"--fail-on-unpinned"}), 3);
}

TEST_F(ShardedAudit, JsonlShardsAddUpToTheWholeAudit) {
  std::string text;
  for (int i = 0; i < 400; ++i) {
    std::string id = "r" + std::to_string(i);
    std::vector<float> v = test_vector(static_cast<uint64_t>(i), 8);
    std::string pin = key.pin_f32(i % 50 == 7 ? "other" : "s", v, "m1", {{"vectorpin.record_id", id}});
    text += "{\"id\":" + json(id).dump() + ",\"vector\":" + json_array(v) + ",\"source\":\"s\",\"vectorpin\":" +
            (i % 60 == 1 ? std::string("null") : json(pin).dump()) + "}\n";
  }
  text += "{broken\n";
  write_file(jsonl, text);
  json whole = expect_shards_add_up(dir, cat(cat({"audit", "--store", "jsonl:" + jsonl}, key.verify_args()),
                                             {"--bind-record-id"}),
                                    4);
  EXPECT_EQ(whole["total"], 401);
  EXPECT_GT(whole["verification_failed"].get<int>(), 0);
}

TEST_F(ShardedAudit, ShardOptionIsStrict) {
  make_sqlite_store();
  for (const char* bad : {"", "1", "/3", "1/", "01/3", "1/03", "+1/3", "-1/3", "3/3", "0/0", "0/65537", "1/2/3",
                          " 1/3", "1/3 ", "0x1/3", "99999999999999999999/3"}) {
    CliRun r = run_cli(dir, cat(sqlite_audit(), {"--shard", bad}));
    EXPECT_EQ(r.exit_code, 2) << "--shard '" << bad << "' must be a usage error";
    EXPECT_TRUE(r.out.empty());
  }
  CliRun edge = run_cli(dir, cat(sqlite_audit(), {"--shard", "65535/65536", "--no-progress"}));
  EXPECT_TRUE(edge.exit_code == 0 || edge.exit_code == 1) << edge.err;
  EXPECT_EQ(summary_of(edge)["shard"], "65535/65536");
  CliRun zero = run_cli(dir, cat(sqlite_audit(), {"--shard", "0/1", "--no-progress"}));
  EXPECT_EQ(summary_of(zero)["total"], 600);
}

TEST_F(ShardedAudit, MergeRefusesWhatIsNotOneShardedAudit) {
  make_sqlite_store();
  {
    Sqlite s(db);
    s.exec("CREATE TABLE other AS SELECT * FROM docs");
  }
  auto summary = [&](const std::vector<std::string>& args, const std::string& name) {
    CliRun r = run_cli(dir, cat(args, {"--no-progress"}));
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
    std::string file = dir / name;
    write_file(file, r.out);
    return file;
  };
  std::string s0 = summary(cat(sqlite_audit(), {"--shard", "0/3"}), "s0.json");
  std::string s1 = summary(cat(sqlite_audit(), {"--shard", "1/3"}), "s1.json");
  std::string s2 = summary(cat(sqlite_audit(), {"--shard", "2/3"}), "s2.json");
  std::string other2 = summary(cat(sqlite_audit("other"), {"--shard", "2/3"}), "other2.json");
  std::string four = summary(cat(sqlite_audit(), {"--shard", "2/4"}), "four.json");
  std::string whole = summary(sqlite_audit(), "whole.json");
  auto merge = [&](const std::vector<std::string>& args) { return run_cli(dir, cat({"audit-merge"}, args)); };

  CliRun ok = merge({s2, s0, s1});
  EXPECT_EQ(ok.exit_code, 1) << ok.err;  // the store has failures
  EXPECT_EQ(summary_of(ok)["shards"], 3);

  struct Case {
    std::vector<std::string> files;
    const char* says;
  };
  std::string garbage = dir / "garbage.json", cooked = dir / "cooked.json";
  write_file(garbage, "{\"store\":\"sqlite\"");
  std::string text = read_file(s1);
  text.replace(text.find("\"verified_ok\":"), 14, "\"verified_ok\":1");  // prepends a digit: counts no longer add up
  write_file(cooked, text);
  for (const Case& c : std::vector<Case>{{{s0, s1, other2}, "audits"},
                                         {{s0, s1, four}, "same N"},
                                         {{s0, s1, s1}, "also in"},
                                         {{s0, s1, s2, whole}, "not the summary of a sharded audit"},
                                         {{s0, s1, garbage}, "not an audit summary"},
                                         {{s0, cooked, s2}, "do not add up"},
                                         {{s0, s2}, "1 of 3 shards missing: 1"},
                                         {{}, "give the summary files"}}) {
    CliRun r = merge(c.files);
    EXPECT_EQ(r.exit_code, 2) << c.says << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << c.says;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }
  EXPECT_EQ(merge({s0, dir / "missing.json"}).exit_code, 3);

  CliRun partial = merge({s0, s2, "--allow-partial"});
  EXPECT_NE(partial.exit_code, 2) << partial.err;
  json p = summary_of(partial);
  EXPECT_EQ(p["shards_missing"], json::array({1}));
  EXPECT_NE(partial.err.find("missing"), std::string::npos);
  json j0 = json::parse(read_file(s0)), j2 = json::parse(read_file(s2));
  EXPECT_EQ(p["total"], j0["total"].get<int>() + j2["total"].get<int>());
}

}  // namespace
}  // namespace audit_test
