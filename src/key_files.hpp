// Key files on disk: `<kid>.priv` created 0600 and exclusively (never
// overwritten), `<kid>.pub` 0644, inside a directory created 0700; and
// reading a private key file with a permission check.
#pragma once

#include <string>
#include <string_view>

#include "error.hpp"
#include "signer.hpp"

namespace vectorpin {

Status save_key_files(const Signer& signer, std::string_view dir, bool pem, Error& err);

// Reads at most 64 KiB from a regular file. With `private_key`, refuses a
// file that group or others can access unless `allow_insecure`.
Status read_key_file(std::string_view path, bool private_key, bool allow_insecure, std::string& out, Error& err);

}  // namespace vectorpin
