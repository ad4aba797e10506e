using System;
using VectorPin.Native;

namespace VectorPin;

/// <summary>
/// The outcome of a verification: <see cref="VectorPinStatus.Ok"/> or the
/// first failed check, with the library's detail.
/// </summary>
/// <remarks>
/// A plain value: it holds no native memory, so there is nothing to dispose.
/// </remarks>
public sealed class VerificationResult
{
    internal VerificationResult(VectorPinStatus status, string detail, long offset)
    {
        Status = status;
        Detail = detail;
        Offset = offset < 0 ? null : offset;
    }

    /// <summary>Ok, or the protocol's name of the first failed check.</summary>
    public VectorPinStatus Status { get; }

    /// <summary>True when every check passed.</summary>
    public bool IsValid => Status == VectorPinStatus.Ok;

    /// <summary>The stable upper-case name of <see cref="Status"/> ("OK", "SIGNATURE_INVALID", ...).</summary>
    public string StatusName => VectorPinLibrary.StatusName(Status);

    /// <summary>The library's explanation (empty on success).</summary>
    public string Detail { get; }

    /// <summary>Byte offset in the pin JSON of a parse error, when one applies.</summary>
    public long? Offset { get; }

    /// <summary>Throws a <see cref="VectorPinException"/> carrying the status unless the pin verified.</summary>
    public void ThrowIfInvalid()
    {
        if (!IsValid)
            throw new VectorPinException(Status, Detail, Offset ?? -1);
    }

    /// <inheritdoc/>
    public override string ToString() => string.IsNullOrEmpty(Detail) ? StatusName : StatusName + ": " + Detail;
}

/// <summary>
/// A registry of public keys that verifies pins. Any number of threads may
/// verify at once; adding keys or changing the legacy setting waits for
/// running verifications and blocks new ones meanwhile.
/// </summary>
/// <remarks>
/// Verification outcomes (the protocol's codes 1..12) are returned as a
/// <see cref="VerificationResult"/>; a <see cref="VectorPinException"/> is
/// thrown only for errors of the program or environment (codes 100 and up).
/// Overloads without a vector do not check the vector; a
/// <see cref="SourceText.None"/> source is not checked either.
/// </remarks>
public sealed unsafe partial class Verifier : IDisposable
{
    private readonly NativeObject _native;

    internal NativeObject Native => _native;

    /// <summary>An empty registry that accepts protocol v2 pins only.</summary>
    public Verifier()
    {
        var handle = new VerifierHandle();
        nint raw = 0;
        NativeError err = default;
        err.ThrowIfFailed(NativeMethods.vectorpin_verifier_new(&raw, &err));
        handle.Adopt(raw);
        _native = new NativeObject(handle, typeof(Verifier), mutable: true);
    }

