// The audit loop. One reader thread walks the store (database cursors stay
// on the thread that opened them) and only copies bytes; `threads` workers
// each take a chunk of records, finish decoding it (JSONL lines, JSON
// numbers, blobs, PostgreSQL arrays) and verify it with the library's
// one-call batch on their own thread; this thread writes the results in
// store order. Reading, decoding and verifying overlap, and every core does
// the expensive part. What is in flight is bounded in bytes, not records, so
// hostile records cannot exhaust memory.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "audit.hpp"
#include "json_emit.hpp"

namespace cli::audit {
namespace {

// A chunk is verified by one call; the library groups a call's items by key.
constexpr size_t kChunkRecords = 64;
// Small records are gathered up to this many bytes per chunk.
constexpr size_t kChunkBytes = size_t(1) << 20;

// What is left to decide about a record once the library's verdict is in.
enum class After { kNothing, kVectorMissing, kVectorUnreadable, kSourceMissing, kNoRecordId };

// A record's verdict, all the writing thread needs to know about it.
struct Outcome {
  bool in_shard = true;
  uint64_t line = 0;
  std::optional<std::string> id;
  std::string code;  // "" = verified
  std::string detail;
  After after = After::kNothing;
  bool submitted = false;
};

// An empty batch item, versioned where the header versions them.
vectorpin_batch_item blank_item() {
#ifdef VECTORPIN_BATCH_ITEM_INIT
  vectorpin_batch_item item = VECTORPIN_BATCH_ITEM_INIT;
#else
  vectorpin_batch_item item{};
#endif
  return item;
}

struct Chunk {
  uint64_t seq = 0;
  size_t charge = 0;
  std::vector<Record> records;
  std::vector<Outcome> outcomes;
};

// Decodes and verifies chunks; one per worker thread.
class ChunkVerifier {
 public:
  ChunkVerifier(const RecordReader& reader, const vectorpin_verifier* verifier, const AuditOptions& o)
      : reader_(reader), verifier_(verifier), opts_(o) {
    if (o.expect_model || o.collection_id) base_ = new_expectations();
  }

  void run(Chunk& c) {
    const size_t n = c.records.size();
    c.outcomes.assign(n, Outcome{});
    items_.clear();
    item_of_.assign(n, SIZE_MAX);
    for (size_t i = 0; i < n; ++i) {
      Record& r = c.records[i];
      Outcome& f = c.outcomes[i];
      reader_.decode(r);
      f.line = r.line;
      f.id = std::move(r.id);
      if (opts_.shard && shard_of(f.id, opts_.shard->count) != opts_.shard->index) {
        f.in_shard = false;
        continue;
      }
      plan(r, f, i);
    }
    if (!items_.empty()) {
      results_.assign(items_.size(), vectorpin_error{});
      vectorpin_error err;
      check(vectorpin_verify_batch(verifier_, results_.data(), items_.data(), items_.size(), 1, &err), err,
            "verifying");
    }
    for (size_t i = 0; i < n; ++i) {
      if (item_of_[i] != SIZE_MAX) {
        const vectorpin_error& res = results_[item_of_[i]];
        resolve(c.outcomes[i], static_cast<vectorpin_status>(res.code), res.message);
      }
    }
    // The verdicts are all that is left to write; the data can go now.
    c.records.clear();
    c.records.shrink_to_fit();
  }

 private:
  static void decide(Outcome& f, const char* code, std::string detail) {
    f.code = code;
    f.detail = std::move(detail);
  }

  struct ExpectationsFree {
    void operator()(vectorpin_expectations* e) const { vectorpin_expectations_free(e); }
  };
  using Expectations = std::unique_ptr<vectorpin_expectations, ExpectationsFree>;

