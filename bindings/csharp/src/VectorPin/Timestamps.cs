using System;
using VectorPin.Native;

namespace VectorPin;

/// <summary>The protocol's timestamp form, YYYY-MM-DDTHH:MM:SSZ.</summary>
public static unsafe class Timestamps
{
    /// <summary>True if <paramref name="timestamp"/> is canonical and a real UTC date-time.</summary>
    public static bool IsValid(string timestamp)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        return CheckStatus(timestamp, out _) == VectorPinStatus.Ok;
    }

    /// <summary>Throws INVALID_INPUT, with the library's reason, unless the timestamp is valid.</summary>
    public static void Check(string timestamp)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        var st = CheckStatus(timestamp, out NativeError err);
        err.ThrowIfFailed(st);
    }

    /// <summary>The current UTC time in canonical form.</summary>
    public static string Now()
    {
        byte* output = stackalloc byte[32];
        NativeError err = default;
        var st = NativeMethods.vectorpin_timestamp_now(output, 32, &err);
        err.ThrowIfFailed(st);
        return NativeText.FromBuffer(new ReadOnlySpan<byte>(output, 32));
    }

    private static VectorPinStatus CheckStatus(string timestamp, out NativeError error)
    {
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var utf8 = Utf8Arg.From(timestamp, scratch);
        NativeError err = default;
        VectorPinStatus st;
        fixed (byte* p = utf8.Bytes)
            st = NativeMethods.vectorpin_timestamp_check(p, utf8.Length, &err);
        error = err;
        return st;
    }
}
