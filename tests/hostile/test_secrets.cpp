// Secret hygiene: key material is wiped when it is released, private key
// files are created 0600 and never overwritten, and loose permissions on a
// private key file are refused.
//
// Wiping is observed by interposition: this program defines
// sodium_memzero, so the dynamic linker binds the library's calls to this
// definition instead of libsodium's. It records a copy of every region
// before wiping it, so a test can ask "was a region holding this secret
// wiped?" without reading freed memory.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

#include "support.hpp"

namespace {

std::mutex g_mu;
bool g_recording = false;
std::vector<std::string>* g_wiped = nullptr;

}  // namespace

extern "C" void sodium_memzero(void* const pnt, const size_t len) {
  {
    std::lock_guard<std::mutex> lock(g_mu);
    if (g_recording && g_wiped != nullptr && len > 0) g_wiped->emplace_back(static_cast<const char*>(pnt), len);
  }
  volatile unsigned char* p = static_cast<volatile unsigned char*>(pnt);
  for (size_t i = 0; i < len; ++i) p[i] = 0;
}

using namespace hostile;

namespace {

struct Recording {
  std::vector<std::string> regions;
  Recording() {
    std::lock_guard<std::mutex> lock(g_mu);
    g_wiped = &regions;
    g_recording = true;
  }
  ~Recording() { stop(); }
  void stop() {
    std::lock_guard<std::mutex> lock(g_mu);
    g_recording = false;
    g_wiped = nullptr;
  }
  bool wiped_containing(const std::string& secret) const {
    for (const auto& r : regions)
      if (r.find(secret) != std::string::npos) return true;
    return false;
  }
};

std::vector<uint8_t> distinct_seed() {
  std::vector<uint8_t> s(32);
  for (int i = 0; i < 32; ++i) s[i] = static_cast<uint8_t>(0xa5 ^ (i * 37));
  return s;
}

std::string as_string(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }

std::string temp_dir() {
  char tmpl[] = "/tmp/vectorpin-hostile-XXXXXX";
  char* d = mkdtemp(tmpl);
  EXPECT_NE(d, nullptr);
  return d ? d : "";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

mode_t mode_of(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

}  // namespace

TEST(HostileSecrets, InterpositionIsActive) {
  // Without this, the wipe tests below could pass vacuously.
  Recording rec;
  std::string probe = "probe-secret-bytes";
  vectorpin_signer* s = nullptr;
  auto seed = distinct_seed();
  ASSERT_EQ(vectorpin_signer_from_seed(&s, "k", 1, seed.data(), 32, nullptr), VECTORPIN_OK);
  vectorpin_signer_free(s);
  EXPECT_FALSE(rec.regions.empty()) << "the library's sodium_memzero calls are not reaching the test's definition";
}

TEST(HostileSecrets, SignerFreeWipesTheExpandedKey) {
  auto seed = distinct_seed();
  vectorpin_signer* s = nullptr;
  ASSERT_EQ(vectorpin_signer_from_seed(&s, "k", 1, seed.data(), 32, nullptr), VECTORPIN_OK);
  uint8_t pk[32];
  ASSERT_EQ(vectorpin_signer_public_key(s, pk, 32, nullptr), VECTORPIN_OK);
  Recording rec;
  vectorpin_signer_free(s);
  rec.stop();
  // libsodium's secret key layout: seed || public key, 64 bytes.
  std::string expanded = as_string(seed) + std::string(reinterpret_cast<char*>(pk), 32);
  EXPECT_TRUE(rec.wiped_containing(expanded)) << rec.regions.size() << " regions wiped, none held the key";
}

TEST(HostileSecrets, TemporarySeedsAreWiped) {
  auto seed = distinct_seed();
  std::string secret = as_string(seed);
  {
    Recording rec;
    vectorpin_signer* s = nullptr;
    ASSERT_EQ(vectorpin_signer_from_seed(&s, "k", 1, seed.data(), 32, nullptr), VECTORPIN_OK);
    rec.stop();
    // The library's own copy of the caller's seed is wiped once the signer holds the key.
    EXPECT_TRUE(rec.wiped_containing(secret));
    // Exporting as PEM: the DER and its base64 text are wiped too.
    Recording rec2;
    std::string dir = temp_dir();
    ASSERT_EQ(vectorpin_signer_save(s, dir.data(), dir.size(), VECTORPIN_SAVE_PEM, nullptr), VECTORPIN_OK);
    rec2.stop();
    EXPECT_TRUE(rec2.wiped_containing(secret));
    std::string pem = slurp(dir + "/k.priv");
    ASSERT_NE(pem.find("PRIVATE KEY"), std::string::npos);
    std::string body = pem.substr(pem.find('\n') + 1);
    body = body.substr(0, body.find('\n'));
    EXPECT_TRUE(rec2.wiped_containing(body)) << "the PEM text of the private key was not wiped";
    // Loading a PEM key back: the file contents and the decoded seed are wiped.
    Recording rec3;
    vectorpin_signer* loaded = nullptr;
    std::string path = dir + "/k.priv";
    ASSERT_EQ(vectorpin_signer_load_file(&loaded, "k", 1, path.data(), path.size(), 0, nullptr), VECTORPIN_OK);
    vectorpin_signer_free(loaded);
    rec3.stop();
    EXPECT_TRUE(rec3.wiped_containing(secret));
    EXPECT_TRUE(rec3.wiped_containing(body));
    vectorpin_signer_free(s);
    std::remove(path.c_str());
    std::remove((dir + "/k.pub").c_str());
    ::rmdir(dir.c_str());
  }
}

TEST(HostileSecrets, KeyFilesAreCreatedPrivateAndNeverOverwritten) {
  std::string parent = temp_dir();
  std::string dir = parent + "/keys";  // created by the library
  auto seed = distinct_seed();
  vectorpin_signer* s = nullptr;
  ASSERT_EQ(vectorpin_signer_from_seed(&s, "k", 1, seed.data(), 32, nullptr), VECTORPIN_OK);
  mode_t old_umask = ::umask(0);  // the library must not rely on the umask
  vectorpin_error e;
  EXPECT_EQ(status_name(vectorpin_signer_save(s, dir.data(), dir.size(), 0, &e)), "OK") << e.message;
  ::umask(old_umask);
  EXPECT_EQ(mode_of(dir), 0700u);
  EXPECT_EQ(mode_of(dir + "/k.priv"), 0600u);
  EXPECT_EQ(mode_of(dir + "/k.pub"), 0644u);
  std::string original = slurp(dir + "/k.priv");
  EXPECT_EQ(original, as_string(seed));

  // A different key under the same kid: FILE_EXISTS, old file untouched.
  auto other = test_seed();
  vectorpin_signer* s2 = nullptr;
  ASSERT_EQ(vectorpin_signer_from_seed(&s2, "k", 1, other.data(), 32, nullptr), VECTORPIN_OK);
  for (uint32_t flags : {0u, VECTORPIN_SAVE_PEM}) {
    EXPECT_EQ(status_name(vectorpin_signer_save(s2, dir.data(), dir.size(), flags, &e)), "FILE_EXISTS");
    expect_bounded_detail(e);
    EXPECT_EQ(slurp(dir + "/k.priv"), original);
    EXPECT_EQ(mode_of(dir + "/k.priv"), 0600u);
  }
  // Only the public file missing still refuses to replace the private one.
  std::string pub = slurp(dir + "/k.pub");
  std::remove((dir + "/k.pub").c_str());
  EXPECT_EQ(status_name(vectorpin_signer_save(s2, dir.data(), dir.size(), 0, &e)), "FILE_EXISTS");
  EXPECT_EQ(slurp(dir + "/k.priv"), original);
  // A symlink planted at the private key's name is not followed.
  std::string victim = parent + "/victim";
  { std::ofstream(victim) << "keep"; }
  vectorpin_signer* s3 = nullptr;
  ASSERT_EQ(vectorpin_signer_from_seed(&s3, "link", 4, other.data(), 32, nullptr), VECTORPIN_OK);
  ASSERT_EQ(::symlink(victim.c_str(), (dir + "/link.priv").c_str()), 0);
  EXPECT_NE(status_name(vectorpin_signer_save(s3, dir.data(), dir.size(), 0, &e)), "OK");
  EXPECT_EQ(slurp(victim), "keep");
  // Kids that are not safe file names.
  for (const char* kid : {"../evil", "a/b", ".hidden"}) {
    vectorpin_signer* bad = nullptr;
    if (vectorpin_signer_from_seed(&bad, kid, std::strlen(kid), other.data(), 32, nullptr) != VECTORPIN_OK) continue;
    EXPECT_EQ(status_name(vectorpin_signer_save(bad, dir.data(), dir.size(), 0, &e)), "INVALID_INPUT") << kid;
    vectorpin_signer_free(bad);
  }
  vectorpin_signer_free(s);
  vectorpin_signer_free(s2);
  vectorpin_signer_free(s3);
  for (const char* f : {"/k.priv", "/k.pub", "/link.priv", "/link.pub"}) std::remove((dir + f).c_str());
  std::remove(victim.c_str());
  ::rmdir(dir.c_str());
  ::rmdir(parent.c_str());
}

TEST(HostileSecrets, LoosePermissionsAreRefused) {
  std::string dir = temp_dir();
  std::string path = dir + "/loose.priv";
  auto seed = distinct_seed();
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(seed.data()), 32);
  }
  vectorpin_error e;
  for (mode_t m : {0640, 0604, 0644, 0660, 0606, 0620, 0602}) {
    ASSERT_EQ(::chmod(path.c_str(), m), 0);
    vectorpin_signer* s = nullptr;
    EXPECT_EQ(status_name(vectorpin_signer_load_file(&s, "k", 1, path.data(), path.size(), 0, &e)),
              "INSECURE_PERMISSIONS")
        << std::oct << m;
    expect_bounded_detail(e);
    EXPECT_EQ(s, nullptr);
    EXPECT_EQ(status_name(vectorpin_signer_load_file(&s, "k", 1, path.data(), path.size(),
                                                     VECTORPIN_LOAD_ALLOW_INSECURE_PERMISSIONS, &e)),
              "OK")
        << std::oct << m;
    vectorpin_signer_free(s);
  }
  for (mode_t m : {0600, 0400}) {
    ASSERT_EQ(::chmod(path.c_str(), m), 0);
    vectorpin_signer* s = nullptr;
    EXPECT_EQ(status_name(vectorpin_signer_load_file(&s, "k", 1, path.data(), path.size(), 0, &e)), "OK")
        << std::oct << m;
    vectorpin_signer_free(s);
  }
  std::remove(path.c_str());
  ::rmdir(dir.c_str());
}
