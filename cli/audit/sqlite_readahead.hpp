// The auditor's read-ahead SQLite VFS (see sqlite_readahead.cpp for why it
// exists and why it is safe).
#pragma once

#include <sqlite3.h>

#include <cstdint>

namespace cli::audit {

// Registers the VFS on first use (not as the default) and returns its name
// for sqlite3_open_v2, or nullptr when it cannot be registered; the caller
// then opens with SQLite's default VFS.
const char* readahead_vfs_name();

// Slices read so far in this process (the tests check the layer is used).
uint64_t readahead_slice_fills();

}  // namespace cli::audit
