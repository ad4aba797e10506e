using System;
using System.Buffers;
using System.Collections.Generic;
using VectorPin.Native;

namespace VectorPin;

/// <summary>
/// One verification of <see cref="Verifier.VerifyBatch"/>: the inputs of
/// <see cref="Verifier.VerifyJson(ReadOnlySpan{byte}, ReadOnlySpan{float}, SourceText, Expectations?)"/>
/// kept until the batch runs. Immutable: each <c>With...</c> returns a new item.
/// </summary>
/// <remarks>
/// Byte and vector memory is read in place while the batch runs (pinned, not
/// copied); a string is transcoded to UTF-8 once. Without
/// <c>WithSource</c> the source is not checked, without <c>WithVector</c>
/// the vector is not checked. As in the one-at-a-time calls, an empty (or
/// null) array given to <c>WithVector</c> is a supplied, empty vector.
/// </remarks>
/// <example><code>
/// var item = new BatchItem(json).WithVector(embedding).WithSource(text);
/// </code></example>
public sealed class BatchItem
{
    private enum Kind : byte { None, Utf8, F32, F64 }

    private Kind _source;
    private ReadOnlyMemory<byte> _sourceUtf8;
    private Kind _vector;
    private ReadOnlyMemory<float> _f32;
    private ReadOnlyMemory<double> _f64;

    /// <summary>An item for pin JSON given as a string.</summary>
    public BatchItem(string pinJson)
    {
        ArgumentNullException.ThrowIfNull(pinJson);
        PinJson = Utf8Arg.ToArray(pinJson);
    }

    /// <summary>An item for pin JSON given as UTF-8 bytes (not copied).</summary>
    public BatchItem(ReadOnlyMemory<byte> utf8PinJson) => PinJson = utf8PinJson;

    /// <summary>The pin JSON as UTF-8.</summary>
    public ReadOnlyMemory<byte> PinJson { get; }

    /// <summary>What the pin must say beyond its signature; one instance may serve many items.</summary>
    public Expectations? Expectations { get; private set; }

    /// <summary>The source text to check; null: not checked.</summary>
    public BatchItem WithSource(string? source)
    {
        var copy = Copy();
        copy._source = source is null ? Kind.None : Kind.Utf8;
        copy._sourceUtf8 = source is null ? default : Utf8Arg.ToArray(source);
        return copy;
    }

    /// <summary>The source text to check, as UTF-8 bytes (empty: an empty source).</summary>
    public BatchItem WithSource(ReadOnlyMemory<byte> utf8Source)
    {
        var copy = Copy();
        copy._source = Kind.Utf8;
        copy._sourceUtf8 = utf8Source;
        return copy;
    }

    /// <summary>A float vector to check.</summary>
    public BatchItem WithVector(ReadOnlyMemory<float> vector)
    {
        var copy = Copy();
        copy._vector = Kind.F32;
        copy._f32 = vector;
        copy._f64 = default;
        return copy;
    }

    /// <summary>A double vector to check.</summary>
    public BatchItem WithVector(ReadOnlyMemory<double> vector)
    {
        var copy = Copy();
        copy._vector = Kind.F64;
        copy._f64 = vector;
        copy._f32 = default;
        return copy;
    }

    /// <summary>Expectations to check (null: none).</summary>
    public BatchItem WithExpectations(Expectations? expectations)
    {
        var copy = Copy();
        copy.Expectations = expectations;
        return copy;
    }

    private BatchItem Copy() => (BatchItem)MemberwiseClone();

    /// <summary>The source as UTF-8, or null when not checked.</summary>
    internal bool TryGetSource(out ReadOnlyMemory<byte> utf8)
    {
        utf8 = _sourceUtf8;
        return _source == Kind.Utf8;
    }

    internal bool HasF32 => _vector == Kind.F32;

    internal bool HasF64 => _vector == Kind.F64;

    internal ReadOnlyMemory<float> F32 => _f32;

    internal ReadOnlyMemory<double> F64 => _f64;
}

