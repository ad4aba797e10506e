// The `vectorpin` program, run as a user would: files in, JSON and exit
// codes out.
#include <sys/resource.h>
#include <sys/stat.h>

#include "cli_fixture.hpp"

namespace {

TEST_F(Cli, KeygenPinVerifyTamper) {
  Outcome k = run("keygen --key-id demo --output " + path("keys"));
  ASSERT_EQ(k.exit_code, 0) << k.err;
  auto info = test::json::parse(k.out);
  EXPECT_EQ(info["kid"], "demo");
  EXPECT_EQ(info["fingerprint"].get<std::string>().size(), 19u);
  struct stat st;
  ASSERT_EQ(::stat(path("keys/demo.priv").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  Outcome again = run("keygen --key-id demo --output " + path("keys"));
  EXPECT_EQ(again.exit_code, 3);
  EXPECT_NE(again.err.find("FILE_EXISTS"), std::string::npos);

  write("doc.txt", "line one\r\nline two\n");
  write("vec.json", "[0.5, -0.25, 1e-3, 3]");
  Outcome p = run("pin --private-key " + path("keys/demo.priv") + " --key-id demo --model m --source " + path("doc.txt") +
              " --vector " + path("vec.json") + " --dtype f32 --record-id r-1 --extra team=search --timestamp 2026-05-05T12:00:00Z");
  ASSERT_EQ(p.exit_code, 0) << p.err;
  write("pin.json", p.out);
  auto pin = test::json::parse(p.out);
  EXPECT_EQ(pin["vec_dtype"], "f32");
  EXPECT_EQ(pin["extra"]["vectorpin.record_id"], "r-1");
  EXPECT_EQ(pin["extra"]["team"], "search");
  std::string verify = "verify-pin --public-key " + path("keys/demo.pub") + " --key-id demo --pin " + path("pin.json");
  Outcome ok = run(verify + " --source " + path("doc.txt") + " --vector " + path("vec.json") + " --record-id r-1 --expect-model m");
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_EQ(test::json::parse(ok.out), test::json::parse(R"({"ok":true,"error":null,"detail":null})"));
  write("lf.txt", "line one\nline two\n");
  Outcome src = run(verify + " --source " + path("lf.txt"));
  EXPECT_EQ(src.exit_code, 1);
  EXPECT_EQ(test::json::parse(src.out)["error"], "SOURCE_MISMATCH");
  write("tampered.json", "[0.5, -0.25, 1.1e-3, 3]");
  Outcome t = run(verify + " --vector " + path("tampered.json"));
  EXPECT_EQ(t.exit_code, 1);
  EXPECT_EQ(test::json::parse(t.out)["error"], "VECTOR_TAMPERED");
  Outcome rec = run(verify + " --record-id r-2");
  EXPECT_EQ(test::json::parse(rec.out)["error"], "RECORD_MISMATCH");
  Outcome win = run(verify + " --valid-until 2026-01-01T00:00:00Z");
  EXPECT_EQ(test::json::parse(win.out)["error"], "KEY_EXPIRED");
  Outcome inspect = run("inspect --pin " + path("pin.json"));
  ASSERT_EQ(inspect.exit_code, 0);
  EXPECT_EQ(test::json::parse(inspect.out)["vec_dim"], 4);
  Outcome fp = run("fingerprint --public-key " + path("keys/demo.pub"));
  EXPECT_EQ(test::json::parse(fp.out)["fingerprint"], info["fingerprint"]);
}

TEST_F(Cli, ExitCodes) {
  EXPECT_EQ(run("").exit_code, 2);
  EXPECT_EQ(run("frobnicate").exit_code, 2);
  EXPECT_EQ(run("verify-pin --pin x").exit_code, 2);                       // no key given
  EXPECT_EQ(run("keygen --key-id a --output d --bogus").exit_code, 2);     // unknown option
  EXPECT_EQ(run("pin --private-key k --key-id a --model m --source s --vector v --protocol 3").exit_code, 2);
  EXPECT_EQ(run("fingerprint --public-key " + path("missing.pub")).exit_code, 3);
  EXPECT_EQ(run("--version").exit_code, 0);
  EXPECT_EQ(run("--help").exit_code, 0);
  write("garbage.json", "{not json");
  write("k.pub", test::test_public_key());
  Outcome r = run("verify-pin --public-key " + path("k.pub") + " --key-id a --pin " + path("garbage.json"));
  EXPECT_EQ(r.exit_code, 1);  // a malformed pin is a verification failure
  EXPECT_EQ(test::json::parse(r.out)["error"], "PARSE_ERROR");
}

TEST_F(Cli, InsecureKeyPermissionsRefused) {
  ASSERT_EQ(run("keygen --key-id s --output " + path("keys")).exit_code, 0);
  ::chmod(path("keys/s.priv").c_str(), 0644);
  write("doc.txt", "x");
  write("v.json", "[1]");
  std::string cmd = "pin --private-key " + path("keys/s.priv") + " --key-id s --model m --source " + path("doc.txt") +
                    " --vector " + path("v.json");
  Outcome refused = run(cmd);
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.err.find("INSECURE"), std::string::npos) << refused.err;
  EXPECT_EQ(run(cmd + " --allow-insecure-key-permissions").exit_code, 0);
}

TEST_F(Cli, RegistryAndLegacy) {
  write("registry.json", R"({"test-vectors-2026-05": {"public_key": "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"}})");
  auto v1 = test::load_json(test::vectors_dir() + "/upstream/v1.json");
  write("pin.json", v1["fixtures"][0]["expected"]["pin_json"].get<std::string>());
  std::string base = "verify-pin --registry " + path("registry.json") + " --pin " + path("pin.json");
  Outcome strict = run(base);
  EXPECT_EQ(test::json::parse(strict.out)["error"], "UNSUPPORTED_VERSION");
  Outcome legacy = run(base + " --legacy-v1");
  EXPECT_EQ(legacy.exit_code, 0) << legacy.out;
  EXPECT_EQ(run(base + " --key-id x").exit_code, 2);  // registry excludes --key-id
}

// `verify-pin` on every upstream fixture: positives pass, negatives give
// their codes. Vectors go through .npy files, sources through exact bytes.
TEST_F(Cli, UpstreamFixturesThroughTheProgram) {
  write("k.pub", test::test_public_key());
  int cases = 0;
  auto check = [&](const std::string& pin_json, const std::string& kid, const std::string& extra_args,
                   const std::string& expected) {
    write("pin.json", pin_json);
    Outcome r = run("verify-pin --public-key " + path("k.pub") + " --key-id " + kid + " --pin " + path("pin.json") + extra_args);
    auto out = test::json::parse(r.out);
    EXPECT_EQ(out["ok"].get<bool>() ? "OK" : out["error"].get<std::string>(), expected) << pin_json.substr(0, 80);
    EXPECT_EQ(r.exit_code, expected == "OK" ? 0 : 1);
    ++cases;
  };
  auto vec_args = [&](const std::string& b64, const std::string& dtype) {
    std::string raw = test::unb64(b64);
    size_t width = dtype == "f32" ? 4 : 8;
    write_npy("v.npy", raw, dtype == "f32" ? "<f4" : "<f8", raw.size() / width);
    return " --vector " + path("v.npy");
  };
  auto src_args = [&](const std::string& source) {
    write("src.txt", source);
    return " --source " + path("src.txt");
  };
  auto v1 = test::load_json(test::vectors_dir() + "/upstream/v1.json");
  for (const auto& f : v1["fixtures"])
    check(f["expected"]["pin_json"], v1["key_id"],
          " --legacy-v1" + src_args(f["input"]["source"]) + vec_args(f["input"]["vector_b64"], f["input"]["vec_dtype"]), "OK");
  auto v2 = test::load_json(test::vectors_dir() + "/upstream/v2.json");
  for (const auto& f : v2["fixtures"])
    check(f["pin_json"], v2["key_id"], src_args(f["input"]["source"]) + vec_args(f["input"]["vec_b64"], f["input"]["vec_dtype"]),
          "OK");
  auto n1 = test::load_json(test::vectors_dir() + "/upstream/negative_v1.json");
  check(n1["pin_json"], "test-vectors-2026-05", " --legacy-v1" + vec_args(n1["tampered_vector_b64"], "f32"), "VECTOR_TAMPERED");
  auto n2 = test::load_json(test::vectors_dir() + "/upstream/negative_v2.json");
  for (const auto& f : n2["fixtures"]) {
    std::string extra;
    if (f.contains("tampered_vec_b64")) extra += vec_args(f["tampered_vec_b64"], f["vec_dtype"]);
    if (f.contains("nan_vec_b64")) extra += vec_args(f["nan_vec_b64"], f["vec_dtype"]);
    if (f.contains("tampered_source")) extra += src_args(f["tampered_source"]);
    if (f.contains("expected_model")) extra += " --expect-model " + f["expected_model"].get<std::string>();
    if (f.contains("expected_record_id")) extra += " --record-id " + f["expected_record_id"].get<std::string>();
    check(f["pin_json"], n2["key_id"], extra, f["expected_failure"]);
  }
  std::printf("upstream fixture cases run through the CLI: %d\n", cases);
  EXPECT_EQ(cases, 4 + 4 + 1 + 17);
}

TEST_F(Cli, VectorFileFormats) {
  ASSERT_EQ(run("keygen --key-id f --output " + path("keys")).exit_code, 0);
  write("doc.txt", "x");
  std::vector<double> d = {0.1, 0.2, 0.3};
  std::string d_le;  // '<f8' means little-endian bytes, whatever this host's order
  for (double x : d) {
    uint64_t bits;
    std::memcpy(&bits, &x, 8);
    for (int b = 0; b < 8; ++b) d_le.push_back(static_cast<char>(bits >> (8 * b)));
  }
  write_npy("d.npy", d_le, "<f8", 3);
  Outcome p = run("pin --private-key " + path("keys/f.priv") + " --key-id f --model m --source " + path("doc.txt") + " --vector " +
              path("d.npy"));
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(test::json::parse(p.out)["vec_dtype"], "f64");
  write("pin.json", p.out);
  write("d.json", "[0.1,0.2,0.3]");
  Outcome v = run("verify-pin --public-key " + path("keys/f.pub") + " --key-id f --pin " + path("pin.json") + " --vector " +
              path("d.json"));
  EXPECT_EQ(v.exit_code, 0) << v.out;
  for (const char* bad : {"[1, 2", "[01]", "[1,]", "{\"a\":1}", "[1e999]", "[NaN]"}) {
    write("bad.json", bad);
    EXPECT_EQ(run("verify-pin --public-key " + path("keys/f.pub") + " --key-id f --pin " + path("pin.json") + " --vector " +
                  path("bad.json"))
                  .exit_code,
              3)
        << bad;
  }
  write_npy("big.npy", std::string(8, '\0'), ">f4", 2);
  EXPECT_EQ(run("verify-pin --public-key " + path("keys/f.pub") + " --key-id f --pin " + path("pin.json") + " --vector " +
                path("big.npy"))
                .exit_code,
            3);
  write("v.txt", "[1]");
  EXPECT_EQ(run("pin --private-key " + path("keys/f.priv") + " --key-id f --model m --source " + path("doc.txt") +
                " --vector " + path("v.txt"))
                .exit_code,
            3);
}

}  // namespace

// A pin file of any size is a pin that fails (PARSE_ERROR, exit 1, JSON on
// stdout), and the program reads only as much of it as the library could
// accept: a 4 GiB (sparse) file leaves its memory use small.
TEST_F(Cli, OversizedPinFileIsAFailedPin) {
  write("k.pub", test::test_public_key());
  const std::string verify = "verify-pin --public-key " + path("k.pub") + " --key-id a --pin ";
  for (uint64_t size : {uint64_t{65537}, uint64_t{16} << 20, (uint64_t{16} << 20) + 1, uint64_t{4} << 30}) {
    std::string file = path("big.json");
    write("big.json", "{\"v\":2,\"kid\":\"a\",\"model\":\"");
    fs::resize_file(file, size);
    Outcome r = run(verify + file);
    EXPECT_EQ(r.exit_code, 1) << size << ": " << r.err;
    ASSERT_FALSE(r.out.empty()) << size;
    auto out = test::json::parse(r.out);
    EXPECT_EQ(out["ok"], false);
    EXPECT_EQ(out["error"], "PARSE_ERROR") << size;
    Outcome inspect = run("inspect --pin " + file);
    EXPECT_EQ(inspect.exit_code, 1) << size;
    EXPECT_EQ(test::json::parse(inspect.out)["error"], "PARSE_ERROR");
    fs::remove(file);
  }
  struct rusage ru {};
  ASSERT_EQ(getrusage(RUSAGE_CHILDREN, &ru), 0);
  EXPECT_LT(ru.ru_maxrss, 64 * 1024) << "peak RSS of a child in KiB: the pin file was read whole";
}
