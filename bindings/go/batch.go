package vectorpin

/*
#include <stdlib.h>
#include <string.h>
#include <vectorpin.h>
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// BatchItem is one verification of Verifier.VerifyBatch: the pin JSON and
// what it is checked against, as for Verifier.VerifyJSON.
type BatchItem struct {
	PinJSON []byte
	Input   Input
}

// MaxBatchThreads is the largest thread count the batch functions accept.
const MaxBatchThreads = C.VECTORPIN_BATCH_MAX_THREADS

// VerifyBatch verifies every item on threads native threads (0: one per
// core; 1: only the calling thread) and returns one result per item, in
// order: nil or the same error VerifyJSON gives for that item alone. The
// second result is an error of the call itself (a closed verifier, too
// many threads), and then there are no per-item results.
//
// Unlike VerifyJSON, the batch copies its inputs once into native memory
// before the call: the C function takes an array of pointers, and Go's cgo
// rules (before runtime.Pinner, Go 1.21) do not let Go memory be referenced
// from memory handed to C. For very large batches of big vectors, the
// streaming Batch (which the library copies item by item anyway) keeps the
// footprint bounded.
func (v *Verifier) VerifyBatch(items []BatchItem, threads int) ([]error, error) {
	if threads < 0 || threads > MaxBatchThreads {
		return nil, misuse("thread count out of range")
	}
	// Size the arena first: one allocation for every item's bytes.
	total := uintptr(0)
	for i := range items {
		in := &items[i].Input
		if in.Vector != nil && in.VectorFloat64 != nil {
			return nil, misuse("a BatchItem's Input has both Vector and VectorFloat64")
		}
		total += uintptr(len(items[i].PinJSON))
		if in.Source != nil {
			total += uintptr(len(*in.Source))
		}
		total += uintptr(len(in.Vector))*4 + uintptr(len(in.VectorFloat64))*8 + 8 // + alignment slack
	}
	exps := make([]*C.vectorpin_expectations, len(items))
	defer func() {
		for _, e := range exps {
			C.vectorpin_expectations_free(e)
		}
	}()
	for i := range items {
		e, err := items[i].Input.Expect.toC()
		if err != nil {
			return nil, err
		}
		exps[i] = e
	}

	n := len(items)
	itemSize := unsafe.Sizeof(C.vectorpin_batch_item{})
	resSize := unsafe.Sizeof(C.vectorpin_error{})
	// C memory throughout: the item array holds pointers, so neither it nor
	// what it points to may be Go memory.
	block := C.calloc(C.size_t(n*int(itemSize)+n*int(resSize)+int(total)+1), 1)
	if block == nil {
		return nil, &Error{Status: StatusOutOfMemory, Offset: -1, Message: "batch buffers"}
	}
	defer C.free(block)
	cItems := unsafe.Slice((*C.vectorpin_batch_item)(block), n)
	results := unsafe.Slice((*C.vectorpin_error)(unsafe.Add(block, n*int(itemSize))), n)
	arena := unsafe.Add(block, n*int(itemSize)+n*int(resSize))
	used := uintptr(0)
	put := func(src unsafe.Pointer, size uintptr, align uintptr) unsafe.Pointer {
		for (uintptr(arena)+used)%align != 0 {
			used++
		}
		dst := unsafe.Add(arena, used)
		if size > 0 {
			C.memcpy(dst, src, C.size_t(size))
		}
		used += size
		return dst
	}
	for i := range items {
		it := &items[i]
		ci := &cItems[i]
		ci.version = C.VECTORPIN_BATCH_ITEM_VERSION
		if len(it.PinJSON) > 0 {
			ci.pin_json = (*C.char)(put(unsafe.Pointer(&it.PinJSON[0]), uintptr(len(it.PinJSON)), 1))
		} else {
			ci.pin_json = (*C.char)(put(nil, 0, 1))
		}
		ci.pin_json_len = C.size_t(len(it.PinJSON))
		if s := it.Input.Source; s != nil {
			p, sn := cText(*s)
			ci.source = (*C.char)(put(unsafe.Pointer(p), uintptr(sn), 1))
			ci.source_len = sn
		}
		switch {
		case it.Input.VectorFloat64 != nil:
			p, vn := cF64(it.Input.VectorFloat64)
			ci.vector = put(unsafe.Pointer(p), uintptr(vn)*8, 8)
			ci.dim = vn
			ci.vector_dtype = C.VECTORPIN_DTYPE_F64
		case it.Input.Vector != nil:
			p, vn := cF32(it.Input.Vector)
			ci.vector = put(unsafe.Pointer(p), uintptr(vn)*4, 4)
			ci.dim = vn
			ci.vector_dtype = C.VECTORPIN_DTYPE_F32
		}
		ci.expectations = exps[i]
	}

	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.ptr == nil {
		return nil, closedError("Verifier")
	}
	var e C.vectorpin_error
	var first *C.vectorpin_error
	var firstItem *C.vectorpin_batch_item
	if n > 0 {
		first, firstItem = &results[0], &cItems[0]
	}
	if err := fromC(C.vectorpin_verify_batch(v.ptr, first, firstItem, C.size_t(n), C.uint32_t(threads), &e), &e); err != nil {
		return nil, err
	}
	out := make([]error, n)
	for i := range results {
		out[i] = fromC(C.vectorpin_status(results[i].code), &results[i])
	}
	return out, nil
}

// Batch verifies a stream of pins on a pool of native worker threads: Submit
// items, collect their results in submission order with Next. A producer
// and a consumer goroutine may use it at once. While a Batch is open, its
// Verifier refuses AddKey, LoadRegistry, SetLegacyV1 and Close (the workers
// share it); Close the Batch first.
type Batch struct {
	mu  sync.RWMutex // Submit/Next/Pending hold it shared, Close exclusively
	ptr *C.vectorpin_batch
	ver *Verifier
}

// BatchResult is the outcome of one submitted item.
type BatchResult struct {
	// Cookie is the caller's tag given to Submit.
	Cookie uint64
	// Err is nil or the error VerifyJSON gives for the item.
	Err error
}

// NewBatch starts threads worker threads (0: one per core, at most
// MaxBatchThreads) verifying with v.
func (v *Verifier) NewBatch(threads int) (*Batch, error) {
	if threads < 0 || threads > MaxBatchThreads {
		return nil, misuse("thread count out of range")
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.ptr == nil {
		return nil, closedError("Verifier")
	}
	var out *C.vectorpin_batch
	var e C.vectorpin_error
	if err := fromC(C.vectorpin_batch_new(&out, v.ptr, C.uint32_t(threads), &e), &e); err != nil {
		return nil, err
	}
	v.batches++
	b := &Batch{ptr: out, ver: v}
	runtime.SetFinalizer(b, (*Batch).Close)
	return b, nil
}

// Close stops the workers and drops results not yet collected. Closing
// again is harmless.
func (b *Batch) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ptr == nil {
		return nil
	}
	C.vectorpin_batch_free(b.ptr)
	b.ptr = nil
	runtime.SetFinalizer(b, nil)
	b.ver.mu.Lock()
	b.ver.batches--
	b.ver.mu.Unlock()
	return nil
}

// Threads is the number of worker threads (0 once closed).
func (b *Batch) Threads() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return int(C.vectorpin_batch_threads(b.ptr))
}

// Pending is the number of items submitted and not yet collected.
func (b *Batch) Pending() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return int(C.vectorpin_batch_pending(b.ptr))
}

// Submit queues one verification with the inputs of VerifyJSON. The library
// copies everything before Submit returns, so the caller may reuse its
// buffers at once. It never waits for the workers: bound the number in
// flight with Pending.
func (b *Batch) Submit(cookie uint64, pinJSON []byte, in Input) error {
	if in.Vector != nil && in.VectorFloat64 != nil {
		return misuse("Input has both Vector and VectorFloat64")
	}
	exp, err := in.Expect.toC()
	if err != nil {
		return err
	}
	defer C.vectorpin_expectations_free(exp)
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.ptr == nil {
		return closedError("Batch")
	}
	var sp *C.char
	var sn C.size_t
	if in.Source != nil {
		sp, sn = cText(*in.Source)
	}
	jp, jn := cBytesAsText(pinJSON)
	var e C.vectorpin_error
	var st C.vectorpin_status
	if in.VectorFloat64 != nil {
		vp, vn := cF64(in.VectorFloat64)
		st = C.vectorpin_batch_submit_f64(b.ptr, C.uint64_t(cookie), jp, jn, sp, sn, vp, vn, exp, &e)
	} else {
		vp, vn := cF32(in.Vector)
		st = C.vectorpin_batch_submit_f32(b.ptr, C.uint64_t(cookie), jp, jn, sp, sn, vp, vn, exp, &e)
	}
	return fromC(st, &e)
}

// Next collects the oldest submitted item's result. With wait it blocks
// until that item is verified; without, ok is false if it is not done yet.
// ok is also false when nothing is pending. err is an error of the call
// (a closed Batch), never an item's outcome, which is in the result.
func (b *Batch) Next(wait bool) (res BatchResult, ok bool, err error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.ptr == nil {
		return BatchResult{}, false, closedError("Batch")
	}
	var cookie C.uint64_t
	var r, e C.vectorpin_error
	w := C.int(0)
	if wait {
		w = 1
	}
	switch st := C.vectorpin_batch_next_result(b.ptr, &cookie, &r, w, &e); st {
	case C.VECTORPIN_OK:
		return BatchResult{Cookie: uint64(cookie), Err: fromC(C.vectorpin_status(r.code), &r)}, true, nil
	case C.VECTORPIN_NOT_FOUND:
		return BatchResult{}, false, nil
	default:
		return BatchResult{}, false, fromC(st, &e)
	}
}