/// <summary>A result of a <see cref="VerificationBatch"/>: the caller's cookie and the outcome.</summary>
/// <param name="Cookie">The tag given to <c>Submit</c>.</param>
/// <param name="Result">The outcome, exactly as a one-at-a-time verification reports it.</param>
public readonly record struct BatchResult(ulong Cookie, VerificationResult Result);

public sealed unsafe partial class Verifier
{
    /// <summary>The largest thread count the batch functions accept.</summary>
    public static int MaxBatchThreads => (int)NativeMethods.vectorpin_batch_max_threads();

    /// <summary>
    /// Verifies every item on <paramref name="threads"/> native threads (0: one
    /// per core; 1: the calling thread only) and returns one result per item,
    /// in order, each the one <see cref="VerifyJson(ReadOnlySpan{byte}, SourceText, Expectations?)"/>
    /// would give.
    /// </summary>
    /// <remarks>
    /// The batch is all in memory; for a stream of items use
    /// <see cref="StartBatch"/>. Unlike a single verification, an item whose
    /// outcome is an error rather than a verification failure (e.g.
    /// OUT_OF_MEMORY) does not throw: it gets a result with that status, and
    /// the other items are still verified.
    /// </remarks>
    /// <exception cref="ArgumentException">An item is null.</exception>
    /// <exception cref="VectorPinException">INVALID_ARGUMENT: too many threads.</exception>
    public VerificationResult[] VerifyBatch(IReadOnlyList<BatchItem> items, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        int count = items.Count;
        var native = new NativeBatchItem[count];
        var outcomes = new NativeError[count];
        var pins = new List<MemoryHandle>();
        // Each distinct expectations object is leased once and released on
        // this thread, however many items share it.
        var expectations = new Dictionary<Expectations, nint>(ReferenceEqualityComparer.Instance);
        using var v = _native.Read();
        try
        {
            for (int i = 0; i < count; i++)
            {
                BatchItem item = items[i] ?? throw new ArgumentException($"item {i} is null", nameof(items));

                ref NativeBatchItem n = ref native[i];
                n.Version = NativeBatchItem.LayoutVersion;
                n.PinJson = PinBytes(item.PinJson, pins);
                n.PinJsonLength = (nuint)item.PinJson.Length;

                if (item.TryGetSource(out ReadOnlyMemory<byte> s))
                {
                    n.Source = PinBytes(s, pins);
                    n.SourceLength = (nuint)s.Length;
                }

                if (item.HasF32)
                {
                    n.Vector = PinElements(item.F32, pins);
                    n.Dimension = (nuint)item.F32.Length;
                    n.DType = (int)VectorDType.F32;
                }
                else if (item.HasF64)
                {
                    n.Vector = PinElements(item.F64, pins);
                    n.Dimension = (nuint)item.F64.Length;
                    n.DType = (int)VectorDType.F64;
                }

                if (item.Expectations is { } e)
                {
                    if (!expectations.TryGetValue(e, out nint pointer))
                    {
                        pointer = e.Native.AddRef(write: false);
                        expectations.Add(e, pointer);
                    }
                    n.Expectations = pointer;
                }
            }

            NativeError err = default;
            fixed (NativeBatchItem* pItems = native)
            fixed (NativeError* pResults = outcomes)
                err.ThrowIfFailed(NativeMethods.vectorpin_verify_batch(
                    v.Pointer, pResults, pItems, (nuint)count, (uint)threads, &err));
        }
        finally
        {
            foreach (var pin in pins) pin.Dispose();
            foreach (var leased in expectations.Keys) leased.Native.Release(write: false);
        }

        var results = new VerificationResult[count];
        for (int i = 0; i < count; i++)
            results[i] = ItemResult(ref outcomes[i]);
        return results;
    }

    /// <summary>
    /// Starts a streaming batch on <paramref name="threads"/> native worker
    /// threads (0: one per core). While it lives this verifier stays allocated
    /// (even if disposed) and its keys and settings cannot change.
    /// </summary>
    public VerificationBatch StartBatch(int threads = 0) => new(this, threads);

