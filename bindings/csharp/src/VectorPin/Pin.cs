using System;
using System.Collections.Generic;
using VectorPin.Native;

namespace VectorPin;

/// <summary>
/// A parsed or freshly signed pin. Immutable: share it between threads
/// freely. Parsing checks the wire rules only; the signature is checked by
/// <see cref="Verifier"/>.
/// </summary>
public sealed unsafe class Pin : IDisposable
{
    internal readonly NativeObject Native;

    internal Pin(PinHandle handle) => Native = new NativeObject(handle, typeof(Pin), mutable: false);

    internal static Pin Adopt(nint raw)
    {
        var handle = new PinHandle();
        handle.Adopt(raw);
        return new Pin(handle);
    }

    /// <summary>Parses pin JSON with every rule of the protocol's wire form.</summary>
    /// <exception cref="VectorPinException">PARSE_ERROR or UNSUPPORTED_VERSION.</exception>
    public static Pin Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var utf8 = Utf8Arg.From(json, scratch);
        return Parse(utf8.Bytes);
    }

    /// <summary>Parses pin JSON given as UTF-8 bytes.</summary>
    /// <exception cref="VectorPinException">PARSE_ERROR or UNSUPPORTED_VERSION.</exception>
    public static Pin Parse(ReadOnlySpan<byte> utf8Json)
    {
        nint raw = 0;
        NativeError err = default;
        fixed (byte* p = utf8Json)
        {
            var st = NativeMethods.vectorpin_pin_parse(&raw, p, (nuint)utf8Json.Length, &err);
            err.ThrowIfFailed(st);
        }
        return Adopt(raw);
    }

    /// <summary>The wire form: keys in byte order, no whitespace, raw UTF-8.</summary>
    public string ToJson()
    {
        using var pin = Native.Read();
        byte* output = null;
        nuint length = 0;
        NativeError err = default;
        err.ThrowIfFailed(NativeMethods.vectorpin_pin_to_json(pin.Pointer, &output, &length, &err));
        return NativeText.TakeString(output, length);
    }

    /// <summary>The wire form as UTF-8 bytes.</summary>
    public byte[] ToJsonUtf8()
    {
        using var pin = Native.Read();
        byte* output = null;
        nuint length = 0;
        NativeError err = default;
        err.ThrowIfFailed(NativeMethods.vectorpin_pin_to_json(pin.Pointer, &output, &length, &err));
        return NativeText.TakeBytes(output, length);
    }

    /// <summary>The wire form.</summary>
    public override string ToString() => Native.IsClosed ? "Pin (disposed)" : ToJson();

    /// <summary>The exact bytes the signature covers for this pin's protocol version.</summary>
    public byte[] SignedBytes()
    {
        using var pin = Native.Read();
        byte* output = null;
        nuint length = 0;
        NativeError err = default;
        err.ThrowIfFailed(NativeMethods.vectorpin_pin_signed_bytes(pin.Pointer, &output, &length, &err));
        return NativeText.TakeBytes(output, length);
    }

    /// <summary>Protocol version (1 or 2).</summary>
    public int Version
    {
        get
        {
            using var pin = Native.Read();
            return NativeMethods.vectorpin_pin_version(pin.Pointer);
        }
    }

    /// <summary>The key id.</summary>
    public string KeyId => Field(PinField.Kid)!;

    /// <summary>The model name.</summary>
    public string Model => Field(PinField.Model)!;

    /// <summary>The model_hash, or null when the pin has none.</summary>
    public string? ModelHash => Field(PinField.ModelHash);

    /// <summary>"sha256:..." of the source text.</summary>
    public string SourceHash => Field(PinField.SourceHash)!;

    /// <summary>"sha256:..." of the vector's bytes.</summary>
    public string VectorHash => Field(PinField.VecHash)!;

    /// <summary>The vec_dtype field as written ("f32" or "f64").</summary>
    public string VectorDTypeName => Field(PinField.VecDType)!;

    /// <summary>The element type the vector was hashed as.</summary>
    public VectorDType VectorDType
    {
        get
        {
            using var pin = Native.Read();
            return NativeMethods.vectorpin_pin_dtype(pin.Pointer);
        }
    }

    /// <summary>The vector's dimension.</summary>
    public int VectorDimension
    {
        get
        {
            using var pin = Native.Read();
            return checked((int)NativeMethods.vectorpin_pin_vec_dim(pin.Pointer));
        }
    }

    /// <summary>The ts field.</summary>
    public string Timestamp => Field(PinField.Ts)!;

    /// <summary>The sig field (base64url text).</summary>
    public string SignatureBase64Url => Field(PinField.Sig)!;

    /// <summary>The raw 64-byte signature.</summary>
    public byte[] Signature
    {
        get
        {
            using var pin = Native.Read();
            var sig = new byte[64];
            fixed (byte* p = sig)
            {
                NativeError err = default;
                err.ThrowIfFailed(NativeMethods.vectorpin_pin_signature(pin.Pointer, p, 64, &err));
            }
            return sig;
        }
    }

    /// <summary>The extra entries in key byte order (empty when the pin has none).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extra
    {
        get
        {
            using var pin = Native.Read();
            int count = checked((int)NativeMethods.vectorpin_pin_extra_count(pin.Pointer));
            var entries = new KeyValuePair<string, string>[count];
            for (int i = 0; i < count; i++)
            {
                byte* key = null, value = null;
                nuint keyLen = 0, valueLen = 0;
                NativeError err = default;
                err.ThrowIfFailed(
                    NativeMethods.vectorpin_pin_extra_at(pin.Pointer, &key, &keyLen, &value, &valueLen, (nuint)i, &err));
                entries[i] = new(NativeText.FromSpan(key, keyLen), NativeText.FromSpan(value, valueLen));
            }
            return entries;
        }
    }

    /// <summary>Looks up one extra entry by key.</summary>
    public bool TryGetExtra(string key, out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var k = Utf8Arg.From(key, scratch);
        using var pin = Native.Read();
        byte* v = null;
        nuint vLen = 0;
        VectorPinStatus st;
        NativeError err = default;
        fixed (byte* pk = k.Bytes)
            st = NativeMethods.vectorpin_pin_extra_get(pin.Pointer, &v, &vLen, pk, k.Length, &err);
        if (st == VectorPinStatus.NotFound)
        {
            value = string.Empty;
            return false;
        }
        err.ThrowIfFailed(st);
        value = NativeText.FromSpan(v, vLen);
        return true;
    }

    /// <summary>Releases the native pin; calling it again does nothing.</summary>
    public void Dispose() => Native.Dispose();

    private string? Field(PinField field)
    {
        using var pin = Native.Read();
        byte* text = null;
        nuint length = 0;
        NativeError err = default;
        var st = NativeMethods.vectorpin_pin_get(pin.Pointer, &text, &length, field, &err);
        if (st == VectorPinStatus.NotFound)
            return null;
        err.ThrowIfFailed(st);
        // Copied while the lease keeps the pin alive: the text lives inside it.
        return NativeText.FromSpan(text, length);
    }
}
