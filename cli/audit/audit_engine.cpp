// The audit loop. Three parties work at once: a reader thread walks the store
// (database cursors stay on the thread that opened them), this thread turns
// records into verifications, and the library's batch workers verify them.
// Results come back in submission order, so the report follows store order
// whatever the thread count, and memory stays bounded by the number of
// records in flight, not by the size of the store.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "json_emit.hpp"
#include "audit.hpp"

namespace cli::audit {
namespace {

constexpr size_t kReadBatch = 256;
constexpr size_t kQueuedBatches = 8;

// Hands batches of records from the reader thread to the auditing thread.
class RecordPipe {
 public:
  explicit RecordPipe(RecordReader& reader) : reader_(reader) {
    thread_ = std::thread([this] { run(); });
  }
  ~RecordPipe() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    space_.notify_all();
    thread_.join();
  }

  // Next batch; empty at the end. Rethrows the reader's failure.
  std::vector<Record> take() {
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [&] { return !queue_.empty() || done_; });
    if (queue_.empty()) {
      if (error_) std::rethrow_exception(error_);
      return {};
    }
    std::vector<Record> batch = std::move(queue_.front());
    queue_.pop_front();
    space_.notify_one();
    return batch;
  }

 private:
  void run() {
    try {
      while (true) {
        std::vector<Record> batch;
        batch.reserve(kReadBatch);
        Record r;
        while (batch.size() < kReadBatch && reader_.next(r)) batch.push_back(std::move(r));
        bool last = batch.size() < kReadBatch;
        std::unique_lock<std::mutex> lock(mu_);
        space_.wait(lock, [&] { return queue_.size() < kQueuedBatches || stop_; });
        if (stop_) return;
        if (!batch.empty()) queue_.push_back(std::move(batch));
        if (last) {
          done_ = true;
          ready_.notify_all();
          return;
        }
        ready_.notify_one();
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      error_ = std::current_exception();
      done_ = true;
      ready_.notify_all();
    }
  }

  RecordReader& reader_;
  std::mutex mu_;
  std::condition_variable ready_, space_;
  std::deque<std::vector<Record>> queue_;
  bool done_ = false, stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

struct BatchHandle {
  vectorpin_batch* p = nullptr;
  ~BatchHandle() { vectorpin_batch_free(p); }
};

// What is left to decide about a record once the library's verdict is in.
enum class After { kNothing, kVectorMissing, kVectorUnreadable, kSourceMissing, kNoRecordId };

struct InFlight {
  uint64_t ordinal;
  uint64_t line;
  std::optional<std::string> id;
  bool submitted;
  After after = After::kNothing;
  std::string detail;  // decided records: the failure's detail; submitted: detail for `after`
  std::string code;    // decided records: "" = verified, else the failure code
};

class Auditor {
 public:
  Auditor(const vectorpin_verifier* verifier, const AuditOptions& o) : opts_(o), progress_(o.progress, "audit") {
    vectorpin_error err;
    check(vectorpin_batch_new(&batch_.p, verifier, opts_.threads, &err), err,
          "starting the verification workers");
    check(vectorpin_expectations_new(&base_.p, &err), err, "expectations");
    check(vectorpin_expectations_new(&with_id_.p, &err), err, "expectations");
    for (vectorpin_expectations* e : {base_.p, with_id_.p}) {
      if (o.expect_model)
        check(vectorpin_expectations_set(e, VECTORPIN_EXPECT_MODEL, o.expect_model->data(), o.expect_model->size(), &err),
              err, "--expect-model");
      if (o.collection_id)
        check(vectorpin_expectations_set(e, VECTORPIN_EXPECT_COLLECTION_ID, o.collection_id->data(),
                                         o.collection_id->size(), &err),
              err, "--collection-id");
    }
    has_expectations_ = o.expect_model || o.collection_id;
    // Enough in flight to keep every worker busy while this thread reads on.
    max_in_flight_ = std::max<size_t>(256, size_t(vectorpin_batch_threads(batch_.p)) * 64);
  }

  void set_total(std::optional<uint64_t> total) { progress_.set_total(total); }

  void add(Record& r) {
    InFlight f{r.ordinal, r.line, std::move(r.id), false, After::kNothing, {}, {}};
    plan(r, f);
    fifo_.push_back(std::move(f));
    drain(false);
  }

  AuditSummary finish(double started) {
    drain(true);
    progress_.finish(summary_.total);
    for (const auto& [code, n] : by_error_) summary_.by_error.emplace_back(code, n);
    summary_.elapsed_seconds = monotonic_seconds() - started;
    return summary_;
  }

 private:
  void decide(InFlight& f, const char* code, std::string detail) {
    f.code = code;
    f.detail = std::move(detail);
  }

  // Chooses what to submit for a record, or decides it outright.
  void plan(Record& r, InFlight& f) {
    if (!r.unreadable.empty()) return decide(f, kRecordUnreadable, r.unreadable);
    if (!r.pin) return decide(f, kUnpinned, "record has no pin");
    if (!r.pin_problem.empty()) return decide(f, vectorpin_status_name(VECTORPIN_PARSE_ERROR), r.pin_problem);
    const std::string& pin = *r.pin;
    vectorpin_error err;

    RawVector& v = r.vector;
    if (v.kind == RawVector::kJsonText) {
      // JSON decimals are read in the pin's own element type; a pin that does
      // not parse fails here exactly as it would in the verifier.
      PinHandle parsed;
      vectorpin_status st = vectorpin_pin_parse(&parsed.p, pin.data(), pin.size(), &err);
      if (st != VECTORPIN_OK) return decide(f, vectorpin_status_name(st), err.message);
      bool f32 = vectorpin_pin_dtype(parsed.p) == VECTORPIN_DTYPE_F32;
      std::string problem;
      if (parse_number_array(v.text, f32, v.f32, v.f64, problem)) {
        v.kind = f32 ? RawVector::kF32 : RawVector::kF64;
      } else {
        v.kind = RawVector::kBad;
        v.problem = problem;
      }
      v.text.clear();
    }

    // Every check the record's data allows runs in the protocol's order; a
    // missing or unreadable part is reported only if everything before it
    // passed, so a forged pin is still called what it is.
    bool vector_ok = v.kind == RawVector::kF32 || v.kind == RawVector::kF64;
    bool source_ok = !opts_.use_source || r.source.has_value();
    const vectorpin_expectations* expect = has_expectations_ ? base_.p : nullptr;
    if (!vector_ok) {
      f.after = v.kind == RawVector::kNone ? After::kVectorMissing : After::kVectorUnreadable;
      f.detail = v.kind == RawVector::kNone ? "record has a pin but no vector" : v.problem;
      return submit(f, pin, nullptr, 0, v, false, nullptr);
    }
    if (!source_ok) {
      f.after = After::kSourceMissing;
      f.detail = "record has a pin but no source";
      return submit(f, pin, nullptr, 0, v, true, nullptr);
    }
    if (opts_.bind_record) {
      if (f.id) {
        check(vectorpin_expectations_set(with_id_.p, VECTORPIN_EXPECT_RECORD_ID, f.id->data(), f.id->size(), &err), err,
              "record id expectation");
        expect = with_id_.p;
      } else {
        f.after = After::kNoRecordId;
        f.detail = "record has no id, so its pin's vectorpin.record_id cannot match";
      }
    }
    const char* src = nullptr;
    size_t src_len = 0;
    if (opts_.use_source) {
      src = r.source->empty() ? "" : r.source->data();  // non-NULL: an empty source is still supplied
      src_len = r.source->size();
    }
    submit(f, pin, src, src_len, v, true, expect);
  }

  void submit(InFlight& f, const std::string& pin, const char* src, size_t src_len, const RawVector& v, bool with_vector,
              const vectorpin_expectations* expect) {
    vectorpin_error err;
    vectorpin_status st;
    static const float kNoF32 = 0;
    static const double kNoF64 = 0;
    if (with_vector && v.kind == RawVector::kF32)
      st = vectorpin_batch_submit_f32(batch_.p, f.ordinal, pin.data(), pin.size(), src, src_len,
                                      v.f32.empty() ? &kNoF32 : v.f32.data(), v.f32.size(), expect, &err);
    else if (with_vector)
      st = vectorpin_batch_submit_f64(batch_.p, f.ordinal, pin.data(), pin.size(), src, src_len,
                                      v.f64.empty() ? &kNoF64 : v.f64.data(), v.f64.size(), expect, &err);
    else
      st = vectorpin_batch_submit_f32(batch_.p, f.ordinal, pin.data(), pin.size(), src, src_len, nullptr, 0, expect,
                                      &err);
    check(st, err, "queueing a verification");
    f.submitted = true;
    ++submitted_;
  }

  // Emits finished records from the front, in order. With `all`, waits for
  // everything; otherwise only for as long as too much is in flight.
  void drain(bool all) {
    while (!fifo_.empty()) {
      InFlight& f = fifo_.front();
      if (f.submitted) {
        bool must_wait = all || submitted_ >= max_in_flight_;
        uint64_t cookie = 0;
        vectorpin_error res;
        vectorpin_status st = vectorpin_batch_next_result(batch_.p, &cookie, &res, must_wait ? 1 : 0);
        if (st == VECTORPIN_NOT_FOUND && !must_wait) return;
        if (st != VECTORPIN_OK) check(st, res, "collecting a verification result");
        if (cookie != f.ordinal) runtime_error("verification results came back out of order");
        --submitted_;
        resolve(f, static_cast<vectorpin_status>(res.code), res.message);
      }
      emit(f);
      fifo_.pop_front();
    }
  }

  void resolve(InFlight& f, vectorpin_status st, const char* message) {
    if (st != VECTORPIN_OK) {
      f.code = vectorpin_status_name(st);
      f.detail = message;
      return;
    }
    switch (f.after) {
      case After::kNothing: f.code.clear(); break;
      case After::kVectorMissing: f.code = kVectorMissing; break;
      case After::kVectorUnreadable: f.code = kVectorUnreadable; break;
      case After::kSourceMissing: f.code = kSourceMissing; break;
      case After::kNoRecordId: f.code = vectorpin_status_name(VECTORPIN_RECORD_MISMATCH); break;
    }
    if (f.code.empty()) f.detail.clear();
  }

  void emit(const InFlight& f) {
    ++summary_.total;
    bool report = false;
    if (f.code.empty()) {
      ++summary_.pinned;
      ++summary_.verified_ok;
    } else if (f.code == kUnpinned) {
      ++summary_.unpinned;
      report = opts_.fail_on_unpinned;
    } else {
      ++summary_.pinned;
      ++summary_.verification_failed;
      ++by_error_[f.code];
      report = true;
    }
    if (report) write_report(f);
    progress_.update(summary_.total);
  }

  void write_report(const InFlight& f) {
    std::string line = "{\"id\":";
    bool clipped = false;
    // The id is store data, possibly hostile: bounded, and escaped by json_quote.
    line += f.id ? json_quote(clip_utf8(*f.id, 1024, &clipped)) : "null";
    if (clipped) line += ",\"id_truncated\":true";
    if (f.line) line += ",\"line\":" + std::to_string(f.line);
    line += ",\"error\":" + json_quote(f.code) + ",\"detail\":" + json_quote(clip_utf8(f.detail, 512)) + "}\n";
    if (opts_.report_is_stderr) progress_.clear();
    if (std::fwrite(line.data(), 1, line.size(), opts_.report) != line.size())
      runtime_error("cannot write the report");
  }

  AuditOptions opts_;
  Progress progress_;
  BatchHandle batch_;
  ExpectationsHandle base_, with_id_;
  bool has_expectations_ = false;
  size_t max_in_flight_ = 256;
  size_t submitted_ = 0;
  std::deque<InFlight> fifo_;
  AuditSummary summary_;
  std::map<std::string, uint64_t> by_error_;
};

}  // namespace

AuditSummary run_audit(RecordReader& reader, const vectorpin_verifier* verifier, const AuditOptions& options) {
  double started = monotonic_seconds();
  Auditor auditor(verifier, options);
  if (options.progress) auditor.set_total(reader.count());
  RecordPipe pipe(reader);
  while (true) {
    std::vector<Record> batch = pipe.take();
    if (batch.empty()) break;
    for (Record& r : batch) auditor.add(r);
  }
  return auditor.finish(started);
}

}  // namespace cli::audit
