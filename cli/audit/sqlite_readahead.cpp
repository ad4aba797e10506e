// A read-ahead layer for the auditor's SQLite connection.
//
// Why: an audit walks a table whose rows span several pages (a 3072-dim
// f32 vector is three overflow pages), and SQLite reads every page with its
// own pread(). With 4 KiB pages that is one system call per 4 KiB, and the
// calls, not the copying, were most of the reader thread's time. This VFS
// wraps the default one and, while a main database file is being read
// sequentially, reads it in 256 KiB slices and serves SQLite's page reads
// from the slice.
//
// Why it is safe: a slice is only served between two lock calls. SQLite
// calls xLock/xUnlock (rollback journal) or xShmLock (WAL) when a read
// transaction begins or ends, and within one read transaction the pages it
// reads from the main file cannot change: in rollback mode no writer may
// write the file while a SHARED lock is held; in WAL mode a checkpoint only
// writes pages that this snapshot reads from the WAL, never from the main
// file. Every write, truncation and file control also drops the slice. A
// read the slice cannot serve (random access, a large read, a read near the
// end of the file, any error) goes to the wrapped VFS unchanged, so its
// results, including short reads and errors, are exactly SQLite's own.
#include "sqlite_readahead.hpp"

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>

namespace cli::audit {
namespace {

constexpr sqlite3_int64 kSliceBytes = 256 * 1024;
// Reads larger than this bypass the slice (they are already efficient).
constexpr int kLargestBufferedRead = 64 * 1024;

sqlite3_vfs* g_base = nullptr;  // the wrapped VFS
std::atomic<uint64_t> g_fills{0};

struct ReadaheadFile {
  sqlite3_file base;      // must come first: SQLite sees this
  sqlite3_file* wrapped;  // lives right after this struct, in SQLite's allocation
  std::unique_ptr<unsigned char[]> slice;
  sqlite3_int64 slice_start = 0, slice_len = 0;  // slice_len 0 = nothing held
  sqlite3_int64 next_sequential = -1;            // where the previous read ended
};

ReadaheadFile* self(sqlite3_file* f) { return reinterpret_cast<ReadaheadFile*>(f); }
sqlite3_file* wrapped(sqlite3_file* f) { return self(f)->wrapped; }
void drop_slice(sqlite3_file* f) { self(f)->slice_len = 0; }

int ra_close(sqlite3_file* f) {
  ReadaheadFile* p = self(f);
  int rc = p->wrapped->pMethods ? p->wrapped->pMethods->xClose(p->wrapped) : SQLITE_OK;
  p->~ReadaheadFile();
  return rc;
}

int ra_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  ReadaheadFile* p = self(f);
  sqlite3_file* w = p->wrapped;
  const bool sequential = offset == p->next_sequential;
  p->next_sequential = offset + amount;
  if (amount <= 0 || amount > kLargestBufferedRead) return w->pMethods->xRead(w, out, amount, offset);
  if (p->slice_len && offset >= p->slice_start && offset + amount <= p->slice_start + p->slice_len) {
    std::memcpy(out, p->slice.get() + (offset - p->slice_start), static_cast<size_t>(amount));
    return SQLITE_OK;
  }
  // Only a sequential walk is worth a slice; anything else reads what it asks.
  p->slice_len = 0;
  sqlite3_int64 size = 0;
  if (!sequential || w->pMethods->xFileSize(w, &size) != SQLITE_OK || offset + kSliceBytes > size)
    return w->pMethods->xRead(w, out, amount, offset);
  if (!p->slice) {
    p->slice.reset(new (std::nothrow) unsigned char[kSliceBytes]);
    if (!p->slice) return w->pMethods->xRead(w, out, amount, offset);
  }
  if (w->pMethods->xRead(w, p->slice.get(), static_cast<int>(kSliceBytes), offset) != SQLITE_OK)
    return w->pMethods->xRead(w, out, amount, offset);  // a short read or an error: SQLite's own answer
  p->slice_start = offset;
  p->slice_len = kSliceBytes;
  g_fills.fetch_add(1, std::memory_order_relaxed);
  std::memcpy(out, p->slice.get(), static_cast<size_t>(amount));
  return SQLITE_OK;
}

int ra_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  drop_slice(f);
  return wrapped(f)->pMethods->xWrite(wrapped(f), data, amount, offset);
}
int ra_truncate(sqlite3_file* f, sqlite3_int64 size) {
  drop_slice(f);
  return wrapped(f)->pMethods->xTruncate(wrapped(f), size);
}
int ra_sync(sqlite3_file* f, int flags) { return wrapped(f)->pMethods->xSync(wrapped(f), flags); }
int ra_file_size(sqlite3_file* f, sqlite3_int64* size) { return wrapped(f)->pMethods->xFileSize(wrapped(f), size); }
int ra_lock(sqlite3_file* f, int level) {
  drop_slice(f);
  return wrapped(f)->pMethods->xLock(wrapped(f), level);
}
int ra_unlock(sqlite3_file* f, int level) {
  drop_slice(f);
  return wrapped(f)->pMethods->xUnlock(wrapped(f), level);
}
int ra_check_reserved_lock(sqlite3_file* f, int* out) {
  return wrapped(f)->pMethods->xCheckReservedLock(wrapped(f), out);
}
int ra_file_control(sqlite3_file* f, int op, void* arg) {
  drop_slice(f);
  return wrapped(f)->pMethods->xFileControl(wrapped(f), op, arg);
}
int ra_sector_size(sqlite3_file* f) { return wrapped(f)->pMethods->xSectorSize(wrapped(f)); }
int ra_device_characteristics(sqlite3_file* f) { return wrapped(f)->pMethods->xDeviceCharacteristics(wrapped(f)); }
int ra_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return wrapped(f)->pMethods->xShmMap(wrapped(f), region, size, extend, out);
}
int ra_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  drop_slice(f);
  return wrapped(f)->pMethods->xShmLock(wrapped(f), offset, n, flags);
}
void ra_shm_barrier(sqlite3_file* f) { wrapped(f)->pMethods->xShmBarrier(wrapped(f)); }
int ra_shm_unmap(sqlite3_file* f, int delete_flag) {
  drop_slice(f);
  return wrapped(f)->pMethods->xShmUnmap(wrapped(f), delete_flag);
}
int ra_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return wrapped(f)->pMethods->xFetch(wrapped(f), offset, amount, out);
}
int ra_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  return wrapped(f)->pMethods->xUnfetch(wrapped(f), offset, page);
}