  // A handle with --expect-model and --collection-id set, if any is given.
  Expectations new_expectations() {
    vectorpin_error err;
    vectorpin_expectations* raw = nullptr;
    check(vectorpin_expectations_new(&raw, &err), err, "expectations");
    Expectations e(raw);
    if (opts_.expect_model)
      check(vectorpin_expectations_set(e.get(), VECTORPIN_EXPECT_MODEL, opts_.expect_model->data(),
                                       opts_.expect_model->size(), &err),
            err, "--expect-model");
    if (opts_.collection_id)
      check(vectorpin_expectations_set(e.get(), VECTORPIN_EXPECT_COLLECTION_ID, opts_.collection_id->data(),
                                       opts_.collection_id->size(), &err),
            err, "--collection-id");
    return e;
  }

  // The expectations of the next item: the shared handle, or with
  // --bind-record-id one per item slot (reused from chunk to chunk) that also
  // names the record's id.
  const vectorpin_expectations* expectations_for(const std::string& record_id) {
    if (!opts_.bind_record) return base_.get();
    size_t slot = items_.size();
    while (per_item_.size() <= slot) per_item_.push_back(new_expectations());
    vectorpin_error err;
    check(vectorpin_expectations_set(per_item_[slot].get(), VECTORPIN_EXPECT_RECORD_ID, record_id.data(),
                                     record_id.size(), &err),
          err, "record id expectation");
    return per_item_[slot].get();
  }

  // Chooses what to verify for a record, or decides it outright.
  void plan(Record& r, Outcome& f, size_t index) {
    if (r.too_large) return decide(f, kRecordTooLarge, r.unreadable);
    if (!r.unreadable.empty()) return decide(f, kRecordUnreadable, r.unreadable);
    if (!r.pin) return decide(f, kUnpinned, "record has no pin");
    if (!r.pin_problem.empty()) return decide(f, vectorpin_status_name(VECTORPIN_PARSE_ERROR), r.pin_problem);
    const std::string& pin = *r.pin;

    RawVector& v = r.vector;
    if (v.kind == RawVector::kJsonText) {
      // JSON decimals are read in the pin's own element type; a pin that does
      // not parse fails here exactly as it would in the verifier.
      PinHandle parsed;
      vectorpin_error err;
      vectorpin_status st = vectorpin_pin_parse(&parsed.p, pin.data(), pin.size(), &err);
      if (st != VECTORPIN_OK) return decide(f, vectorpin_status_name(st), err.message);
      std::string text = std::move(v.text);
      decode_json_vector(v, text, vectorpin_pin_dtype(parsed.p) == VECTORPIN_DTYPE_F32);
    }

    // Every check the record's data allows runs in the protocol's order; a
    // missing or unreadable part is reported only if everything before it
    // passed, so a forged pin is still called what it is.
    bool vector_ok = v.kind == RawVector::kF32 || v.kind == RawVector::kF64;
    bool source_ok = !opts_.use_source || r.source.has_value();
    vectorpin_batch_item item = blank_item();
    item.pin_json = pin.data();
    item.pin_json_len = pin.size();
    if (!vector_ok) {
      f.after = v.kind == RawVector::kNone ? After::kVectorMissing : After::kVectorUnreadable;
      f.detail = v.kind == RawVector::kNone ? "record has a pin but no vector" : v.problem;
      return add(item, f, index);
    }
    static const float kNoF32 = 0;
    static const double kNoF64 = 0;
    if (v.kind == RawVector::kF32) {
      item.vector = v.f32.empty() ? &kNoF32 : v.f32.data();
      item.dim = v.f32.size();
      item.vector_dtype = VECTORPIN_DTYPE_F32;
    } else {
      item.vector = v.f64.empty() ? &kNoF64 : v.f64.data();
      item.dim = v.f64.size();
      item.vector_dtype = VECTORPIN_DTYPE_F64;
    }
    if (!source_ok) {
      f.after = After::kSourceMissing;
      f.detail = "record has a pin but no source";
      return add(item, f, index);
    }
    if (opts_.bind_record && !f.id) {
      f.after = After::kNoRecordId;
      f.detail = "record has no id, so its pin's vectorpin.record_id cannot match";
      // Everything else is still checked; the missing id decides last.
      item.expectations = base_.get();
    } else {
      item.expectations = expectations_for(f.id ? *f.id : std::string());
    }
    if (opts_.use_source) {
      item.source = r.source->empty() ? "" : r.source->data();  // non-NULL: an empty source is still supplied
      item.source_len = r.source->size();
    }
    add(item, f, index);
  }