    /// <summary>
    /// Registers a 32-byte public key under <paramref name="keyId"/>, valid for
    /// pins whose ts is in [<paramref name="validFrom"/>, <paramref name="validUntil"/>)
    /// (null: unbounded). Weak keys give INVALID_KEY, a known kid DUPLICATE_KEY_ID.
    /// </summary>
    public void AddKey(string keyId, ReadOnlySpan<byte> publicKey, string? validFrom = null, string? validUntil = null)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        Span<byte> kidScratch = stackalloc byte[Utf8Arg.StackBytes];
        Span<byte> fromScratch = stackalloc byte[64];
        Span<byte> untilScratch = stackalloc byte[64];
        using var kid = Utf8Arg.From(keyId, kidScratch);
        using var from = Utf8Arg.From(validFrom, fromScratch);
        using var until = Utf8Arg.From(validUntil, untilScratch);
        using var v = _native.Write();
        NativeError err = default;
        byte nonEmpty = 0;
        fixed (byte* k = kid.Bytes)
        fixed (byte* pk = publicKey)
        fixed (byte* f = from.Bytes)
        fixed (byte* u = until.Bytes)
        {
            // NULL means "unbounded"; an empty string must reach the library as
            // a (refused) bound, so it gets a non-NULL pointer.
            byte* fp = from.IsNull ? null : f == null ? &nonEmpty : f;
            byte* up = until.IsNull ? null : u == null ? &nonEmpty : u;
            err.ThrowIfFailed(NativeMethods.vectorpin_verifier_add_key(
                v.Pointer, k, kid.Length, pk, (nuint)publicKey.Length, fp, from.Length, up, until.Length, &err));
        }
    }

    /// <summary>Registers a public key given as base64url or PEM text.</summary>
    public void AddKey(string keyId, string publicKey, string? validFrom = null, string? validUntil = null) =>
        AddKey(keyId, PublicKeys.Decode(publicKey), validFrom, validUntil);

    /// <summary>
    /// Adds every key of a registry document
    /// <c>{"kid": {"public_key": "...", "valid_from": ts|null, "valid_until": ts|null}, ...}</c>;
    /// all or nothing.
    /// </summary>
    public void LoadRegistry(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var utf8 = Utf8Arg.From(json, scratch);
        LoadRegistry(utf8.Bytes);
    }

    /// <summary>Adds every key of a registry document given as UTF-8 bytes.</summary>
    public void LoadRegistry(ReadOnlySpan<byte> utf8Json)
    {
        using var v = _native.Write();
        NativeError err = default;
        fixed (byte* p = utf8Json)
            err.ThrowIfFailed(NativeMethods.vectorpin_verifier_load_registry(v.Pointer, p, (nuint)utf8Json.Length, &err));
    }

    /// <summary>Accepts legacy protocol v1 pins too (off by default).</summary>
    public void AllowLegacyV1(bool enabled = true)
    {
        using var v = _native.Write();
        NativeError err = default;
        err.ThrowIfFailed(NativeMethods.vectorpin_verifier_set_legacy_v1(v.Pointer, enabled ? 1 : 0, &err));
    }

    /// <summary>Number of registered keys.</summary>
    public int KeyCount
    {
        get
        {
            using var v = _native.Read();
            return checked((int)NativeMethods.vectorpin_verifier_key_count(v.Pointer));
        }
    }

    /// <summary>
    /// How many of this verifier's keys may get a table that makes their later
    /// verifications several times faster (<see cref="VectorPinLibrary.PreparedKeyBytes"/>
    /// each, built on a key's first use, kept until the verifier is disposed).
    /// Keys past the limit verify without one, with the same answers, more slowly.
    /// The default is <see cref="VectorPinLibrary.DefaultPreparedKeyLimit"/>; 0
    /// prepares none. A limit applies to tables built afterwards: lowering it
    /// frees nothing. It may be set while other threads verify.
    /// </summary>
    public long PreparedKeyLimit
    {
        get
        {
            using var v = _native.Read();
            return checked((long)NativeMethods.vectorpin_verifier_prepared_key_limit(v.Pointer));
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            using var v = _native.Read();
            NativeError err = default;
            err.ThrowIfFailed(NativeMethods.vectorpin_verifier_set_prepared_key_limit(v.Pointer, checked((nuint)value), &err));
        }
    }

    /// <summary>Number of keys prepared so far.</summary>
    public long PreparedKeyCount
    {
        get
        {
            using var v = _native.Read();
            return checked((long)NativeMethods.vectorpin_verifier_prepared_key_count(v.Pointer));
        }
    }

    // ---- verifying a parsed pin ----------------------------------------------

    /// <summary>Checks the signature, and the source and expectations when given.</summary>
    public VerificationResult Verify(Pin pin, SourceText source = default, Expectations? expectations = null) =>
        VerifyPin(pin, source, VectorArg.None, expectations);

    /// <summary>Checks the signature and the float vector (read in place), and the source and expectations when given.</summary>
    public VerificationResult Verify(Pin pin, ReadOnlySpan<float> vector, SourceText source = default, Expectations? expectations = null)
    {
        fixed (float* p = vector)
            return VerifyPin(pin, source, VectorArg.F32(p, vector.Length), expectations);
    }

    /// <summary>Checks the signature and the double vector (read in place), and the source and expectations when given.</summary>
    public VerificationResult Verify(Pin pin, ReadOnlySpan<double> vector, SourceText source = default, Expectations? expectations = null)
    {
        fixed (double* p = vector)
            return VerifyPin(pin, source, VectorArg.F64(p, vector.Length), expectations);
    }

    // ---- verifying pin JSON ----------------------------------------------------

    /// <summary>Parses and verifies pin JSON; parse errors are outcomes too.</summary>
    public VerificationResult VerifyJson(string pinJson, SourceText source = default, Expectations? expectations = null)
    {
        ArgumentNullException.ThrowIfNull(pinJson);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var json = Utf8Arg.From(pinJson, scratch);
        return VerifyJsonCore(json.Bytes, source, VectorArg.None, expectations);
    }

    /// <summary>Parses and verifies pin JSON with a float vector.</summary>
    public VerificationResult VerifyJson(string pinJson, ReadOnlySpan<float> vector, SourceText source = default, Expectations? expectations = null)
    {
        ArgumentNullException.ThrowIfNull(pinJson);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var json = Utf8Arg.From(pinJson, scratch);
        fixed (float* p = vector)
            return VerifyJsonCore(json.Bytes, source, VectorArg.F32(p, vector.Length), expectations);
    }

    /// <summary>Parses and verifies pin JSON with a double vector.</summary>
    public VerificationResult VerifyJson(string pinJson, ReadOnlySpan<double> vector, SourceText source = default, Expectations? expectations = null)
    {
        ArgumentNullException.ThrowIfNull(pinJson);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var json = Utf8Arg.From(pinJson, scratch);
        fixed (double* p = vector)
            return VerifyJsonCore(json.Bytes, source, VectorArg.F64(p, vector.Length), expectations);
    }

    /// <summary>Parses and verifies pin JSON given as UTF-8 bytes.</summary>
    public VerificationResult VerifyJson(ReadOnlySpan<byte> utf8PinJson, SourceText source = default, Expectations? expectations = null) =>
        VerifyJsonCore(utf8PinJson, source, VectorArg.None, expectations);

    /// <summary>Parses and verifies pin JSON bytes with a float vector.</summary>
    public VerificationResult VerifyJson(ReadOnlySpan<byte> utf8PinJson, ReadOnlySpan<float> vector, SourceText source = default, Expectations? expectations = null)
    {
        fixed (float* p = vector)
            return VerifyJsonCore(utf8PinJson, source, VectorArg.F32(p, vector.Length), expectations);
    }

    /// <summary>Parses and verifies pin JSON bytes with a double vector.</summary>
    public VerificationResult VerifyJson(ReadOnlySpan<byte> utf8PinJson, ReadOnlySpan<double> vector, SourceText source = default, Expectations? expectations = null)
    {
        fixed (double* p = vector)
            return VerifyJsonCore(utf8PinJson, source, VectorArg.F64(p, vector.Length), expectations);
    }

    /// <summary>Releases the registry; calling it again does nothing.</summary>
    public void Dispose() => _native.Dispose();

    // ---- shared paths ------------------------------------------------------------

    private VerificationResult VerifyPin(Pin pin, SourceText source, VectorArg vector, Expectations? expectations)
    {
        ArgumentNullException.ThrowIfNull(pin);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var src = source.ToUtf8(scratch);
        using var v = _native.Read();
        using var p = pin.Native.Read();
        using var e = expectations is null ? default : expectations.Native.Read();
        NativeError err = default;
        VectorPinStatus st;
        byte emptySource = 0;
        fixed (byte* s = src.Bytes)
        {
            byte* sp = src.IsNull ? null : s == null ? &emptySource : s;
            st = vector.IsDouble
                ? NativeMethods.vectorpin_verify_f64(v.Pointer, p.Pointer, sp, src.Length, vector.F64Pointer, vector.Length, e.Pointer, &err)
                : NativeMethods.vectorpin_verify_f32(v.Pointer, p.Pointer, sp, src.Length, vector.F32Pointer, vector.Length, e.Pointer, &err);
        }
        return Result(st, ref err);
    }

    private VerificationResult VerifyJsonCore(ReadOnlySpan<byte> json, SourceText source, VectorArg vector, Expectations? expectations)
    {
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var src = source.ToUtf8(scratch);
        using var v = _native.Read();
        using var e = expectations is null ? default : expectations.Native.Read();
        NativeError err = default;
        VectorPinStatus st;
        byte emptySource = 0;
        fixed (byte* j = json)
        fixed (byte* s = src.Bytes)
        {
            byte* sp = src.IsNull ? null : s == null ? &emptySource : s;
            st = vector.IsDouble
                ? NativeMethods.vectorpin_verify_json_f64(v.Pointer, j, (nuint)json.Length, sp, src.Length, vector.F64Pointer, vector.Length, e.Pointer, &err)
                : NativeMethods.vectorpin_verify_json_f32(v.Pointer, j, (nuint)json.Length, sp, src.Length, vector.F32Pointer, vector.Length, e.Pointer, &err);
        }
        return Result(st, ref err);
    }

    private static VerificationResult Result(VectorPinStatus st, ref NativeError err)
    {
        if (st == VectorPinStatus.Ok)
            return new VerificationResult(st, string.Empty, -1);
        if (!VectorPinLibrary.IsVerificationFailure(st))
            throw new VectorPinException(st, err.MessageText, err.Offset);
        return new VerificationResult(st, err.MessageText, err.Offset);
    }

    /// <summary>
    /// A vector for one verification, already pinned by the caller's
    /// <c>fixed</c>. A supplied but empty vector gets a non-NULL pointer: NULL
    /// would tell the library that no vector was supplied at all.
    /// </summary>
    internal readonly struct VectorArg
    {
        internal static readonly nint EmptyElement = (nint)System.Runtime.InteropServices.NativeMemory.AllocZeroed(8);

        private readonly nint _pointer;
        public readonly nuint Length;
        public readonly bool IsDouble;

        private VectorArg(nint pointer, int length, bool isDouble)
        {
            _pointer = pointer;
            Length = (nuint)length;
            IsDouble = isDouble;
        }

        public static VectorArg None => default;

        public static VectorArg F32(float* p, int length) => new(p == null ? EmptyElement : (nint)p, length, false);

        public static VectorArg F64(double* p, int length) => new(p == null ? EmptyElement : (nint)p, length, true);

        public float* F32Pointer => (float*)_pointer;

        public double* F64Pointer => (double*)_pointer;
    }
}