    internal static VerificationResult ItemResult(ref NativeError outcome)
    {
        var status = (VectorPinStatus)outcome.Code;
        return status == VectorPinStatus.Ok
            ? new VerificationResult(status, string.Empty, -1)
            : new VerificationResult(status, outcome.MessageText, outcome.Offset);
    }

    // A non-NULL address for empty inputs: NULL would mean "not supplied".
    private static byte* PinBytes(ReadOnlyMemory<byte> memory, List<MemoryHandle> pins)
    {
        if (memory.IsEmpty) return (byte*)VectorArg.EmptyElement;
        MemoryHandle handle = memory.Pin();
        pins.Add(handle);
        return (byte*)handle.Pointer;
    }

    private static void* PinElements<T>(ReadOnlyMemory<T> memory, List<MemoryHandle> pins) where T : unmanaged
    {
        if (memory.IsEmpty) return (void*)VectorArg.EmptyElement;
        MemoryHandle handle = memory.Pin();
        pins.Add(handle);
        return handle.Pointer;
    }
}

/// <summary>
/// A stream of verifications on a pool of native worker threads: submit
/// items one at a time, collect results in submission order, and keep as many
/// in flight as suits you (see <see cref="Pending"/>).
/// </summary>
/// <remarks>
/// Everything <c>Submit</c> is given is copied before it returns, so buffers
/// may be reused at once. Submitting, collecting and <see cref="Pending"/> may
/// run on different threads at once (a producer feeding while a consumer
/// collects). Results come back by polling; no callback runs on the native
/// threads. Disposing stops the workers and drops uncollected results.
/// </remarks>
/// <example><code>
/// using var batch = verifier.StartBatch();
/// for (ulong i = 0; i &lt; n; i++) batch.Submit(i, pins[i], vectors[i], sources[i]);
/// while (batch.WaitForResult(out var r)) Report(r.Cookie, r.Result);
/// </code></example>
public sealed unsafe class VerificationBatch : IDisposable
{
    private readonly NativeObject _native;

    /// <summary>Starts the workers; see <see cref="Verifier.StartBatch"/>.</summary>
    public VerificationBatch(Verifier verifier, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        var handle = new BatchHandle();
        nint v = verifier.Native.BeginBorrow();
        nint raw = 0;
        NativeError err = default;
        var st = NativeMethods.vectorpin_batch_new(&raw, v, (uint)threads, &err);
        if (st != VectorPinStatus.Ok)
        {
            verifier.Native.EndBorrow();
            err.ThrowIfFailed(st);
        }
        handle.Adopt(raw);
        handle.AttachVerifier(verifier.Native);
        _native = new NativeObject(handle, typeof(VerificationBatch), mutable: false);
    }

    /// <summary>The number of worker threads.</summary>
    public int Threads
    {
        get
        {
            using var b = _native.Read();
            return (int)NativeMethods.vectorpin_batch_threads(b.Pointer);
        }
    }

    /// <summary>Items submitted and not yet collected.</summary>
    public int Pending
    {
        get
        {
            using var b = _native.Read();
            return checked((int)NativeMethods.vectorpin_batch_pending(b.Pointer));
        }
    }

    /// <summary>Queues pin JSON for verification of its signature (and source and expectations when given).</summary>
    public void Submit(ulong cookie, string pinJson, SourceText source = default, Expectations? expectations = null)
    {
        ArgumentNullException.ThrowIfNull(pinJson);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var json = Utf8Arg.From(pinJson, scratch);
        SubmitCore(cookie, json.Bytes, source, default, expectations);
    }

    /// <summary>Queues pin JSON with a float vector.</summary>
    public void Submit(ulong cookie, string pinJson, ReadOnlySpan<float> vector, SourceText source = default, Expectations? expectations = null)
    {
        ArgumentNullException.ThrowIfNull(pinJson);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var json = Utf8Arg.From(pinJson, scratch);
        fixed (float* p = vector)
            SubmitCore(cookie, json.Bytes, source, Verifier.VectorArg.F32(p, vector.Length), expectations);
    }

