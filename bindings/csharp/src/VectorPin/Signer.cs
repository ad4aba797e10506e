using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VectorPin.Native;

namespace VectorPin;

/// <summary>
/// Signs <paramref name="message"/> into <paramref name="signature"/> (64
/// bytes) with the private key that belongs to the signer's public key,
/// e.g. through a KMS or HSM. Return false (or throw) on failure.
/// </summary>
/// <remarks>
/// Called once per pin, on the thread that calls
/// <see cref="Signer.CreatePin(SourceText, string, ReadOnlySpan{float}, PinOptions?)"/>,
/// possibly from several threads at once when the signer is shared. The
/// spans are valid only during the call.
/// </remarks>
public delegate bool ExternalSignCallback(ReadOnlySpan<byte> message, Span<byte> signature);

/// <summary>
/// An Ed25519 signing key with its key id; creates pins. Safe to use from
/// many threads at once. Disposing wipes the key material.
/// </summary>
public sealed unsafe class Signer : IDisposable
{
    private readonly NativeObject _native;

    private Signer(SignerHandle handle) => _native = new NativeObject(handle, typeof(Signer), mutable: false);

    /// <summary>A fresh key from the operating system's CSPRNG.</summary>
    public static Signer Generate(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var kid = Utf8Arg.From(keyId, scratch);
        var handle = new SignerHandle();
        nint raw = 0;
        NativeError err = default;
        fixed (byte* k = kid.Bytes)
            err.ThrowIfFailed(NativeMethods.vectorpin_signer_generate(&raw, k, kid.Length, &err));
        handle.Adopt(raw);
        return new Signer(handle);
    }