  void add(const vectorpin_batch_item& item, Outcome& f, size_t index) {
    item_of_[index] = items_.size();
    items_.push_back(item);
    f.submitted = true;
  }

  static void resolve(Outcome& f, vectorpin_status st, const char* message) {
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

  const RecordReader& reader_;
  const vectorpin_verifier* verifier_;
  const AuditOptions& opts_;
  Expectations base_;                     // model and collection; null when neither is given
  std::vector<Expectations> per_item_;    // --bind-record-id: one per item slot
  std::vector<vectorpin_batch_item> items_;
  std::vector<vectorpin_error> results_;
  std::vector<size_t> item_of_;
};

// The reader thread, the workers, and the hand-over between them.
class Pipeline {
 public:
  Pipeline(RecordReader& reader, const vectorpin_verifier* verifier, const AuditOptions& o)
      : reader_(reader), budget_(in_flight_budget(o.max_record_bytes)) {
    unsigned workers = std::max(1u, o.threads);
    // Enough chunks queued to keep every worker busy while results are written.
    max_chunks_ = 3 * size_t(workers) + 2;
    reader_thread_ = std::thread([this] { read_all(); });
    for (unsigned i = 0; i < workers; ++i)
      workers_.emplace_back([this, verifier, &o] { work(verifier, o); });
  }

  ~Pipeline() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    space_.notify_all();
    work_ready_.notify_all();
    reader_thread_.join();
    for (auto& t : workers_) t.join();
  }

  // The next chunk in store order, verified; false at the end. Rethrows the
  // first failure of the reader or a worker.
  bool next(Chunk& out) {
    std::unique_lock<std::mutex> lock(mu_);
    done_ready_.wait(lock, [&] { return error_ || done_.count(next_seq_) || (read_done_ && next_seq_ == pushed_); });
    if (error_) std::rethrow_exception(error_);
    auto it = done_.find(next_seq_);
    if (it == done_.end()) return false;
    out = std::move(it->second);
    done_.erase(it);
    ++next_seq_;
    return true;
  }

  // The writer is done with a chunk: its bytes leave the budget.
  void release(const Chunk& c) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      in_flight_ -= c.charge;
      --chunks_in_flight_;
    }
    space_.notify_all();
  }

