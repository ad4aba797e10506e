using System;
using VectorPin.Native;

namespace VectorPin;

/// <summary>
/// What a verification expects of a pin beyond its signature: the model and
/// the reserved record, collection and tenant ids. Safe to share between
/// threads: a setter waits for verifications that use it to finish.
/// </summary>
public sealed unsafe class Expectations : IDisposable
{
    internal readonly NativeObject Native;

    /// <summary>Creates an empty set of expectations.</summary>
    public Expectations()
    {
        var handle = new ExpectationsHandle();
        nint raw = 0;
        NativeError err = default;
        var st = NativeMethods.vectorpin_expectations_new(&raw, &err);
        err.ThrowIfFailed(st);
        handle.Adopt(raw);
        Native = new NativeObject(handle, typeof(Expectations), mutable: true);
    }

    /// <summary>Sets one expectation, replacing an earlier value.</summary>
    public Expectations Set(ExpectationKind kind, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var text = Utf8Arg.From(value, scratch);
        using var e = Native.Write();
        NativeError err = default;
        fixed (byte* p = text.Bytes)
            err.ThrowIfFailed(NativeMethods.vectorpin_expectations_set(e.Pointer, kind, p, text.Length, &err));
        return this;
    }

    /// <summary>The pin's model must equal <paramref name="model"/> (MODEL_MISMATCH otherwise).</summary>
    public Expectations SetModel(string model) => Set(ExpectationKind.Model, model);

    /// <summary>extra "vectorpin.record_id" must equal the value (RECORD_MISMATCH otherwise).</summary>
    public Expectations SetRecordId(string recordId) => Set(ExpectationKind.RecordId, recordId);

    /// <summary>extra "vectorpin.collection_id" must equal the value (COLLECTION_MISMATCH otherwise).</summary>
    public Expectations SetCollectionId(string collectionId) => Set(ExpectationKind.CollectionId, collectionId);

    /// <summary>extra "vectorpin.tenant_id" must equal the value (TENANT_MISMATCH otherwise).</summary>
    public Expectations SetTenantId(string tenantId) => Set(ExpectationKind.TenantId, tenantId);

    /// <summary>Releases the native object; calling it again does nothing.</summary>
    public void Dispose() => Native.Dispose();
}
