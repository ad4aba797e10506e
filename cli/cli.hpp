// Shared pieces of the `vectorpin` command-line program. The program uses
// only the public C interface of libvectorpin.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
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
// --source's bytes: exact (`newlines` absent or "exact"), or with CRLF and
// lone CR turned into LF ("universal", upstream's Python text reading).
std::string read_source_file(const std::string& path, const std::optional<std::string>& newlines);
std::string universal_newlines(const std::string& bytes);
std::string read_file_limited(const std::string& path, size_t limit);
// At most the first `limit` bytes of the file; the rest is never read.
std::string read_file_prefix(const std::string& path, size_t limit);

// A vector read from .npy (f32/f64, 1-D, little-endian: its own type) or
// .json (an array of numbers, each decimal rounded once, straight to
// `json_dtype`: see util/json_numbers.hpp).
struct VectorData {
  vectorpin_dtype dtype = VECTORPIN_DTYPE_F64;
  std::vector<float> f32;
  std::vector<double> f64;
  size_t size() const { return dtype == VECTORPIN_DTYPE_F32 ? f32.size() : f64.size(); }
};
VectorData read_vector_file(const std::string& path, vectorpin_dtype json_dtype);
VectorData parse_npy(const std::string& bytes, const std::string& what);
VectorData parse_json_vector(const std::string& text, vectorpin_dtype dtype, const std::string& what);

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

// Public key from a file holding raw bytes, base64url text or PEM; a file
// that looks like a private key is refused (key_file_checks.cpp).
std::vector<uint8_t> load_public_key_file(const std::string& path);
// Loads --private-key after refusing a file that looks like a public key;
// a permissions refusal names both readings of a readable key file.
void load_signer_file(SignerHandle& signer, const std::string& kid, const std::string& path, bool allow_insecure);
// Usage errors (exit 2) for a key file given as the wrong kind.
void refuse_public_key_as_private(const std::string& path);
void refuse_private_key_as_public(const std::string& path);
// Registers the keys named by --registry FILE, or by --public-key/--key-id
// with an optional --valid-from/--valid-until window; usage errors exit 2.
void setup_verifier_keys(const Args& a, vectorpin_verifier* v);

// The known name nearest to a mistyped one, if any is near enough to be a
// typo (suggest.cpp).
std::optional<std::string> closest_name(const std::string& typed, const std::vector<std::string>& names);

// Help text (help.cpp): the overview, one command's synopsis, one command's
// full help (false for an unknown name), and the command names.
void print_usage(std::ostream& out);
void print_command_usage(std::ostream& out, const std::string& name);
bool print_command_help(std::ostream& out, const std::string& name);
std::vector<std::string> command_names();
// Where a documentation page is for this copy of the program: the installed
// <prefix>/share/doc/vectorpin/NAME when the program runs from an installed
// prefix, else the source tree's docs/NAME (help.cpp).
std::string installed_doc(const std::string& name);
// Directory of the running program, or "" where /proc is not there.
std::string program_dir();

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
int cmd_audit_merge(const std::vector<std::string>& argv);
// The conformance runner (conformance/, docs/CONFORMANCE.md).
int cmd_conformance(const std::vector<std::string>& argv);
// Upstream's command names (cmd_upstream.cpp).
int cmd_audit_lancedb(const std::vector<std::string>& argv);
int cmd_audit_pgvector(const std::vector<std::string>& argv);
int cmd_audit_chroma(const std::vector<std::string>& argv);
int cmd_audit_qdrant(const std::vector<std::string>& argv);
int cmd_audit_pinecone(const std::vector<std::string>& argv);

}  // namespace cli
