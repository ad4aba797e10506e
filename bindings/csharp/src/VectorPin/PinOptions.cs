using System;
using VectorPin.Native;

namespace VectorPin;

/// <summary>
/// Settings for signing; every one is optional. The setters return the same
/// object so they can be chained. Safe to share between threads: a setter
/// waits for signing calls that use the options to finish.
/// </summary>
public sealed unsafe class PinOptions : IDisposable
{
    internal readonly NativeObject Native;

    /// <summary>Creates empty options (protocol v2, the input's dtype, the time of signing).</summary>
    public PinOptions()
    {
        var handle = new PinOptionsHandle();
        nint raw = 0;
        NativeError err = default;
        var st = NativeMethods.vectorpin_pin_options_new(&raw, &err);
        err.ThrowIfFailed(st);
        handle.Adopt(raw);
        Native = new NativeObject(handle, typeof(PinOptions), mutable: true);
    }

    /// <summary>Protocol version to sign: 2 (default) or 1 (legacy).</summary>
    public PinOptions SetProtocol(int version)
    {
        using var o = Native.Write();
        NativeError err = default;
        err.ThrowIfFailed(NativeMethods.vectorpin_pin_options_set_protocol(o.Pointer, version, &err));
        return this;
    }

    /// <summary>The dtype the vector is hashed as; <see cref="VectorDType.Default"/> is the input's element type.</summary>
    public PinOptions SetDType(VectorDType dtype)
    {
        using var o = Native.Write();
        NativeError err = default;
        err.ThrowIfFailed(NativeMethods.vectorpin_pin_options_set_dtype(o.Pointer, dtype, &err));
        return this;
    }

    /// <summary>The model_hash field ("sha256:" + 64 hex digits).</summary>
    public PinOptions SetModelHash(string modelHash)
    {
        ArgumentNullException.ThrowIfNull(modelHash);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var text = Utf8Arg.From(modelHash, scratch);
        using var o = Native.Write();
        NativeError err = default;
        fixed (byte* p = text.Bytes)
            err.ThrowIfFailed(NativeMethods.vectorpin_pin_options_set_model_hash(o.Pointer, p, text.Length, &err));
        return this;
    }

    /// <summary>The pin's timestamp (YYYY-MM-DDTHH:MM:SSZ) instead of the time of signing.</summary>
    public PinOptions SetTimestamp(string timestamp)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var text = Utf8Arg.From(timestamp, scratch);
        using var o = Native.Write();
        NativeError err = default;
        fixed (byte* p = text.Bytes)
            err.ThrowIfFailed(NativeMethods.vectorpin_pin_options_set_timestamp(o.Pointer, p, text.Length, &err));
        return this;
    }

    /// <summary>Adds or replaces one extra entry (see <see cref="ReservedExtraKeys"/>).</summary>
    public PinOptions SetExtra(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> keyScratch = stackalloc byte[Utf8Arg.StackBytes];
        Span<byte> valueScratch = stackalloc byte[Utf8Arg.StackBytes];
        using var k = Utf8Arg.From(key, keyScratch);
        using var v = Utf8Arg.From(value, valueScratch);
        using var o = Native.Write();
        NativeError err = default;
        fixed (byte* pk = k.Bytes)
        fixed (byte* pv = v.Bytes)
            err.ThrowIfFailed(NativeMethods.vectorpin_pin_options_set_extra(o.Pointer, pk, k.Length, pv, v.Length, &err));
        return this;
    }

    /// <summary>Binds the pin to a record (extra "vectorpin.record_id").</summary>
    public PinOptions SetRecordId(string recordId) => SetExtra(ReservedExtraKeys.RecordId, recordId);

    /// <summary>Binds the pin to a collection (extra "vectorpin.collection_id").</summary>
    public PinOptions SetCollectionId(string collectionId) => SetExtra(ReservedExtraKeys.CollectionId, collectionId);

    /// <summary>Binds the pin to a tenant (extra "vectorpin.tenant_id").</summary>
    public PinOptions SetTenantId(string tenantId) => SetExtra(ReservedExtraKeys.TenantId, tenantId);

    /// <summary>Releases the native options; calling it again does nothing.</summary>
    public void Dispose() => Native.Dispose();
}
