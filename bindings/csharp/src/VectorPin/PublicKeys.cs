using System;
using VectorPin.Native;

namespace VectorPin;

/// <summary>Ed25519 public keys: decoding, fingerprints and PEM.</summary>
public static unsafe class PublicKeys
{
    /// <summary>
    /// Decodes a public key given as raw 32 bytes, base64url text (43 bytes)
    /// or an RFC 8410 SubjectPublicKeyInfo PEM. Weak keys (small order,
    /// non-canonical, off curve) give INVALID_KEY.
    /// </summary>
    public static byte[] Decode(ReadOnlySpan<byte> data)
    {
        var key = new byte[32];
        NativeError err = default;
        fixed (byte* k = key)
        fixed (byte* p = data)
        {
            var st = NativeMethods.vectorpin_public_key_decode(k, 32, p, (nuint)data.Length, &err);
            err.ThrowIfFailed(st);
        }
        return key;
    }

    /// <summary>Decodes a public key given as base64url or PEM text.</summary>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var utf8 = Utf8Arg.From(text, scratch);
        return Decode(utf8.Bytes);
    }

    /// <summary>"5647:5aa7:5463:474c": the first 16 hex digits of SHA-256(public key).</summary>
    public static string Fingerprint(ReadOnlySpan<byte> publicKey)
    {
        byte* output = stackalloc byte[32];
        NativeError err = default;
        fixed (byte* p = publicKey)
        {
            var st = NativeMethods.vectorpin_public_key_fingerprint(output, 32, p, (nuint)publicKey.Length, &err);
            err.ThrowIfFailed(st);
        }
        return NativeText.FromBuffer(new ReadOnlySpan<byte>(output, 32));
    }

    /// <summary>The key as RFC 8410 SubjectPublicKeyInfo PEM text.</summary>
    public static string ToPem(ReadOnlySpan<byte> publicKey)
    {
        byte* output = null;
        nuint length = 0;
        NativeError err = default;
        fixed (byte* p = publicKey)
        {
            var st = NativeMethods.vectorpin_public_key_pem(&output, &length, p, (nuint)publicKey.Length, &err);
            err.ThrowIfFailed(st);
        }
        return NativeText.TakeString(output, length);
    }
}
