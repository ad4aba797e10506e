#include "key_files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vectorpin {
namespace {

constexpr size_t kMaxKeyFileBytes = 64 * 1024;

Status io_error(Error& err, const std::string& what, const std::string& path, int errnum) {
  return fail(err, VECTORPIN_IO_ERROR, what + " " + quote_untrusted(path) + ": " + std::strerror(errnum));
}

bool safe_file_name(std::string_view kid) {
  if (kid.empty() || kid.front() == '.') return false;
  return kid.find('/') == std::string_view::npos && kid.find('\\') == std::string_view::npos;
}

// Creates `path` exclusively with `mode` and writes all of `data`.
Status write_new_file(const std::string& path, const std::string& data, mode_t mode, Error& err) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) return fail(err, VECTORPIN_FILE_EXISTS, "refusing to overwrite " + quote_untrusted(path));
    return io_error(err, "cannot create", path, errno);
  }
  // The umask may only narrow the mode; set it exactly.
  if (::fchmod(fd, mode) != 0) {
    int e = errno;
    ::close(fd);
    ::unlink(path.c_str());
    return io_error(err, "cannot set permissions on", path, e);
  }
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      ::unlink(path.c_str());
      return io_error(err, "cannot write", path, e);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int e = errno;
    ::unlink(path.c_str());
    return io_error(err, "cannot flush", path, e);
  }
  return VECTORPIN_OK;
}

bool exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

}  // namespace

Status save_key_files(const Signer& signer, std::string_view dir_in, bool pem, Error& err) {
  if (!signer.has_private_key())
    return fail(err, VECTORPIN_INVALID_ARGUMENT, "an external signer has no private key to save");
  if (!safe_file_name(signer.kid()))
    return fail(err, VECTORPIN_INVALID_INPUT,
                "kid " + quote_untrusted(signer.kid()) + " is not usable as a file name ('/', '\\\\' or leading '.')");
  std::string dir(dir_in);
  if (dir.empty()) dir = ".";
  if (dir.find('\0') != std::string::npos) return fail(err, VECTORPIN_INVALID_ARGUMENT, "directory contains NUL");
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return io_error(err, "cannot create directory", dir, errno);
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return fail(err, VECTORPIN_IO_ERROR, quote_untrusted(dir) + " is not a directory");

  std::string priv_path = dir + "/" + signer.kid() + ".priv";
  std::string pub_path = dir + "/" + signer.kid() + ".pub";
  // Check both first so that nothing is written when either exists.
  if (exists(priv_path)) return fail(err, VECTORPIN_FILE_EXISTS, "refusing to overwrite " + quote_untrusted(priv_path));
  if (exists(pub_path)) return fail(err, VECTORPIN_FILE_EXISTS, "refusing to overwrite " + quote_untrusted(pub_path));

  Seed seed;
  signer.export_seed(seed);
  std::string priv = pem ? private_key_pem(seed)
                         : std::string(reinterpret_cast<const char*>(seed.bytes.data()), seed.bytes.size());
  Status s = write_new_file(priv_path, priv, 0600, err);
  sodium_memzero(&priv[0], priv.size());
  if (s != VECTORPIN_OK) return s;
  const PublicKey& pk = signer.public_key();
  std::string pub = pem ? public_key_pem(pk) : std::string(reinterpret_cast<const char*>(pk.data()), pk.size());
  s = write_new_file(pub_path, pub, 0644, err);
  if (s != VECTORPIN_OK) ::unlink(priv_path.c_str());  // ours, just created: leave no half pair
  return s;
}

Status read_key_file(std::string_view path_in, bool private_key, bool allow_insecure, std::string& out, Error& err) {
  std::string path(path_in);
  if (path.find('\0') != std::string::npos) return fail(err, VECTORPIN_INVALID_ARGUMENT, "path contains NUL");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error(err, "cannot open", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(err, VECTORPIN_IO_ERROR, quote_untrusted(path) + " is not a regular file");
  }
  if (private_key && !allow_insecure && (st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return fail(err, VECTORPIN_INSECURE_PERMISSIONS,
                "private key file " + quote_untrusted(path) + " has mode " + mode +
                    "; group and others must have no access (chmod 600), or allow it explicitly");
  }
  if (static_cast<size_t>(st.st_size) > kMaxKeyFileBytes) {
    ::close(fd);
    return fail(err, VECTORPIN_INVALID_KEY, quote_untrusted(path) + " is too large to be a key file");
  }
  out.assign(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::read(fd, &out[done], out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      sodium_memzero(&out[0], out.size());
      return io_error(err, "cannot read", path, e);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(done);
  return VECTORPIN_OK;
}

}  // namespace vectorpin