// One table per version of the wrapped file's methods, so SQLite never calls
// a method the wrapped file does not have.
sqlite3_io_methods methods_for(int version) {
  sqlite3_io_methods m{};
  m.iVersion = version;
  m.xClose = ra_close;
  m.xRead = ra_read;
  m.xWrite = ra_write;
  m.xTruncate = ra_truncate;
  m.xSync = ra_sync;
  m.xFileSize = ra_file_size;
  m.xLock = ra_lock;
  m.xUnlock = ra_unlock;
  m.xCheckReservedLock = ra_check_reserved_lock;
  m.xFileControl = ra_file_control;
  m.xSectorSize = ra_sector_size;
  m.xDeviceCharacteristics = ra_device_characteristics;
  if (version >= 2) {
    m.xShmMap = ra_shm_map;
    m.xShmLock = ra_shm_lock;
    m.xShmBarrier = ra_shm_barrier;
    m.xShmUnmap = ra_shm_unmap;
  }
  if (version >= 3) {
    m.xFetch = ra_fetch;
    m.xUnfetch = ra_unfetch;
  }
  return m;
}
const sqlite3_io_methods kMethods[] = {methods_for(1), methods_for(2), methods_for(3)};

int ra_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  // Only a main database file is wrapped; journals, WAL and temporary files
  // are opened straight into the space SQLite gave (it is large enough).
  if (!(flags & SQLITE_OPEN_MAIN_DB)) return g_base->xOpen(g_base, name, f, flags, out_flags);
  ReadaheadFile* p = new (f) ReadaheadFile();
  p->base.pMethods = nullptr;
  p->wrapped = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + sizeof(ReadaheadFile));
  p->wrapped->pMethods = nullptr;
  int rc = g_base->xOpen(g_base, name, p->wrapped, flags, out_flags);
  const sqlite3_io_methods* inner = p->wrapped->pMethods;
  if (rc != SQLITE_OK || !inner) {
    if (inner) inner->xClose(p->wrapped);
    p->~ReadaheadFile();
    f->pMethods = nullptr;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  int version = inner->iVersion < 1 ? 1 : inner->iVersion > 3 ? 3 : inner->iVersion;
  p->base.pMethods = &kMethods[version - 1];
  return SQLITE_OK;
}

