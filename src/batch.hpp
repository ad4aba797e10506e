// Verifying many pins on several threads: a parallel loop for a batch the
// caller holds in memory, and a queue for a stream of pins that does not fit.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "deferred_signatures.hpp"
#include "error.hpp"
#include "hashing.hpp"
#include "verifier.hpp"

namespace vectorpin {

constexpr uint32_t kMaxBatchThreads = 256;

// Batch items verified together on one thread: their vectors are hashed in
// pairs and their signature checks finished together, one field inversion
// for all (deferred_signatures.hpp). Eight already saves seven in eight.
constexpr size_t kBlockItems = 8;
static_assert(kBlockItems <= DeferredSignatures::kCapacity, "a block's checks fit");

// A batch item's vector as PrehashedVectors takes it; data is null when the
// item has none that could be hashed ahead.
struct VectorBytes {
  const void* data = nullptr;
  size_t bytes = 0;
  FloatLanes lanes = FloatLanes::F32;
};

// Verifies items 0 .. n-1 (n <= kBlockItems) of a block on this thread, the
// way both batch forms do: run(i) verifies item i; two neighbours whose
// vectors (vector_of(i)) have the same element type and size are hashed
// together; the block's prepared-key signature checks are finished
// together, and rejected(i, kid) then gives item i the signature failure
// for each signature that does not verify.
template <typename VectorOf, typename Run, typename Rejected>
void verify_block(size_t n, VectorOf&& vector_of, Run&& run, Rejected&& rejected) {
  DeferredSignatures deferred;
  auto run_one = [&](size_t i) {
    deferred.next_item(i);
    run(i);
  };
  for (size_t i = 0; i < n;) {
    const VectorBytes a = vector_of(i);
    const VectorBytes b = i + 1 < n ? vector_of(i + 1) : VectorBytes{};
    if (a.data != nullptr && b.data != nullptr && a.bytes == b.bytes && a.lanes == b.lanes) {
      const PrehashedVectors ahead(a.data, b.data, a.bytes, a.lanes);
      run_one(i);
      run_one(i + 1);
      i += 2;
    } else {
      run_one(i);
      ++i;
    }
  }
  deferred.finish(rejected);
}

// The number of CPUs this process may run on; 0 if unknown.
unsigned usable_cores();

// Threads to use for `work_items` items: `requested`, or every usable core
// when 0, never more than there are items and never fewer than one.
unsigned batch_thread_count(uint32_t requested, size_t work_items);

// Calls body(i) once for every i in [0, count) on `threads` threads, the
// calling one included, and returns when all calls have returned. `body`
// must not throw. If the system refuses to start a thread, the threads that
// did start (at worst only the caller's) do the work.
void parallel_for(size_t count, unsigned threads, const std::function<void(size_t)>& body);

// Parse, then verify: exactly what verifying pin JSON does one at a time.
Status verify_pin_json(const Verifier& verifier, std::string_view json, const VerifyInputs& in, Error& err);

// A queue of verifications run by a pool of worker threads. Inputs are
// copied when submitted, so the caller's memory is free again as soon as
// submit returns. Results come back in submission order. Every member may be
// called from several threads at once.
class BatchQueue {
 public:
  // Starts `threads` workers (at least one must start, else std::system_error).
  BatchQueue(const Verifier& verifier, unsigned threads);
  ~BatchQueue();  // stops the workers; unretrieved results are dropped
  BatchQueue(const BatchQueue&) = delete;
  BatchQueue& operator=(const BatchQueue&) = delete;

  // `source` and `vector` may be null (not supplied); so may `expectations`,
  // which are copied.
  void submit(uint64_t cookie, std::string_view json, const char* source, size_t source_len, const float* vector,
              size_t dim, const Expectations* expectations);
  void submit(uint64_t cookie, std::string_view json, const char* source, size_t source_len, const double* vector,
              size_t dim, const Expectations* expectations);

  // Hands out the oldest unretrieved result. False when nothing is pending,
  // or, without `wait`, when the oldest is still being verified; with
  // `wait`, blocks until it is done.
  bool next(uint64_t& cookie, Error& result, bool wait);

  // Submitted and not yet retrieved.
  size_t pending() const;

  unsigned threads() const { return static_cast<unsigned>(workers_.size()); }

 private:
  struct Job {
    uint64_t cookie = 0;
    std::string json;
    bool has_source = false;
    std::string source;
    std::vector<float> f32;
    std::vector<double> f64;
    bool has_f32 = false;
    bool has_f64 = false;
    bool has_expectations = false;
    Expectations expectations;
    bool done = false;
    Error result;
  };

  std::unique_ptr<Job> make_job(uint64_t cookie, std::string_view json, const char* source, size_t source_len,
                                const Expectations* expectations);
  void enqueue(std::unique_ptr<Job> job);
  void run(Job& job) const;
  void work();

  const Verifier& verifier_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable result_ready_;
  std::deque<std::unique_ptr<Job>> jobs_;  // every unretrieved job, in submission order
  std::deque<Job*> todo_;                  // jobs no worker has taken yet
  size_t busy_ = 0;                        // workers verifying a block
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace vectorpin
