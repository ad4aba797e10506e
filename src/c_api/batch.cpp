// The C entry points for batch verification: one call over an array of
// items, and the streaming queue.
#include <algorithm>

#include "batch.hpp"
#include "c_api/support.hpp"
#include "hashing.hpp"

using vectorpin::Error;
using vectorpin::Status;
using namespace vectorpin::capi;

struct vectorpin_batch {
  vectorpin_batch(const vectorpin::Verifier& verifier, unsigned threads) : queue(verifier, threads) {}
  vectorpin::BatchQueue queue;
};

namespace {

static_assert(VECTORPIN_BATCH_MAX_THREADS == vectorpin::kMaxBatchThreads, "one thread limit");

// The size of each item layout the library knows, by version. The array is
// read with the stride of the version the caller compiled against.
size_t batch_item_size(uint32_t version) {
  switch (version) {
    case 1: return sizeof(vectorpin_batch_item);
    default: return 0;
  }
}

const vectorpin_batch_item& item_at(const vectorpin_batch_item* items, size_t stride, size_t i) {
  return *reinterpret_cast<const vectorpin_batch_item*>(reinterpret_cast<const unsigned char*>(items) + i * stride);
}

// One item of vectorpin_verify_batch, through the very function that backs
// vectorpin_verify_json_*, so both report the same for the same inputs.
// Runs on worker threads; nothing in it throws (verify_json is noexcept).
void verify_batch_item(const vectorpin_verifier* verifier, const vectorpin_batch_item& item, uint32_t version,
                       vectorpin_error* out) noexcept {
  if (item.version != version) {
    misuse(out, "batch item: every item must carry the version of the first");
  } else if (item.vector == nullptr) {
    verify_json(verifier, item.pin_json, item.pin_json_len, item.source, item.source_len,
                static_cast<const float*>(nullptr), item.dim, item.expectations, out);
  } else if (item.vector_dtype == VECTORPIN_DTYPE_F32) {
    verify_json(verifier, item.pin_json, item.pin_json_len, item.source, item.source_len,
                static_cast<const float*>(item.vector), item.dim, item.expectations, out);
  } else if (item.vector_dtype == VECTORPIN_DTYPE_F64) {
    verify_json(verifier, item.pin_json, item.pin_json_len, item.source, item.source_len,
                static_cast<const double*>(item.vector), item.dim, item.expectations, out);
  } else {
    misuse(out, "batch item: vector_dtype must be F32 or F64");
  }
}

// An item's vector for hashing ahead (see PrehashedVectors); none for an
// item that will be refused, or has no vector or an empty one.
vectorpin::VectorBytes vector_of(const vectorpin_batch_item& item, uint32_t version) {
  if (item.version != version || item.vector == nullptr || item.dim == 0 || item.dim > SIZE_MAX / 8) return {};
  if (item.vector_dtype == VECTORPIN_DTYPE_F32) return {item.vector, item.dim * 4, vectorpin::FloatLanes::F32};
  if (item.vector_dtype == VECTORPIN_DTYPE_F64) return {item.vector, item.dim * 8, vectorpin::FloatLanes::F64};
  return {};
}

// Items [first, first + block) on this thread (vectorpin::verify_block).
void verify_batch_block(const vectorpin_verifier* verifier, const vectorpin_batch_item* items, size_t stride,
                        uint32_t version, vectorpin_error* results, size_t first, size_t block,
                        size_t count) noexcept {
  const size_t n = first + block < count ? block : count - first;
  vectorpin::verify_block(
      n, [&](size_t i) { return vector_of(item_at(items, stride, first + i), version); },
      [&](size_t i) { verify_batch_item(verifier, item_at(items, stride, first + i), version, &results[first + i]); },
      [&](size_t i, std::string_view kid) {
        try {
          Error e;
          vectorpin::Verifier::signature_invalid(kid, e);
          report(&results[first + i], e);
        } catch (...) {
          report(&results[first + i], VECTORPIN_OUT_OF_MEMORY, "out of memory");
        }
      });
}

template <typename T>
Status batch_submit(vectorpin_batch* batch, uint64_t cookie, const char* pin_json, size_t pin_json_len,
                    const char* source, size_t source_len, const T* vector, size_t dim,
                    const vectorpin_expectations* expectations, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, batch);
  VP_ARG_SPAN(err, pin_json, pin_json_len);
  VP_ARG_SPAN(err, source, source_len);
  VP_ARG_SPAN(err, vector, dim);
  return guarded(err, [&](Error&) {
    batch->queue.submit(cookie, view(pin_json, pin_json_len), source, source_len, vector, dim,
                        expectations ? &expectations->impl : nullptr);
    return VECTORPIN_OK;
  });
}

}  // namespace

