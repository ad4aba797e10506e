// Fault points of the test build `vectorpin-faults` (never installed).
//
// With VECTORPIN_TEST_PAUSE_AFTER_ROWS=N, `pin-store` stops after writing N
// rows, still inside its transaction, creates the file named by
// VECTORPIN_TEST_PAUSE_FILE (if set) to say so, and sleeps until it is killed
// (or 300 s pass, then it carries on). The tests kill it there to show that
// an interrupted run leaves the table as it was and the next audit runs.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "audit.hpp"

namespace cli::audit {

void fault_point_row_written() {
  static const long limit = [] {
    const char* v = std::getenv("VECTORPIN_TEST_PAUSE_AFTER_ROWS");
    return v ? std::atol(v) : -1L;
  }();
  static long written = 0;
  if (limit < 0 || ++written != limit) return;
  std::fprintf(stderr, "pin-store: paused after %ld rows (VECTORPIN_TEST_PAUSE_AFTER_ROWS)\n", written);
  std::fflush(stderr);
  // The marker comes last: a watcher that sees it may kill at once.
  if (const char* marker = std::getenv("VECTORPIN_TEST_PAUSE_FILE")) {
    if (std::FILE* f = std::fopen(marker, "w")) std::fclose(f);
  }
  // Bounded, so that a harness which never kills does not hang forever.
  for (int i = 0; i < 3000; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

}  // namespace cli::audit
