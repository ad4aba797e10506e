// The `vectorpin` program's help, suggestions, key-file mix-ups and source
// newline modes, run as a user would.
#include <sys/stat.h>

#include "cli_fixture.hpp"

namespace {

class CliUsage : public Cli {
 protected:
  void SetUp() override {
    Cli::SetUp();
    ASSERT_EQ(run("keygen --key-id k --output " + path("keys")).exit_code, 0);
    write("v.json", "[0.5, -0.25]");
    write("doc.txt", "one\r\ntwo\rthree\n");
  }
  std::string pin_args(const std::string& key) {
    return "pin --private-key " + key + " --key-id k --model m --source " + path("doc.txt") + " --vector " +
           path("v.json");
  }
  static bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
};

TEST_F(CliUsage, VersionNamesTheLibraryVersion) {
  for (const char* flag : {"--version", "version"}) {
    Outcome r = run(flag);
    EXPECT_EQ(r.exit_code, 0) << flag;
    EXPECT_EQ(r.out, std::string("vectorpin ") + vectorpin_version_string() + " (protocol v" +
                         std::to_string(vectorpin_protocol_version()) + ", ABI " +
                         std::to_string(vectorpin_abi_version()) + ")\n");
  }
}

TEST_F(CliUsage, HelpForEveryCommandBothWays) {
  Outcome overview = run("help");
  ASSERT_EQ(overview.exit_code, 0);
  for (const char* c : {"keygen", "pin", "verify-pin", "inspect", "fingerprint", "audit", "audit-merge", "pin-store",
                        "audit-lancedb", "audit-pgvector", "audit-chroma", "audit-qdrant", "audit-pinecone"}) {
    EXPECT_TRUE(has(overview.out, std::string("\n  ") + c + " ")) << c;
    Outcome h = run(std::string("help ") + c);
    EXPECT_EQ(h.exit_code, 0) << c;
    EXPECT_TRUE(has(h.out, std::string("usage: vectorpin ") + c)) << h.out;
    EXPECT_TRUE(has(h.out, "exit codes:")) << c;
    // `COMMAND --help` prints the same page, and runs nothing.
    Outcome h2 = run(std::string(c) + " --store x --help");
    EXPECT_EQ(h2.exit_code, 0) << c;
    EXPECT_EQ(h2.out, h.out) << c;
  }
  // Per-command help explains the options, not just lists them.
  Outcome pin = run("help pin");
  EXPECT_TRUE(has(pin.out, "--source-newlines exact|universal\n")) << pin.out;
  EXPECT_TRUE(has(pin.out, "f64 for .json")) << pin.out;
  Outcome unknown = run("help verfy-pin");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(has(unknown.err, "did you mean 'verify-pin'?")) << unknown.err;
}

TEST_F(CliUsage, DidYouMeanForCommandsAndOptions) {
  struct Case {
    std::string args, suggestion;
  } cases[] = {
      {"verify", "did you mean 'verify-pin'?"},      // a prefix of one command
      {"keygne --key-id a", "did you mean 'keygen'?"},  // transposition
      {"inspekt --pin x", "did you mean 'inspect'?"},
      {"fingerprint --public-kye x", "did you mean --public-key?"},
      {"pin --privte-key x", "did you mean --private-key?"},
      {"verify-pin --expect-modle m", "did you mean --expect-model?"},
      {"audit --stor x", "did you mean --store?"},
      {"keygen -key-id a", "did you mean --key-id?"},  // one dash
  };
  for (const auto& c : cases) {
    Outcome r = run(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_TRUE(has(r.err, c.suggestion)) << c.args << "\n" << r.err;
  }
  // Nothing close: no suggestion rather than a wild one.
  Outcome far = run("frobnicate");
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_FALSE(has(far.err, "did you mean")) << far.err;
  Outcome far_option = run("inspect --completely-different x");
  EXPECT_EQ(far_option.exit_code, 2);
  EXPECT_TRUE(has(far_option.err, "unknown option --completely-different")) << far_option.err;
  EXPECT_FALSE(has(far_option.err, "did you mean")) << far_option.err;
}

TEST_F(CliUsage, PublicKeyFileNamedPubRefusedAsPrivateKey) {
  ::chmod(path("keys/k.pub").c_str(), 0600);  // what a user does after the permissions message
  Outcome r = run(pin_args(path("keys/k.pub")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << "no pin may be printed: " << r.out;
  EXPECT_TRUE(has(r.err, "looks like a public key (its name ends in .pub)")) << r.err;
}

TEST_F(CliUsage, CopyOfPublicKeyBesideItRefusedAsPrivateKey) {
  fs::copy_file(path("keys/k.pub"), path("keys/signing-key"));
  ::chmod(path("keys/signing-key").c_str(), 0600);
  Outcome r = run(pin_args(path("keys/signing-key")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_TRUE(has(r.err, "holds the same bytes as the public key file " + path("keys/k.pub"))) << r.err;
  // pin-store loads its key the same way.
  Outcome s = run("pin-store --store sqlite:" + path("none.db") + " --table t --private-key " +
                  path("keys/signing-key") + " --key-id k --model m");
  EXPECT_EQ(s.exit_code, 2);
  EXPECT_TRUE(has(s.err, "holds the same bytes as the public key file")) << s.err;
}

TEST_F(CliUsage, ReadablePublicKeyModeNamedInPermissionsMessage) {
  fs::copy_file(path("keys/k.pub"), path("elsewhere"));
  ::chmod(path("elsewhere").c_str(), 0644);
  Outcome r = run(pin_args(path("elsewhere")));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(has(r.err, "INSECURE_PERMISSIONS")) << r.err;
  EXPECT_TRUE(has(r.err, "mode 0644 is what keygen gives a public key file")) << r.err;
}

TEST_F(CliUsage, RealPrivateKeyStillWorksBesideItsPublicKey) {
  Outcome r = run(pin_args(path("keys/k.priv")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  write("pin.json", r.out);
  Outcome v = run("verify-pin --public-key " + path("keys/k.pub") + " --key-id k --pin " + path("pin.json"));
  EXPECT_EQ(v.exit_code, 0) << v.out;
}

TEST_F(CliUsage, PrivateKeyRefusedAsPublicKey) {
  for (const char* cmd : {"fingerprint --public-key ", "verify-pin --key-id k --pin x --public-key "}) {
    Outcome r = run(cmd + path("keys/k.priv"));
    EXPECT_EQ(r.exit_code, 2) << cmd;
    EXPECT_TRUE(has(r.err, "looks like a private key (its name ends in .priv)")) << r.err;
    EXPECT_FALSE(has(r.out, "fingerprint")) << r.out;
  }
}

TEST_F(CliUsage, SourceNewlinesExactByDefaultUniversalOnRequest) {
  write("lf.txt", "one\ntwo\nthree\n");
  Outcome exact = run(pin_args(path("keys/k.priv")) + " --timestamp 2026-01-01T00:00:00Z");
  Outcome exact2 = run(pin_args(path("keys/k.priv")) + " --timestamp 2026-01-01T00:00:00Z --source-newlines exact");
  Outcome universal = run(pin_args(path("keys/k.priv")) + " --timestamp 2026-01-01T00:00:00Z --source-newlines universal");
  Outcome lf = run("pin --private-key " + path("keys/k.priv") + " --key-id k --model m --source " + path("lf.txt") +
                   " --vector " + path("v.json") + " --timestamp 2026-01-01T00:00:00Z");
  ASSERT_EQ(exact.exit_code, 0) << exact.err;
  ASSERT_EQ(universal.exit_code, 0) << universal.err;
  auto hash = [](const Outcome& o) { return test::json::parse(o.out)["source_hash"].get<std::string>(); };
  EXPECT_EQ(hash(exact), hash(exact2));
  EXPECT_NE(hash(exact), hash(universal));
  // Universal reading of "one\r\ntwo\rthree\n" is the LF file.
  EXPECT_EQ(hash(universal), hash(lf));
  // SHA-256 of the file's bytes and of its LF form, from sha256sum.
  EXPECT_EQ(hash(exact), "sha256:51ea09b385d378205a071483bd7f3d961908c38805556ee530e9b62070ec158e");
  EXPECT_EQ(hash(universal), "sha256:b6285c57e8797db5d4c51c80d6f11938afda9b11c6a003549709189e9b4b92a2");

  write("pin.json", universal.out);
  std::string verify = "verify-pin --public-key " + path("keys/k.pub") + " --key-id k --pin " + path("pin.json") +
                       " --source " + path("doc.txt");
  EXPECT_EQ(run(verify).exit_code, 1);
  EXPECT_EQ(run(verify + " --source-newlines universal").exit_code, 0);
  Outcome bad = run(verify + " --source-newlines crlf");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(has(bad.err, "--source-newlines must be exact or universal")) << bad.err;
  Outcome without_source = run("verify-pin --public-key " + path("keys/k.pub") + " --key-id k --pin " +
                               path("pin.json") + " --source-newlines universal");
  EXPECT_EQ(without_source.exit_code, 2);
}

}  // namespace
