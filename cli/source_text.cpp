// Reading --source: exact bytes by default, or upstream's text reading.
#include "cli.hpp"

namespace cli {

std::string universal_newlines(const std::string& bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] != '\r') {
      out += bytes[i];
      continue;
    }
    out += '\n';
    if (i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
  }
  return out;
}

std::string read_source_file(const std::string& path, const std::optional<std::string>& newlines) {
  std::string bytes = read_file(path);
  if (!newlines || *newlines == "exact") return bytes;
  // Python's open(path).read(), which upstream's CLI uses, translates CRLF
  // and lone CR to LF; a pin made there from a CRLF file only matches this.
  if (*newlines == "universal") return universal_newlines(bytes);
  usage_error("--source-newlines must be exact or universal");
}

}  // namespace cli