    /// <summary>From a 32-byte Ed25519 seed. The library keeps its own copy; wipe yours afterwards.</summary>
    public static Signer FromSeed(string keyId, ReadOnlySpan<byte> seed)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var kid = Utf8Arg.From(keyId, scratch);
        var handle = new SignerHandle();
        nint raw = 0;
        NativeError err = default;
        fixed (byte* k = kid.Bytes)
        fixed (byte* s = seed)
            err.ThrowIfFailed(NativeMethods.vectorpin_signer_from_seed(&raw, k, kid.Length, s, (nuint)seed.Length, &err));
        handle.Adopt(raw);
        return new Signer(handle);
    }

    /// <summary>From the contents of a private key file: a raw 32-byte seed or PKCS#8 PEM, detected from the content.</summary>
    public static Signer FromPrivateKey(string keyId, ReadOnlySpan<byte> keyData)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var kid = Utf8Arg.From(keyId, scratch);
        var handle = new SignerHandle();
        nint raw = 0;
        NativeError err = default;
        fixed (byte* k = kid.Bytes)
        fixed (byte* d = keyData)
            err.ThrowIfFailed(NativeMethods.vectorpin_signer_from_private_key(&raw, k, kid.Length, d, (nuint)keyData.Length, &err));
        handle.Adopt(raw);
        return new Signer(handle);
    }

    /// <summary>From a PKCS#8 PEM private key given as text.</summary>
    public static Signer FromPrivateKeyPem(string keyId, string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var text = Utf8Arg.From(pem, scratch);
        return FromPrivateKey(keyId, text.Bytes);
    }

    /// <summary>
    /// Reads a private key file (raw or PEM). A file that group or others may
    /// read or write is refused with INSECURE_PERMISSIONS unless
    /// <paramref name="allowInsecurePermissions"/> is true.
    /// </summary>
    public static Signer LoadFile(string keyId, string path, bool allowInsecurePermissions = false)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(path);
        Span<byte> kidScratch = stackalloc byte[Utf8Arg.StackBytes];
        Span<byte> pathScratch = stackalloc byte[Utf8Arg.StackBytes];
        using var kid = Utf8Arg.From(keyId, kidScratch);
        using var file = Utf8Arg.From(path, pathScratch);
        uint flags = allowInsecurePermissions ? 1u : 0u; // VECTORPIN_LOAD_ALLOW_INSECURE_PERMISSIONS
        var handle = new SignerHandle();
        nint raw = 0;
        NativeError err = default;
        fixed (byte* k = kid.Bytes)
        fixed (byte* f = file.Bytes)
            err.ThrowIfFailed(NativeMethods.vectorpin_signer_load_file(&raw, k, kid.Length, f, file.Length, flags, &err));
        handle.Adopt(raw);
        return new Signer(handle);
    }

    /// <summary>
    /// A signer whose private key lives elsewhere. The library checks every
    /// signature the callback returns against <paramref name="publicKey"/>
    /// before it emits a pin, so a faulty backend cannot produce bad pins.
    /// </summary>
    /// <remarks>
    /// The signer holds the callback alive (through a <see cref="GCHandle"/>)
    /// until it is disposed or finalized; the handle is released only after
    /// the native signer is freed, and no pin can be in progress then. A
    /// callback that throws makes signing fail with EXTERNAL_SIGNER_FAILED and
    /// the exception as <see cref="Exception.InnerException"/>; it never
    /// unwinds through native code.
    /// </remarks>
    public static Signer External(string keyId, ReadOnlySpan<byte> publicKey, ExternalSignCallback callback)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(callback);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var kid = Utf8Arg.From(keyId, scratch);
        var handle = new SignerHandle();
        var state = GCHandle.Alloc(callback);
        nint stateRef = GCHandle.ToIntPtr(state);
        nint raw = 0;
        NativeError err = default;
        VectorPinStatus st;
        fixed (byte* k = kid.Bytes)
        fixed (byte* pk = publicKey)
            st = NativeMethods.vectorpin_signer_external(&raw, k, kid.Length, pk, (nuint)publicKey.Length,
                                                         &ExternalSignThunk, (void*)stateRef, &err);
        if (st != VectorPinStatus.Ok)
        {
            state.Free();
            err.ThrowIfFailed(st);
        }
        handle.Adopt(raw);
        handle.AttachCallbackState(stateRef);
        return new Signer(handle);
    }

    // The callback's exception, kept for the signing call on the same thread
    // (the library calls back synchronously on the caller's thread).
    [ThreadStatic] private static Exception? _callbackFailure;

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static int ExternalSignThunk(void* userData, byte* signature, byte* message, nuint messageLength)
    {
        try
        {
            var callback = (ExternalSignCallback)GCHandle.FromIntPtr((nint)userData).Target!;
            var msg = new ReadOnlySpan<byte>(message, checked((int)messageLength));
            var sig = new Span<byte>(signature, 64);
            return callback(msg, sig) ? 0 : 1;
        }
        catch (Exception e)
        {
            _callbackFailure = e;
            return 1;
        }
    }

    /// <summary>The key id (NFC form).</summary>
    public string KeyId
    {
        get
        {
            using var s = _native.Read();
            byte* text = null;
            nuint length = 0;
            NativeError err = default;
            err.ThrowIfFailed(NativeMethods.vectorpin_signer_kid(s.Pointer, &text, &length, &err));
            return NativeText.FromSpan(text, length);
        }
    }

    /// <summary>The 32-byte public key.</summary>
    public byte[] PublicKey
    {
        get
        {
            using var s = _native.Read();
            var key = new byte[32];
            fixed (byte* k = key)
            {
                NativeError err = default;
                err.ThrowIfFailed(NativeMethods.vectorpin_signer_public_key(s.Pointer, k, 32, &err));
            }
            return key;
        }
    }

    /// <summary>The public key as SubjectPublicKeyInfo PEM.</summary>
    public string PublicKeyPem => PublicKeys.ToPem(PublicKey);

    /// <summary>The public key as base64url text.</summary>
    public string PublicKeyBase64Url => Base64Url.Encode(PublicKey);

    /// <summary>"xxxx:xxxx:xxxx:xxxx" fingerprint of the public key.</summary>
    public string Fingerprint
    {
        get
        {
            using var s = _native.Read();
            byte* output = stackalloc byte[32];
            NativeError err = default;
            err.ThrowIfFailed(NativeMethods.vectorpin_signer_fingerprint(s.Pointer, output, 32, &err));
            return NativeText.FromBuffer(new ReadOnlySpan<byte>(output, 32));
        }
    }

    /// <summary>
    /// Writes <c>dir/&lt;kid&gt;.priv</c> (0600, never overwritten) and
    /// <c>dir/&lt;kid&gt;.pub</c> (0644), creating <paramref name="directory"/>
    /// with mode 0700 if missing. Existing files give FILE_EXISTS; an external
    /// signer has no private key to save (INVALID_ARGUMENT).
    /// </summary>
    public void Save(string directory, KeyFileFormat format = KeyFileFormat.Raw)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var dir = Utf8Arg.From(directory, scratch);
        uint flags = format == KeyFileFormat.Pem ? 1u : 0u; // VECTORPIN_SAVE_PEM
        using var s = _native.Read();
        NativeError err = default;
        fixed (byte* d = dir.Bytes)
            err.ThrowIfFailed(NativeMethods.vectorpin_signer_save(s.Pointer, d, dir.Length, flags, &err));
    }

    /// <summary>
    /// Pins a float vector to its source text and model. The vector is read
    /// in place (no copy) and hashed as f32 unless the options say otherwise.
    /// </summary>
    /// <exception cref="VectorPinException">INVALID_INPUT, naming the field, for anything a verifier would refuse.</exception>
    public Pin CreatePin(SourceText source, string model, ReadOnlySpan<float> vector, PinOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!source.IsSupplied)
            throw new ArgumentNullException(nameof(source), "signing needs the source text");
        Span<byte> sourceScratch = stackalloc byte[Utf8Arg.StackBytes];
        Span<byte> modelScratch = stackalloc byte[Utf8Arg.StackBytes];
        using var src = source.ToUtf8(sourceScratch);
        using var mdl = Utf8Arg.From(model, modelScratch);
        using var s = _native.Read();
        using var o = options is null ? default : options.Native.Read();
        nint raw = 0;
        NativeError err = default;
        VectorPinStatus st;
        _callbackFailure = null;
        fixed (byte* ps = src.Bytes)
        fixed (byte* pm = mdl.Bytes)
        fixed (float* pv = vector)
            st = NativeMethods.vectorpin_signer_pin_f32(s.Pointer, &raw, ps, src.Length, pm, mdl.Length,
                                                        pv, (nuint)vector.Length, o.Pointer, &err);
        return Finish(st, raw, ref err);
    }

    /// <summary>Pins a double vector; hashed as f64 unless the options say otherwise.</summary>
    /// <exception cref="VectorPinException">INVALID_INPUT, naming the field, for anything a verifier would refuse.</exception>
    public Pin CreatePin(SourceText source, string model, ReadOnlySpan<double> vector, PinOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!source.IsSupplied)
            throw new ArgumentNullException(nameof(source), "signing needs the source text");
        Span<byte> sourceScratch = stackalloc byte[Utf8Arg.StackBytes];
        Span<byte> modelScratch = stackalloc byte[Utf8Arg.StackBytes];
        using var src = source.ToUtf8(sourceScratch);
        using var mdl = Utf8Arg.From(model, modelScratch);
        using var s = _native.Read();
        using var o = options is null ? default : options.Native.Read();
        nint raw = 0;
        NativeError err = default;
        VectorPinStatus st;
        _callbackFailure = null;
        fixed (byte* ps = src.Bytes)
        fixed (byte* pm = mdl.Bytes)
        fixed (double* pv = vector)
            st = NativeMethods.vectorpin_signer_pin_f64(s.Pointer, &raw, ps, src.Length, pm, mdl.Length,
                                                        pv, (nuint)vector.Length, o.Pointer, &err);
        return Finish(st, raw, ref err);
    }

    private static Pin Finish(VectorPinStatus st, nint raw, ref NativeError err)
    {
        Exception? inner = _callbackFailure;
        _callbackFailure = null;
        if (st != VectorPinStatus.Ok)
            throw new VectorPinException(st, err.MessageText, err.Offset, inner);
        return Pin.Adopt(raw);
    }

    /// <summary>Wipes the key material and releases the signer; calling it again does nothing.</summary>
    public void Dispose() => _native.Dispose();
}
