// Shared pieces of the `vectorpin` command-line program. The program uses
// only the public C interface of libvectorpin.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "vectorpin.h"

namespace cli {

// Documented exit codes (docs/CLI.md).
enum Exit : int {
  kExitOk = 0,
  kExitVerificationFailed = 1,
  kExitUsage = 2,
  kExitRuntime = 3,
};

// Thrown to end a command with an exit code and a message for stderr.
struct Failure : std::runtime_error {
  int exit_code;
  Failure(int code, const std::string& message) : std::runtime_error(message), exit_code(code) {}
};

[[noreturn]] void usage_error(const std::string& message);
[[noreturn]] void runtime_error(const std::string& message);
// Ends with kExitRuntime and the library's message if `st` is not OK.
void check(vectorpin_status st, const vectorpin_error& err, const std::string& context);

struct FlagSpec {
  std::string name;  // without the leading "--"
  bool takes_value;
  bool repeatable;
};

class Args {
 public:
  // Parses `--name value`, `--name=value` and boolean `--name`.
  static Args parse(const std::vector<std::string>& argv, const std::vector<FlagSpec>& spec);
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  std::optional<std::string> get(const std::string& name) const;
  std::string require(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

std::string read_file(const std::string& path);
std::string read_file_limited(const std::string& path, size_t limit);

// A vector read from .npy (f32/f64, 1-D, little-endian) or .json (array of
// numbers, read as f64).
struct VectorData {
  vectorpin_dtype dtype = VECTORPIN_DTYPE_F64;
  std::vector<float> f32;
  std::vector<double> f64;
  size_t size() const { return dtype == VECTORPIN_DTYPE_F32 ? f32.size() : f64.size(); }
};
VectorData read_vector_file(const std::string& path);
VectorData parse_npy(const std::string& bytes, const std::string& what);
VectorData parse_json_vector(const std::string& text, const std::string& what);

// RAII owners for library handles.
struct SignerHandle {
  vectorpin_signer* p = nullptr;
  ~SignerHandle() { vectorpin_signer_free(p); }
};
struct VerifierHandle {
  vectorpin_verifier* p = nullptr;
  ~VerifierHandle() { vectorpin_verifier_free(p); }
};
struct PinHandle {
  vectorpin_pin* p = nullptr;
  ~PinHandle() { vectorpin_pin_free(p); }
};
struct OptionsHandle {
  vectorpin_pin_options* p = nullptr;
  ~OptionsHandle() { vectorpin_pin_options_free(p); }
};
struct ExpectationsHandle {
  vectorpin_expectations* p = nullptr;
  ~ExpectationsHandle() { vectorpin_expectations_free(p); }
};
struct LibString {
  char* p = nullptr;
  size_t n = 0;
  ~LibString() { vectorpin_free(p); }
  std::string str() const { return std::string(p, n); }
};

// Public key from a file holding raw bytes, base64url text or PEM.
std::vector<uint8_t> load_public_key_file(const std::string& path);
// Registers the keys named by --registry FILE, or by --public-key/--key-id
// with an optional --valid-from/--valid-until window; usage errors exit 2.
void setup_verifier_keys(const Args& a, vectorpin_verifier* v);

std::string base64url(const uint8_t* data, size_t len);
std::vector<uint8_t> base64url_decode(const std::string& text, const std::string& what);

// Every subcommand: argv excludes the program and subcommand names.
int cmd_keygen(const std::vector<std::string>& argv);
int cmd_pin(const std::vector<std::string>& argv);
int cmd_verify_pin(const std::vector<std::string>& argv);
int cmd_inspect(const std::vector<std::string>& argv);
int cmd_fingerprint(const std::vector<std::string>& argv);
int cmd_audit(const std::vector<std::string>& argv);
int cmd_pin_store(const std::vector<std::string>& argv);
// Upstream's command names (cmd_upstream.cpp).
int cmd_audit_lancedb(const std::vector<std::string>& argv);
int cmd_audit_pgvector(const std::vector<std::string>& argv);
int cmd_audit_chroma(const std::vector<std::string>& argv);
int cmd_audit_qdrant(const std::vector<std::string>& argv);
int cmd_audit_pinecone(const std::vector<std::string>& argv);

}  // namespace cli
