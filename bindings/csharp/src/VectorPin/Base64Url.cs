using System;
using VectorPin.Native;

namespace VectorPin;

/// <summary>URL-safe base64 without padding, as the protocol writes binary fields.</summary>
public static unsafe class Base64Url
{
    /// <summary>Encodes bytes.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        byte* output = null;
        nuint length = 0;
        NativeError err = default;
        fixed (byte* p = data)
        {
            var st = NativeMethods.vectorpin_base64url_encode(&output, &length, p, (nuint)data.Length, &err);
            err.ThrowIfFailed(st);
        }
        return NativeText.TakeString(output, length);
    }

    /// <summary>Decodes strictly: padding, '+', '/', whitespace and non-zero trailing bits give INVALID_INPUT.</summary>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var utf8 = Utf8Arg.From(text, scratch);
        return Decode(utf8.Bytes);
    }

    /// <summary>Decodes base64url given as ASCII bytes.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> text)
    {
        byte* output = null;
        nuint length = 0;
        NativeError err = default;
        fixed (byte* p = text)
        {
            var st = NativeMethods.vectorpin_base64url_decode(&output, &length, p, (nuint)text.Length, &err);
            err.ThrowIfFailed(st);
        }
        return NativeText.TakeBytes(output, length);
    }
}
