using System;
using System.Text;

namespace VectorPin.Native;

/// <summary>Copies what the library returns into managed strings and arrays.</summary>
internal static unsafe class NativeText
{
    /// <summary>A NUL-terminated static string owned by the library.</summary>
    internal static string FromStatic(byte* p) =>
        p == null ? string.Empty : Encoding.UTF8.GetString(new ReadOnlySpan<byte>(p, IndexOfNul(p)));

    /// <summary>(pointer, length) text that the caller does not own.</summary>
    internal static string FromSpan(byte* p, nuint length) =>
        p == null ? string.Empty : Encoding.UTF8.GetString(p, checked((int)length));

    /// <summary>Text in a fixed-size output buffer, up to its NUL.</summary>
    internal static string FromBuffer(ReadOnlySpan<byte> buffer)
    {
        int end = buffer.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? buffer : buffer[..end]);
    }

    /// <summary>Takes ownership of library-allocated text and frees it.</summary>
    internal static string TakeString(byte* p, nuint length)
    {
        try { return FromSpan(p, length); }
        finally { NativeMethods.vectorpin_free(p); }
    }

    /// <summary>Takes ownership of library-allocated bytes and frees them.</summary>
    internal static byte[] TakeBytes(byte* p, nuint length)
    {
        try { return p == null ? Array.Empty<byte>() : new ReadOnlySpan<byte>(p, checked((int)length)).ToArray(); }
        finally { NativeMethods.vectorpin_free(p); }
    }

    private static int IndexOfNul(byte* p)
    {
        int n = 0;
        while (p[n] != 0) n++;
        return n;
    }
}
