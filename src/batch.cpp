#include "batch.hpp"

#include <atomic>
#include <new>
#include <system_error>

#if defined(__linux__)
#include <sched.h>
#endif

namespace vectorpin {

unsigned usable_cores() {
#if defined(__linux__) && defined(CPU_COUNT)
  // The CPUs this process may run on (a container's or taskset's limit),
  // which can be fewer than the machine has; more threads than that only
  // take turns.
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
#endif
  return std::thread::hardware_concurrency();  // 0 if unknown
}

unsigned batch_thread_count(uint32_t requested, size_t work_items) {
  size_t n = requested;
  if (n == 0) {
    n = usable_cores();
    if (n == 0) n = 1;  // unknown: stay on the caller's thread
  }
  if (n > kMaxBatchThreads) n = kMaxBatchThreads;
  if (n > work_items) n = work_items;
  return n == 0 ? 1u : static_cast<unsigned>(n);
}

void parallel_for(size_t count, unsigned threads, const std::function<void(size_t)>& body) {
  // Items are handed out one at a time: each costs tens of microseconds
  // (an Ed25519 verification), so the shared counter is never contended
  // enough to matter, and uneven items still balance.
  std::atomic<size_t> next{0};
  auto drain = [&] {
    for (size_t i = next.fetch_add(1, std::memory_order_relaxed); i < count;
         i = next.fetch_add(1, std::memory_order_relaxed))
      body(i);
  };
  std::vector<std::thread> helpers;
  if (threads > 1) {
    try {
      helpers.reserve(threads - 1);
      for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(drain);
    } catch (const std::exception&) {
      // Fewer threads than asked for still finish the work.
    }
  }
  drain();
  for (auto& h : helpers) h.join();
}

Status verify_pin_json(const Verifier& verifier, std::string_view json, const VerifyInputs& in, Error& err) {
  Pin pin;
  Status st = parse_pin(json, pin, err);
  if (st != VECTORPIN_OK) return st;
  return verifier.verify(pin, in, err);
}

BatchQueue::BatchQueue(const Verifier& verifier, unsigned threads) : verifier_(verifier) {
  if (threads == 0) threads = 1;
  workers_.reserve(threads);
  try {
    for (unsigned t = 0; t < threads; ++t) workers_.emplace_back([this] { work(); });
  } catch (const std::exception&) {
    if (workers_.empty()) throw;  // no worker at all: the queue could never finish anything
  }
}

BatchQueue::~BatchQueue() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  result_ready_.notify_all();
  for (auto& w : workers_) w.join();
}

std::unique_ptr<BatchQueue::Job> BatchQueue::make_job(uint64_t cookie, std::string_view json, const char* source,
                                                      size_t source_len, const Expectations* expectations) {
  auto job = std::make_unique<Job>();
  job->cookie = cookie;
  if (json.size() > kMaxPinJsonBytes) {
    // Refused on size before anything is parsed; answering now spares
    // copying input the verifier would never look at.
    Pin unused;
    job->result.code = parse_pin(json, unused, job->result);
    job->done = true;
    return job;
  }
  job->json.assign(json.data(), json.size());
  if (source != nullptr) {
    job->has_source = true;
    job->source.assign(source, source_len);
  }
  if (expectations != nullptr) {
    job->has_expectations = true;
    job->expectations = *expectations;
  }
  return job;
}

void BatchQueue::submit(uint64_t cookie, std::string_view json, const char* source, size_t source_len,
                        const float* vector, size_t dim, const Expectations* expectations) {
  auto job = make_job(cookie, json, source, source_len, expectations);
  if (!job->done && vector != nullptr) {
    job->has_f32 = true;
    job->f32.assign(vector, vector + dim);
  }
  enqueue(std::move(job));
}

void BatchQueue::submit(uint64_t cookie, std::string_view json, const char* source, size_t source_len,
                        const double* vector, size_t dim, const Expectations* expectations) {
  auto job = make_job(cookie, json, source, source_len, expectations);
  if (!job->done && vector != nullptr) {
    job->has_f64 = true;
    job->f64.assign(vector, vector + dim);
  }
  enqueue(std::move(job));
}

