// Catches a public key file given where a private key belongs, and the
// reverse. Both formats can be 32 raw bytes, so the library alone cannot tell
// them apart: a public key loaded as a seed signs with an unrelated key and
// the mistake only shows later as SIGNATURE_INVALID. The file's name, a twin
// beside it and its mode say what the user meant.
#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "cli.hpp"

namespace cli {

namespace fs = std::filesystem;

namespace {

// Key files are small; anything larger is not compared (and the library
// refuses it anyway).
constexpr std::uintmax_t kMaxComparedBytes = 64 * 1024;
// Bounds the work in a directory with many files.
constexpr int kMaxScannedEntries = 4096;

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A private key's bytes are wiped once compared.
struct WipedBytes {
  std::string bytes;
  ~WipedBytes() {
    if (!bytes.empty()) explicit_bzero(&bytes[0], bytes.size());
  }
};

bool read_small(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  out.assign(static_cast<size_t>(kMaxComparedBytes) + 1, '\0');
  in.read(&out[0], static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<size_t>(in.gcount()));
  return !in.bad() && out.size() <= kMaxComparedBytes;
}

// The first regular file in `key`'s directory whose name ends in `suffix`
// and whose bytes equal `key`'s, or an empty path.
fs::path twin_beside(const fs::path& key, const std::string& suffix) {
  std::error_code ec;
  std::uintmax_t size = fs::file_size(key, ec);
  if (ec || size == 0 || size > kMaxComparedBytes) return {};
  fs::path dir = key.has_parent_path() ? key.parent_path() : fs::path(".");
  std::vector<fs::path> candidates;
  int seen = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end && seen < kMaxScannedEntries; it.increment(ec), ++seen) {
    const fs::path& p = it->path();
    if (!ends_with(p.filename().string(), suffix)) continue;
    std::error_code e2;
    if (!it->is_regular_file(e2) || e2 || fs::equivalent(p, key, e2)) continue;
    if (fs::file_size(p, e2) == size && !e2) candidates.push_back(p);
  }
  if (candidates.empty()) return {};
  WipedBytes mine;
  if (!read_small(key, mine.bytes)) return {};
  for (const auto& c : candidates) {
    WipedBytes other;
    if (read_small(c, other.bytes) && other.bytes == mine.bytes) return c;
  }
  return {};
}

std::string mode_text(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return "";
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return mode;
}

// Paths come from the user's own command line, but may be long: keep the
// message readable.
std::string shown(const std::string& path) { return path.size() > 200 ? path.substr(0, 200) + "..." : path; }

}  // namespace

void refuse_public_key_as_private(const std::string& path) {
  if (ends_with(path, ".pub"))
    usage_error("--private-key " + shown(path) +
                " looks like a public key (its name ends in .pub); give the private key file (keygen writes "
                "it as ID.priv beside ID.pub)");
  fs::path twin = twin_beside(path, ".pub");
  if (!twin.empty())
    usage_error("--private-key " + shown(path) + " holds the same bytes as the public key file " +
                shown(twin.string()) + "; give the private key file (keygen writes it as ID.priv)");
}

void refuse_private_key_as_public(const std::string& path) {
  if (ends_with(path, ".priv"))
    usage_error("--public-key " + shown(path) +
                " looks like a private key (its name ends in .priv); give the public key file (keygen writes it "
                "as ID.pub beside ID.priv) and keep the private key away from verifiers");
}

void load_signer_file(SignerHandle& signer, const std::string& kid, const std::string& path, bool allow_insecure) {
  refuse_public_key_as_private(path);
  vectorpin_error err;
  uint32_t flags = allow_insecure ? VECTORPIN_LOAD_ALLOW_INSECURE_PERMISSIONS : 0u;
  vectorpin_status st =
      vectorpin_signer_load_file(&signer.p, kid.data(), kid.size(), path.data(), path.size(), flags, &err);
  if (st == VECTORPIN_INSECURE_PERMISSIONS) {
    // keygen writes public keys 0644: a readable "private key" is as likely
    // a public key as a leaked secret, so the message names both readings
    // instead of suggesting chmod alone.
    std::string mode = mode_text(path);
    std::string hint = mode == "0644" ? "; mode " + mode +
                                            " is what keygen gives a public key file: if this is the public key, "
                                            "give the .priv file instead"
                                      : "";
    runtime_error(std::string("INSECURE_PERMISSIONS: ") + err.message + hint +
                  " (--allow-insecure-key-permissions overrides)");
  }
  check(st, err, "loading " + shown(path));
}

}  // namespace cli