 private:
  void fail(std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_) error_ = e;
    stop_ = true;
    done_ready_.notify_all();
    work_ready_.notify_all();
    space_.notify_all();
  }

  // Waits until `charge` more bytes fit (or nothing else is in flight, so
  // that one record larger than the budget still goes through alone).
  bool wait_for_room(std::unique_lock<std::mutex>& lock, size_t charge) {
    space_.wait(lock, [&] {
      return stop_ || chunks_in_flight_ == 0 ||
             (in_flight_ + charge <= budget_ && chunks_in_flight_ < max_chunks_);
    });
    return !stop_;
  }

  void read_all() {
    try {
      uint64_t seq = 0;
      Chunk chunk;
      auto push = [&] {
        std::unique_lock<std::mutex> lock(mu_);
        if (!wait_for_room(lock, chunk.charge)) return false;
        chunk.seq = seq++;
        in_flight_ += chunk.charge;
        ++chunks_in_flight_;
        ++pushed_;
        work_.push_back(std::move(chunk));
        chunk = Chunk();
        work_ready_.notify_one();
        return true;
      };
      while (true) {
        {
          // Nothing more is read while the budget is used up, so what is
          // held beyond it is at most the chunk being filled plus one record.
          std::unique_lock<std::mutex> lock(mu_);
          if (!wait_for_room(lock, chunk.charge)) return;
        }
        Record r;
        if (!reader_.next(r)) break;
        size_t charge = r.charge();
        if (!chunk.records.empty() && chunk.charge + charge > kChunkBytes && !push()) return;
        chunk.charge += charge;
        chunk.records.push_back(std::move(r));
        if ((chunk.records.size() >= kChunkRecords || chunk.charge >= kChunkBytes) && !push()) return;
      }
      if (!chunk.records.empty() && !push()) return;
      std::lock_guard<std::mutex> lock(mu_);
      read_done_ = true;
      done_ready_.notify_all();
      work_ready_.notify_all();
    } catch (...) {
      fail(std::current_exception());
    }
  }

  void work(const vectorpin_verifier* v, const AuditOptions& o) {
    try {
      ChunkVerifier verifier(reader_, v, o);
      while (true) {
        Chunk c;
        {
          std::unique_lock<std::mutex> lock(mu_);
          work_ready_.wait(lock, [&] { return stop_ || !work_.empty() || read_done_; });
          if (stop_ || work_.empty()) return;
          c = std::move(work_.front());
          work_.pop_front();
        }
        verifier.run(c);
        std::lock_guard<std::mutex> lock(mu_);
        uint64_t seq = c.seq;
        done_.emplace(seq, std::move(c));
        if (seq == next_seq_) done_ready_.notify_all();
      }
    } catch (...) {
      fail(std::current_exception());
    }
  }

  RecordReader& reader_;
  const size_t budget_;
  size_t max_chunks_ = 8;
  std::mutex mu_;
  std::condition_variable space_, work_ready_, done_ready_;
  std::deque<Chunk> work_;
  std::map<uint64_t, Chunk> done_;
  size_t in_flight_ = 0, chunks_in_flight_ = 0;
  uint64_t pushed_ = 0, next_seq_ = 0;
  bool read_done_ = false, stop_ = false;
  std::exception_ptr error_;
  std::thread reader_thread_;
  std::vector<std::thread> workers_;
};

class ResultWriter {
 public:
  explicit ResultWriter(const AuditOptions& o) : opts_(o), progress_(o.progress, "audit") {}

  void set_total(std::optional<uint64_t> total) { progress_.set_total(total); }

  void emit(const Outcome& f) {
    if (!f.in_shard) return;
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

  AuditSummary finish(double started) {
    progress_.finish(summary_.total);
    for (const auto& [code, n] : by_error_) summary_.by_error.emplace_back(code, n);
    summary_.elapsed_seconds = monotonic_seconds() - started;
    return summary_;
  }

 private:
  void write_report(const Outcome& f) {
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

  const AuditOptions& opts_;
  Progress progress_;
  AuditSummary summary_;
  std::map<std::string, uint64_t> by_error_;
};

}  // namespace

size_t Record::charge() const {
  size_t raw = raw_line.size() + vector.text.size() + (id ? id->size() : 0) + (pin ? pin->size() : 0) +
               (source ? source->size() : 0) + unreadable.size();
  // The decoded vector: at most 8 bytes an element, and never more elements
  // than the library accepts. A JSON text or line is also copied once while
  // it is taken apart.
  size_t decoded = std::min<size_t>(raw, size_t(VECTORPIN_MAX_VEC_DIM) * 8) +
                   (vector.f32.size() * 4 + vector.f64.size() * 8);
  size_t copies = raw_line.size() + vector.text.size();
  return raw + decoded + copies + sizeof(Record);
}

size_t in_flight_budget(size_t max_record_bytes) { return std::max(max_record_bytes, size_t(16) << 20); }

AuditSummary run_audit(RecordReader& reader, const vectorpin_verifier* verifier, const AuditOptions& options) {
  double started = monotonic_seconds();
  ResultWriter writer(options);
  // A shard's share of the store is known only once it has been read.
  if (options.progress && !options.shard) writer.set_total(reader.count());
  Pipeline pipeline(reader, verifier, options);
  Chunk c;
  while (pipeline.next(c)) {
    for (const Outcome& f : c.outcomes) writer.emit(f);
    pipeline.release(c);
  }
  return writer.finish(started);
}

}  // namespace cli::audit