void BatchQueue::enqueue(std::unique_ptr<Job> job) {
  Job* raw = job.get();
  const bool done = raw->done;
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(std::move(job));
    if (!done) {
      try {
        todo_.push_back(raw);
      } catch (...) {
        jobs_.pop_back();
        throw;
      }
      // While a worker is busy it takes what is waiting when it is done, so
      // an idle one is woken only for a full block. Woken for every item,
      // an idle worker would verify blocks of one (no shared inversion, no
      // vector lanes) and sleep again after each, and on virtual machines
      // those wake-ups cost as much as the work.
      wake = busy_ == 0 || todo_.size() >= kBlockItems;
    }
  }
  if (done) result_ready_.notify_all();
  else if (wake) work_ready_.notify_one();
}

void BatchQueue::run(Job& job) const {
  VerifyInputs in;
  // An empty std::vector may have no storage; the pointer must still say
  // "supplied" (an empty vector is a shape mismatch, not an absent one).
  static const float kNoFloats[1] = {0.0f};
  static const double kNoDoubles[1] = {0.0};
  if (job.has_source) {
    in.source = job.source.data();
    in.source_len = job.source.size();
  }
  if (job.has_f32) {
    in.vector_f32 = job.f32.empty() ? kNoFloats : job.f32.data();
    in.dim = job.f32.size();
  } else if (job.has_f64) {
    in.vector_f64 = job.f64.empty() ? kNoDoubles : job.f64.data();
    in.dim = job.f64.size();
  }
  if (job.has_expectations) in.expectations = &job.expectations;
  Error& e = job.result;
  try {
    e.code = verify_pin_json(verifier_, job.json, in, e);
  } catch (const std::bad_alloc&) {
    fail(e, VECTORPIN_OUT_OF_MEMORY, "out of memory");
  } catch (...) {
    fail(e, VECTORPIN_INTERNAL_ERROR, "internal error");
  }
}

namespace {

// A job's vector for hashing ahead; none when it has no vector or an empty one.
template <typename Job>
VectorBytes vector_of(const Job& job) {
  if (job.has_f32 && !job.f32.empty()) return {job.f32.data(), job.f32.size() * 4, FloatLanes::F32};
  if (job.has_f64 && !job.f64.empty()) return {job.f64.data(), job.f64.size() * 8, FloatLanes::F64};
  return {};
}

}  // namespace

void BatchQueue::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [this] { return stopping_ || !todo_.empty(); });
    if (stopping_) return;
    // A block of waiting jobs, up to kBlockItems but no more than this
    // worker's share of the queue, so that other workers are not left idle.
    const size_t share = (todo_.size() + workers_.size() - 1) / workers_.size();
    Job* block[kBlockItems];
    size_t n = 0;
    while (n < kBlockItems && n < share && !todo_.empty()) {
      block[n++] = todo_.front();
      todo_.pop_front();
    }
    ++busy_;
    lock.unlock();
    verify_block(
        n, [&](size_t i) { return vector_of(*block[i]); }, [&](size_t i) { run(*block[i]); },
        [&](size_t i, std::string_view kid) {
          Error& e = block[i]->result;
          try {
            e = Error();
            e.code = Verifier::signature_invalid(kid, e);
          } catch (...) {
            fail(e, VECTORPIN_OUT_OF_MEMORY, "out of memory");
          }
        });
    lock.lock();
    --busy_;
    for (size_t i = 0; i < n; ++i) block[i]->done = true;
    // Notified with the lock held, a waiting reader would wake only to
    // block on it again: two more context switches per block.
    lock.unlock();
    result_ready_.notify_all();
    lock.lock();
  }
}

bool BatchQueue::next(uint64_t& cookie, Error& result, bool wait) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (wait)
    result_ready_.wait(lock, [this] { return stopping_ || jobs_.empty() || jobs_.front()->done; });
  if (jobs_.empty() || !jobs_.front()->done) return false;
  std::unique_ptr<Job> job = std::move(jobs_.front());
  jobs_.pop_front();
  lock.unlock();
  cookie = job->cookie;
  result = std::move(job->result);
  return true;
}

size_t BatchQueue::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return jobs_.size();
}

}  // namespace vectorpin
