using System;
using VectorPin.Native;

namespace VectorPin;

/// <summary>The protocol's hash functions, computed by the library.</summary>
public static unsafe class Hashing
{
    private const int HashBuffer = 72;

    /// <summary>"sha256:" + hex(SHA-256(UTF-8(NFC(text)))).</summary>
    /// <exception cref="VectorPinException">INVALID_INPUT for a string with a lone surrogate.</exception>
    public static string HashText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> scratch = stackalloc byte[Utf8Arg.StackBytes];
        using var utf8 = Utf8Arg.From(text, scratch);
        return HashText(utf8.Bytes);
    }

    /// <summary>The same for UTF-8 bytes; invalid UTF-8 gives INVALID_INPUT.</summary>
    public static string HashText(ReadOnlySpan<byte> utf8)
    {
        byte* output = stackalloc byte[HashBuffer];
        NativeError err = default;
        fixed (byte* p = utf8)
        {
            var st = NativeMethods.vectorpin_hash_text(output, HashBuffer, p, (nuint)utf8.Length, &err);
            err.ThrowIfFailed(st);
        }
        return NativeText.FromBuffer(new ReadOnlySpan<byte>(output, HashBuffer));
    }

    /// <summary>Hash of the elements cast to <paramref name="dtype"/>, little-endian, packed.</summary>
    /// <exception cref="VectorPinException">INVALID_INPUT for NaN, infinities and overflowing casts.</exception>
    public static string HashVector(ReadOnlySpan<float> vector, VectorDType dtype = VectorDType.F32)
    {
        byte* output = stackalloc byte[HashBuffer];
        NativeError err = default;
        fixed (float* p = vector)
        {
            float empty = 0;
            var st = NativeMethods.vectorpin_hash_vector_f32(output, HashBuffer, p == null ? &empty : p,
                                                             (nuint)vector.Length, dtype, &err);
            err.ThrowIfFailed(st);
        }
        return NativeText.FromBuffer(new ReadOnlySpan<byte>(output, HashBuffer));
    }

    /// <summary>Hash of the elements cast to <paramref name="dtype"/>, little-endian, packed.</summary>
    /// <exception cref="VectorPinException">INVALID_INPUT for NaN, infinities and overflowing casts.</exception>
    public static string HashVector(ReadOnlySpan<double> vector, VectorDType dtype = VectorDType.F64)
    {
        byte* output = stackalloc byte[HashBuffer];
        NativeError err = default;
        fixed (double* p = vector)
        {
            double empty = 0;
            var st = NativeMethods.vectorpin_hash_vector_f64(output, HashBuffer, p == null ? &empty : p,
                                                             (nuint)vector.Length, dtype, &err);
            err.ThrowIfFailed(st);
        }
        return NativeText.FromBuffer(new ReadOnlySpan<byte>(output, HashBuffer));
    }

    /// <summary>Raw SHA-256 of bytes (32 bytes).</summary>
    public static byte[] Sha256(ReadOnlySpan<byte> data)
    {
        var digest = new byte[32];
        NativeError err = default;
        fixed (byte* d = digest)
        fixed (byte* p = data)
        {
            var st = NativeMethods.vectorpin_sha256(d, 32, p, (nuint)data.Length, &err);
            err.ThrowIfFailed(st);
        }
        return digest;
    }
}