    /// <summary>Queues pin JSON with a double vector.</summary>
    public void Submit(ulong cookie, string pinJson, ReadOnlySpan<double> vector, SourceText source = default, Expectations? expectations = null)
    {
        ArgumentNullException.ThrowIfNull(pinJson);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var json = Utf8Arg.From(pinJson, scratch);
        fixed (double* p = vector)
            SubmitCore(cookie, json.Bytes, source, Verifier.VectorArg.F64(p, vector.Length), expectations);
    }

    /// <summary>Queues pin JSON given as UTF-8 bytes.</summary>
    public void Submit(ulong cookie, ReadOnlySpan<byte> utf8PinJson, SourceText source = default, Expectations? expectations = null) =>
        SubmitCore(cookie, utf8PinJson, source, default, expectations);

    /// <summary>Queues pin JSON bytes with a float vector.</summary>
    public void Submit(ulong cookie, ReadOnlySpan<byte> utf8PinJson, ReadOnlySpan<float> vector, SourceText source = default, Expectations? expectations = null)
    {
        fixed (float* p = vector)
            SubmitCore(cookie, utf8PinJson, source, Verifier.VectorArg.F32(p, vector.Length), expectations);
    }

    /// <summary>Queues pin JSON bytes with a double vector.</summary>
    public void Submit(ulong cookie, ReadOnlySpan<byte> utf8PinJson, ReadOnlySpan<double> vector, SourceText source = default, Expectations? expectations = null)
    {
        fixed (double* p = vector)
            SubmitCore(cookie, utf8PinJson, source, Verifier.VectorArg.F64(p, vector.Length), expectations);
    }

    /// <summary>
    /// Collects the oldest item's result if it is ready; false when nothing is
    /// pending or the oldest is still being verified.
    /// </summary>
    public bool TryGetResult(out BatchResult result) => Next(wait: false, out result);

    /// <summary>
    /// Collects the oldest item's result, waiting for it if needed; false only
    /// when nothing is pending.
    /// </summary>
    public bool WaitForResult(out BatchResult result) => Next(wait: true, out result);

    /// <summary>Stops the workers and drops uncollected results; calling it again does nothing.</summary>
    public void Dispose() => _native.Dispose();

    private void SubmitCore(ulong cookie, ReadOnlySpan<byte> json, SourceText source, Verifier.VectorArg vector, Expectations? expectations)
    {
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var src = source.ToUtf8(scratch);
        using var b = _native.Read();
        using var e = expectations is null ? default : expectations.Native.Read();
        NativeError err = default;
        byte empty = 0;
        fixed (byte* j = json)
        fixed (byte* s = src.Bytes)
        {
            byte* sp = src.IsNull ? null : s == null ? &empty : s;
            byte* jp = j == null ? &empty : j;
            err.ThrowIfFailed(vector.IsDouble
                ? NativeMethods.vectorpin_batch_submit_f64(b.Pointer, cookie, jp, (nuint)json.Length, sp, src.Length,
                                                          vector.F64Pointer, vector.Length, e.Pointer, &err)
                : NativeMethods.vectorpin_batch_submit_f32(b.Pointer, cookie, jp, (nuint)json.Length, sp, src.Length,
                                                          vector.F32Pointer, vector.Length, e.Pointer, &err));
        }
    }

    private bool Next(bool wait, out BatchResult result)
    {
        using var b = _native.Read();
        ulong cookie = 0;
        NativeError outcome = default;
        NativeError err = default;
        var st = NativeMethods.vectorpin_batch_next_result(b.Pointer, &cookie, &outcome, wait ? 1 : 0, &err);
        if (st == VectorPinStatus.NotFound)
        {
            result = default;
            return false;
        }
        err.ThrowIfFailed(st);
        result = new BatchResult(cookie, Verifier.ItemResult(ref outcome));
        return true;
    }
}