// Everything else is the wrapped VFS's.
int ra_delete(sqlite3_vfs*, const char* name, int sync_dir) { return g_base->xDelete(g_base, name, sync_dir); }
int ra_access(sqlite3_vfs*, const char* name, int flags, int* out) { return g_base->xAccess(g_base, name, flags, out); }
int ra_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_base->xFullPathname(g_base, name, n, out);
}
void* ra_dl_open(sqlite3_vfs*, const char* name) { return g_base->xDlOpen(g_base, name); }
void ra_dl_error(sqlite3_vfs*, int n, char* out) { g_base->xDlError(g_base, n, out); }
void (*ra_dl_sym(sqlite3_vfs*, void* handle, const char* name))(void) { return g_base->xDlSym(g_base, handle, name); }
void ra_dl_close(sqlite3_vfs*, void* handle) { g_base->xDlClose(g_base, handle); }
int ra_randomness(sqlite3_vfs*, int n, char* out) { return g_base->xRandomness(g_base, n, out); }
int ra_sleep(sqlite3_vfs*, int micros) { return g_base->xSleep(g_base, micros); }
int ra_current_time(sqlite3_vfs*, double* out) { return g_base->xCurrentTime(g_base, out); }
int ra_last_error(sqlite3_vfs*, int n, char* out) {
  return g_base->xGetLastError ? g_base->xGetLastError(g_base, n, out) : 0;
}
int ra_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) { return g_base->xCurrentTimeInt64(g_base, out); }

sqlite3_vfs g_vfs{};

}  // namespace

const char* readahead_vfs_name() {
  static std::once_flag once;
  static const char* name = nullptr;
  std::call_once(once, [] {
    // SQLite's allocation statistics take a global mutex on every
    // allocation, a tenth of a reading thread's time in profiles, and the
    // CLI never reads them. Refused harmlessly if SQLite is running already.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (sqlite3_initialize() != SQLITE_OK) return;
    g_base = sqlite3_vfs_find(nullptr);
    if (!g_base || g_base->iVersion < 2 || !g_base->xCurrentTimeInt64) return;
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(sizeof(ReadaheadFile)) + g_base->szOsFile;
    g_vfs.mxPathname = g_base->mxPathname;
    g_vfs.zName = "vectorpin-readahead";
    g_vfs.xOpen = ra_open;
    g_vfs.xDelete = ra_delete;
    g_vfs.xAccess = ra_access;
    g_vfs.xFullPathname = ra_full_pathname;
    g_vfs.xDlOpen = ra_dl_open;
    g_vfs.xDlError = ra_dl_error;
    g_vfs.xDlSym = ra_dl_sym;
    g_vfs.xDlClose = ra_dl_close;
    g_vfs.xRandomness = ra_randomness;
    g_vfs.xSleep = ra_sleep;
    g_vfs.xCurrentTime = ra_current_time;
    g_vfs.xGetLastError = ra_last_error;
    g_vfs.xCurrentTimeInt64 = ra_current_time_int64;
    if (sqlite3_vfs_register(&g_vfs, 0) == SQLITE_OK) name = g_vfs.zName;
  });
  return name;
}

uint64_t readahead_slice_fills() { return g_fills.load(std::memory_order_relaxed); }

}  // namespace cli::audit
