// `vectorpin audit` on JSONL stores: one record per line,
//   {"id": ..., "vector": [...], "source": "...", "vectorpin": "<pin>" | {pin} | null}
// A line that cannot be read fails that record; the audit always reaches the end.
#include <algorithm>

#include "audit_support.hpp"

namespace audit_test {
namespace {

class JsonlAudit : public ::testing::Test {
 protected:
  TempDir dir;
  TestKey key{dir};
  std::string file = dir / "store.jsonl";
  std::string report = dir / "report.jsonl";

  // One well-formed record with its pin bound to its id.
  std::string record(const std::string& id, uint64_t seed, size_t dim, bool pin_as_object = false) {
    std::vector<float> v = test_vector(seed, dim);
    std::string source = "text of " + id;
    std::string pin = key.pin_f32(source, v, "m1", {{"vectorpin.record_id", id}, {"vectorpin.collection_id", "kb"}});
    std::string pin_field = pin_as_object ? pin : json(pin).dump();
    return "{\"id\":" + json(id).dump() + ",\"vector\":" + json_array(v) + ",\"source\":" + json(source).dump() +
           ",\"vectorpin\":" + pin_field + "}";
  }

  CliRun audit(const std::vector<std::string>& extra = {}, const std::string& store_path = "") {
    return run_cli(dir, cat(cat({"audit", "--store", "jsonl:" + (store_path.empty() ? file : store_path)},
                                key.verify_args()),
                            extra));
  }
};

TEST_F(JsonlAudit, TwentyThousandRecordsWithDefectsInTheMiddle) {
  const size_t n = 20000, dim = 16;
  std::vector<std::string> lines;
  for (size_t i = 0; i < n; ++i) lines.push_back(record("rec-" + std::to_string(i), i, dim, i % 2 == 0));
  std::string good = lines[10020];
  auto set = [&](size_t i, const std::string& line) { lines[i] = line; };
  std::vector<float> v = test_vector(10000, dim);
  set(10000, R"({"id":"rec-10000","vector":)" + json_array(v) + R"(,"source":"text of rec-10000","vectorpin":"{\"v\":2,\"kid\":"})");
  set(10001, R"({"id":"rec-10001","vector":)" + json_array(v) + R"(,"source":"x","vectorpin":null})");
  set(10002, R"({"id":"rec-10002","vector":)" + json_array(v) + R"(,"source":"x"})");
  set(10003, "this line is not JSON");
  set(10004, R"({"id":"rec-10004","vector":null,"source":"text of rec-10004","vectorpin":)" +
                 json(key.pin_f32("text of rec-10004", v)).dump() + "}");
  {
    // No source; a wrong vector length; a non-number element; a duplicated field.
    std::string r = record("rec-10005", 10005, dim);
    size_t at = r.find(",\"source\":");
    set(10005, r.substr(0, at) + r.substr(r.find(",\"vectorpin\":")));
    std::string r6 = record("rec-10006", 10006, dim);
    std::string full = json_array(test_vector(10006, dim)), shorter = json_array(test_vector(10006, dim - 1));
    set(10006, r6.replace(r6.find(full), full.size(), shorter));
    std::string r7 = record("rec-10007", 10007, dim);
    r7.replace(r7.find("[") + 1, 0, "\"three\",");
    set(10007, r7);
    std::string r8 = record("rec-10008", 10008, dim);
    set(10008, r8.substr(0, r8.size() - 1) + ",\"source\":\"again\"}");
  }
  // A pin moved to another record (with that record's vector and source).
  {
    std::string donor = lines[10010];
    set(10009, "{\"id\":\"rec-10009\"," + donor.substr(donor.find("\"vector\"")));
  }
  set(10011, R"({"id":"rec-10011","vector":[1,2],"source":"s","vectorpin":42})");
  set(10012, R"({"id":{"nested":1},"vector":[1,2],"source":"s","vectorpin":"{}"})");
  lines.insert(lines.begin() + 10013, "   ");  // blank lines are not records
  {
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    write_file(file, text);
  }
  const std::map<std::string, std::string> expected = {
      {"rec-10000", status(VECTORPIN_PARSE_ERROR)},
      {"rec-10004", "VECTOR_MISSING"},                {"rec-10005", "SOURCE_MISSING"},
      {"rec-10006", status(VECTORPIN_SHAPE_MISMATCH)}, {"rec-10007", "VECTOR_UNREADABLE"},
      {"rec-10009", status(VECTORPIN_RECORD_MISMATCH)}, {"rec-10011", status(VECTORPIN_PARSE_ERROR)}};

  CliRun r = audit({"--bind-record-id", "--collection-id", "kb", "--report", report, "--threads", "0"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json s = summary_of(r);
  // rec-10008 (duplicated field) and line 10012 (object id) are unreadable
  // records too; 10003 (not JSON) as well; 10001 and 10002 are unpinned.
  expect_counts(s, "jsonl", n, n - 12, 10, 2);
  EXPECT_EQ(s["by_error"], json({{"PARSE_ERROR", 2}, {"RECORD_MISMATCH", 1}, {"RECORD_UNREADABLE", 3},
                                 {"SHAPE_MISMATCH", 1}, {"SOURCE_MISSING", 1}, {"VECTOR_MISSING", 1},
                                 {"VECTOR_UNREADABLE", 1}}));
  std::vector<json> rep = report_lines(read_file(report));
  ASSERT_EQ(rep.size(), 10u);
  std::map<std::string, std::string> by_id;
  std::map<uint64_t, std::string> by_line;
  for (const auto& l : rep) {
    if (l["id"].is_string()) by_id[l["id"]] = l["error"];
    by_line[l["line"].get<uint64_t>()] = l["error"];
    EXPECT_FALSE(l["detail"].get<std::string>().empty());
  }
  for (const auto& [id, code] : expected) EXPECT_EQ(by_id[id], code) << id;
  EXPECT_EQ(by_id["rec-10008"], "RECORD_UNREADABLE") << "a duplicated field still names its record";
  EXPECT_EQ(by_line[10009], "RECORD_UNREADABLE");
  // Line numbers are 1-based file lines, blank lines counted.
  EXPECT_EQ(by_line[10004], "RECORD_UNREADABLE");  // "this line is not JSON"
  EXPECT_EQ(by_line[10013], "RECORD_UNREADABLE");  // the object id
  EXPECT_EQ(by_line[10001], status(VECTORPIN_PARSE_ERROR));

  // Reading from stdin gives the same report.
  std::string first = read_file(report);
  CliRun piped = run_cli(dir, cat(cat({"audit", "--store", "jsonl:-"}, key.verify_args()),
                                  {"--bind-record-id", "--collection-id", "kb", "--report", report, "--threads", "1"}),
                         {}, file);
  EXPECT_EQ(piped.exit_code, 1) << piped.err;
  EXPECT_EQ(read_file(report), first);
  EXPECT_EQ(summary_of(piped)["total"], n);

  CliRun strict = audit({"--report", report, "--fail-on-unpinned", "--no-source"});
  EXPECT_EQ(strict.exit_code, 1);
  auto codes = report_codes(read_file(report));
  EXPECT_EQ(codes["rec-10001"], "UNPINNED");
  EXPECT_EQ(codes["rec-10002"], "UNPINNED");
}

TEST_F(JsonlAudit, CleanStoreNumericIdsAndPinObjects) {
  std::string text;
  for (int i = 0; i < 200; ++i) {
    std::vector<float> v = test_vector(static_cast<uint64_t>(i), 8);
    std::string pin = key.pin_f32("s" + std::to_string(i), v, "m1", {{"vectorpin.record_id", std::to_string(i)}});
    // Ids as JSON numbers; pins as nested objects with whitespace and keys reordered.
    json obj = json::parse(pin);
    std::string reordered = "{ ";
    std::vector<std::string> keys;
    for (const auto& item : obj.items()) keys.push_back(item.key());
    std::reverse(keys.begin(), keys.end());
    for (size_t k = 0; k < keys.size(); ++k)
      reordered += (k ? " , " : "") + json(keys[k]).dump() + " : " + obj[keys[k]].dump();
    reordered += " }";
    text += "{ \"vectorpin\" : " + reordered + ", \"id\": " + std::to_string(i) + ", \"vector\": " + json_array(v) +
            ", \"source\": \"s" + std::to_string(i) + "\" }\r\n";
  }
  write_file(file, text);
  CliRun r = audit({"--bind-record-id", "--expect-model", "m1", "--report", report});
  EXPECT_EQ(r.exit_code, 0) << r.err << read_file(report);
  expect_counts(summary_of(r), "jsonl", 200, 200, 0, 0);
  EXPECT_EQ(read_file(report), "");
  CliRun model = audit({"--expect-model", "other"});
  EXPECT_EQ(model.exit_code, 1);
  EXPECT_EQ(summary_of(model)["by_error"], json({{"MODEL_MISMATCH", 200}}));
}

// The vector's array is read once, by the number parser, rather than also
// by the line's JSON scanner: a line whose vector is not valid JSON must
// still be an unreadable record, pinned or not, and one whose vector is valid
// JSON but no vector of the pin's type a bad vector.
TEST_F(JsonlAudit, VectorArraysAreCheckedAsStrictlyAsTheRestOfTheLine) {
  const std::string good = record("ok", 1, 4);
  const std::string good_array = json_array(test_vector(1, 4));
  auto with_vector = [&](const std::string& id, const std::string& array, bool pinned) {
    std::string r = record(id, 7, 4);
    const std::string a = json_array(test_vector(7, 4));
    r.replace(r.find(a), a.size(), array);
    if (!pinned) r = r.substr(0, r.find(",\"vectorpin\":")) + ",\"vectorpin\":null}";
    return r;
  };
  std::string spaced = good;
  std::string spaced_array = " [ " + good_array.substr(1, good_array.size() - 2) + " ] ";
  for (size_t i = 0; (i = spaced_array.find(',', i)) != std::string::npos; i += 3) spaced_array.replace(i, 1, "\t, ");
  spaced.replace(spaced.find(good_array), good_array.size(), spaced_array);
  const std::vector<std::string> lines = {
      good,
      spaced,                                             // whitespace anywhere JSON allows it
      with_vector("lead0", "[0.5,01,1,2]", true),         // a leading zero: not JSON
      with_vector("comma", "[0.5,,1,2]", true),           // not JSON
      with_vector("bracket", "[0.5,1,2,3]]", true),       // not JSON after the array
      with_vector("e", "[0.5,1e,1,2]", true),             // not JSON
      with_vector("range", "[1e39,1,2,3]", true),         // JSON, but no f32
      with_vector("free0", "[01]", false),                // unpinned and not JSON
      with_vector("free1", "[1e400]", false),             // unpinned, JSON
  };
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  write_file(file, text);
  CliRun r = audit({"--report", report, "--threads", "2"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json s = summary_of(r);
  expect_counts(s, "jsonl", lines.size(), 2, 6, 1);
  std::map<uint64_t, std::string> by_line;
  for (const auto& l : report_lines(read_file(report))) by_line[l["line"].get<uint64_t>()] = l["error"];
  for (uint64_t line : {3, 4, 5, 6, 8}) EXPECT_EQ(by_line[line], "RECORD_UNREADABLE") << "line " << line;
  EXPECT_EQ(by_line[7], "VECTOR_UNREADABLE");
  EXPECT_EQ(by_line.count(9), 0u) << "an unpinned record whose vector is valid JSON is just unpinned";
}

// A file cut off mid-write (the writer was killed): the partial last line
// fails as one record, and everything before it is audited as usual.
TEST_F(JsonlAudit, TruncatedLastLine) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += record("r" + std::to_string(i), static_cast<uint64_t>(i), 8) + "\n";
  std::string last = record("r100", 100, 8);
  text += last.substr(0, last.size() / 2);  // no newline either
  write_file(file, text);
  CliRun r = audit({"--bind-record-id", "--report", report});
  EXPECT_EQ(r.exit_code, 1);
  expect_counts(summary_of(r), "jsonl", 101, 100, 1, 0);
  auto rep = report_lines(read_file(report));
  ASSERT_EQ(rep.size(), 1u);
  EXPECT_EQ(rep[0]["error"], "RECORD_UNREADABLE");
  EXPECT_EQ(rep[0]["line"], 101);
  EXPECT_TRUE(rep[0]["id"].is_null());
}

// Store text reaches the report escaped and bounded, and never the terminal raw.
TEST_F(JsonlAudit, HostileIdsAreBoundedAndEscaped) {
  std::string id = "evil\x1b[2J\x07" + std::string(5000, 'A');
  std::vector<float> v = test_vector(1, 4);
  std::string line = "{\"id\":" + json(id).dump() + ",\"vector\":" + json_array(v) +
                     ",\"source\":\"s\",\"vectorpin\":" + json(key.pin_f32("other", v)).dump() + "}\n";
  write_file(file, line);
  CliRun r = audit();  // the report goes to stderr
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "control characters must be escaped";
  EXPECT_EQ(r.err.find('\x07'), std::string::npos);
  EXPECT_LT(r.err.size(), 2000u) << "the id must be bounded in the report";
  auto rep = report_lines(r.err);
  ASSERT_EQ(rep.size(), 1u);
  EXPECT_EQ(rep[0]["error"], status(VECTORPIN_SOURCE_MISMATCH));
  EXPECT_EQ(rep[0]["id_truncated"], true);
  EXPECT_EQ(rep[0]["id"].get<std::string>().substr(0, 8), "evil\x1b[2J");
}

// A line longer than the limit is one RECORD_TOO_LARGE failure and is never
// held in memory: with the default 64 MiB limit, a 70 MiB line leaves the
// peak far below 64 MiB. Lines under the limit but longer than the reader's
// gathering size are read whole and verified.
TEST_F(JsonlAudit, LongLinesAreRefusedWithoutBeingHeld) {
  std::string text;
  for (int i = 0; i < 20; ++i) text += record("r" + std::to_string(i), static_cast<uint64_t>(i), 8) + "\n";
  std::vector<float> v = test_vector(99, 8);
  std::string long_source(3u << 20, 'z');  // a 3 MiB line: over the gathering size, under the limit
  text += "{\"id\":\"long\",\"vector\":" + json_array(v) + ",\"source\":\"" + long_source + "\",\"vectorpin\":" +
          json(key.pin_f32(long_source, v)).dump() + "}\n";
  write_file(file, text);
  {
    // Written piecewise: the test's own memory is what a forked child starts
    // with, and it must not blur the child's peak.
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out << "{\"id\":\"huge\",\"source\":\"";
    std::string piece(1u << 20, 'y');
    for (int i = 0; i < 70; ++i) out << piece;
    out << "\"}\n" << record("last", 7, 8) << "\n";
  }
  std::string().swap(text);
  long peak = 0;
  CliRun r = run_cli_rss(dir, cat(cat({"audit", "--store", "jsonl:" + file}, key.verify_args()), {"--report", report}),
                         peak);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json s = summary_of(r);
  expect_counts(s, "jsonl", 23, 22, 1, 0);
  auto rep = report_lines(read_file(report));
  ASSERT_EQ(rep.size(), 1u);
  EXPECT_EQ(rep[0]["error"], "RECORD_TOO_LARGE");
  EXPECT_EQ(rep[0]["line"], 22);
  EXPECT_LT(peak, 48 * 1024) << "peak RSS " << peak / 1024 << " MiB: the long line was held";
}

TEST_F(JsonlAudit, UsageAndIoErrors) {
  write_file(file, "");
  CliRun empty = audit();
  EXPECT_EQ(empty.exit_code, 0);
  expect_counts(summary_of(empty), "jsonl", 0, 0, 0, 0);
  EXPECT_EQ(audit({}, dir / "missing.jsonl").exit_code, 3);
  EXPECT_EQ(audit({"--table", "docs"}).exit_code, 2) << "--table does not apply to JSONL";
  EXPECT_EQ(audit({"--vector-format", "blob-f32"}).exit_code, 2);
  EXPECT_EQ(audit({"--id-column", "bad name"}).exit_code, 2);
  EXPECT_EQ(run_cli(dir, {"pin-store", "--store", "jsonl:" + file, "--private-key", key.priv, "--key-id", key.kid,
                          "--model", "m"})
                .exit_code,
            2);
  // Custom field names.
  std::vector<float> v = test_vector(3, 4);
  write_file(file, "{\"key\":\"a\",\"emb\":" + json_array(v) + ",\"text\":\"t\",\"pin\":" +
                       json(key.pin_f32("t", v)).dump() + "}\n");
  CliRun named = audit({"--id-column", "key", "--vector-column", "emb", "--source-column", "text", "--pin-column", "pin"});
  EXPECT_EQ(named.exit_code, 0) << named.err;
  expect_counts(summary_of(named), "jsonl", 1, 1, 0, 0);
}

}  // namespace
}  // namespace audit_test
