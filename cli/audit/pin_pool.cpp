// Parallel signing for `pin-store`: a signer may be used from many threads at
// once; option builders may not, so every thread has its own.
#include <atomic>
#include <thread>

#include "audit.hpp"

namespace cli::audit {

struct PinPool::Impl {
  PinJob job;
};

namespace {

bool build_options(const PinJob& job, OptionsHandle& opts, std::string& problem) {
  vectorpin_error err;
  auto ok = [&](vectorpin_status st, const char* what) {
    if (st == VECTORPIN_OK) return true;
    problem = std::string(what) + ": " + vectorpin_status_name(st) + ": " + err.message;
    return false;
  };
  if (!ok(vectorpin_pin_options_new(&opts.p, &err), "options")) return false;
  if (!ok(vectorpin_pin_options_set_protocol(opts.p, job.protocol, &err), "protocol")) return false;
  if (job.model_hash &&
      !ok(vectorpin_pin_options_set_model_hash(opts.p, job.model_hash->data(), job.model_hash->size(), &err),
          "--model-hash"))
    return false;
  if (job.timestamp &&
      !ok(vectorpin_pin_options_set_timestamp(opts.p, job.timestamp->data(), job.timestamp->size(), &err), "--timestamp"))
    return false;
  for (const auto& [k, v] : job.extra)
    if (!ok(vectorpin_pin_options_set_extra(opts.p, k.data(), k.size(), v.data(), v.size(), &err), "--extra"))
      return false;
  if (job.collection_id) {
    static const std::string key = "vectorpin.collection_id";
    if (!ok(vectorpin_pin_options_set_extra(opts.p, key.data(), key.size(), job.collection_id->data(),
                                            job.collection_id->size(), &err),
            "collection id"))
      return false;
  }
  return true;
}

void sign_row(const PinJob& job, vectorpin_pin_options* opts, PinRow& row) {
  vectorpin_error err;
  if (row.vector.kind == RawVector::kNone) {
    row.problem = "vector is NULL";
    return;
  }
  if (row.vector.kind == RawVector::kBad) {
    row.problem = row.vector.problem;
    return;
  }
  if (row.vector.kind == RawVector::kJsonText) {
    decode_json_vector(row.vector, row.vector.text, job.json_dtype == VECTORPIN_DTYPE_F32);
    if (row.vector.kind == RawVector::kBad) {
      row.problem = row.vector.problem;
      return;
    }
  }
  if (job.bind_record) {
    static const std::string key = "vectorpin.record_id";
    vectorpin_status st = vectorpin_pin_options_set_extra(opts, key.data(), key.size(), row.id.data(), row.id.size(), &err);
    if (st != VECTORPIN_OK) {
      row.problem = std::string("record id: ") + err.message;
      return;
    }
  }
  // A record signed without its source gets the empty source (see --no-source).
  const std::string empty;
  const std::string& src = row.source ? *row.source : empty;
  const char* src_ptr = src.empty() ? "" : src.data();
  PinHandle pin;
  vectorpin_status st;
  if (row.vector.kind == RawVector::kF32)
    st = vectorpin_signer_pin_f32(job.signer, &pin.p, src_ptr, src.size(), job.model.data(), job.model.size(),
                                  row.vector.f32.data(), row.vector.f32.size(), opts, &err);
  else
    st = vectorpin_signer_pin_f64(job.signer, &pin.p, src_ptr, src.size(), job.model.data(), job.model.size(),
                                  row.vector.f64.data(), row.vector.f64.size(), opts, &err);
  if (st != VECTORPIN_OK) {
    row.problem = std::string(vectorpin_status_name(st)) + ": " + err.message;
    return;
  }
  LibString json;
  st = vectorpin_pin_to_json(pin.p, &json.p, &json.n, &err);
  if (st != VECTORPIN_OK) {
    row.problem = std::string("writing the pin: ") + err.message;
    return;
  }
  row.pin_json = json.str();
}

}  // namespace

PinPool::PinPool(const PinJob& job) : impl_(std::make_unique<Impl>()) {
  impl_->job = job;
  // Settings the library refuses (a malformed --model-hash, a model name
  // with control characters, ...) are the caller's mistake, not a row's:
  // some are only checked when a pin is made, so one pin is made here from
  // neutral data, before any row is read, and its failure is a usage error.
  OptionsHandle opts;
  std::string problem;
  if (!build_options(job, opts, problem)) usage_error(problem);
  PinRow probe;
  probe.id = "0";
  probe.vector.kind = RawVector::kF32;
  probe.vector.f32 = {0.0f};
  probe.source = std::string();
  sign_row(job, opts.p, probe);
  if (!probe.problem.empty()) usage_error(probe.problem);
}
PinPool::~PinPool() = default;

void PinPool::sign(std::vector<PinRow>& rows) {
  const PinJob& job = impl_->job;
  std::atomic<size_t> next{0};
  auto work = [&] {
    OptionsHandle opts;
    std::string problem;
    bool ok = build_options(job, opts, problem);
    for (size_t i; (i = next.fetch_add(1)) < rows.size();) {
      PinRow& row = rows[i];
      row.pin_json.clear();
      row.problem.clear();
      if (!ok) {
        row.problem = problem;
        continue;
      }
      sign_row(job, opts.p, row);
    }
  };
  unsigned n = std::max(1u, std::min<unsigned>(job.threads, static_cast<unsigned>((rows.size() + 63) / 64)));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

}  // namespace cli::audit