extern "C" {

uint32_t vectorpin_batch_max_threads(void) { return VECTORPIN_BATCH_MAX_THREADS; }

vectorpin_status vectorpin_verify_batch(const vectorpin_verifier* verifier, vectorpin_error* results,
                                        const vectorpin_batch_item* items, size_t count, uint32_t threads,
                                        vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, verifier);
  VP_ARG_SPAN(err, results, count);
  VP_ARG_SPAN(err, items, count);
  VP_ARG_CHECK(err, threads <= VECTORPIN_BATCH_MAX_THREADS, "more threads than VECTORPIN_BATCH_MAX_THREADS");
  const uint32_t version = count == 0 ? VECTORPIN_BATCH_ITEM_VERSION : items[0].version;
  const size_t stride = batch_item_size(version);
  VP_ARG_CHECK(err, stride != 0, "items[0].version is not a vectorpin_batch_item version this library knows");
  return guarded(err, [&](Error&) {
    // Items go out in blocks of an even number, at most kBlockItems, and
    // small enough that every thread asked for gets one.
    const size_t pairs = count / 2 + count % 2;
    const unsigned wanted = vectorpin::batch_thread_count(threads, pairs);
    const size_t per_thread_pairs = (pairs + wanted - 1) / wanted;
    const size_t block = std::min(vectorpin::kBlockItems, 2 * std::max<size_t>(per_thread_pairs, 1));
    const size_t blocks = (count + block - 1) / block;
    vectorpin::parallel_for(blocks, vectorpin::batch_thread_count(threads, blocks), [&](size_t b) {
      verify_batch_block(verifier, items, stride, version, results, b * block, block, count);
    });
    return VECTORPIN_OK;
  });
}

vectorpin_status vectorpin_batch_new(vectorpin_batch** out_batch, const vectorpin_verifier* verifier,
                                     uint32_t threads, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, out_batch);
  *out_batch = nullptr;
  VP_ARG_NOT_NULL(err, verifier);
  VP_ARG_CHECK(err, threads <= VECTORPIN_BATCH_MAX_THREADS, "more threads than VECTORPIN_BATCH_MAX_THREADS");
  return guarded(err, [&](Error&) {
    *out_batch = new vectorpin_batch(verifier->impl, vectorpin::batch_thread_count(threads, SIZE_MAX));
    return VECTORPIN_OK;
  });
}

void vectorpin_batch_free(vectorpin_batch* batch) { delete batch; }

vectorpin_status vectorpin_batch_submit_f32(vectorpin_batch* batch, uint64_t cookie, const char* pin_json,
                                            size_t pin_json_len, const char* source, size_t source_len,
                                            const float* vector, size_t dim,
                                            const vectorpin_expectations* expectations, vectorpin_error* err) {
  return batch_submit(batch, cookie, pin_json, pin_json_len, source, source_len, vector, dim, expectations, err);
}

vectorpin_status vectorpin_batch_submit_f64(vectorpin_batch* batch, uint64_t cookie, const char* pin_json,
                                            size_t pin_json_len, const char* source, size_t source_len,
                                            const double* vector, size_t dim,
                                            const vectorpin_expectations* expectations, vectorpin_error* err) {
  return batch_submit(batch, cookie, pin_json, pin_json_len, source, source_len, vector, dim, expectations, err);
}

vectorpin_status vectorpin_batch_next_result(vectorpin_batch* batch, uint64_t* out_cookie, vectorpin_error* out_result,
                                             int wait, vectorpin_error* err) {
  VP_ARG_NOT_NULL(err, batch);
  VP_ARG_NOT_NULL(err, out_result);
  return guarded(err, [&](Error& e) {
    Error result;
    uint64_t cookie = 0;
    if (!batch->queue.next(cookie, result, wait != 0)) return vectorpin::fail(e, VECTORPIN_NOT_FOUND, "no result ready");
    if (out_cookie != nullptr) *out_cookie = cookie;
    report(out_result, result);
    return VECTORPIN_OK;
  });
}

size_t vectorpin_batch_pending(const vectorpin_batch* batch) { return batch ? batch->queue.pending() : 0; }

uint32_t vectorpin_batch_threads(const vectorpin_batch* batch) { return batch ? batch->queue.threads() : 0; }

}  // extern "C"
