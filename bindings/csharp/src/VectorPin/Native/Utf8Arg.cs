using System;
using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace VectorPin.Native;

/// <summary>
/// A .NET string transcoded to UTF-8 for one native call, in a caller-provided
/// stack buffer when it fits and in a pooled array otherwise.
/// </summary>
/// <remarks>
/// The transcoding is exact for well-formed strings. A lone surrogate is
/// written as its three-byte form (ED A0 80 .. ED BF BF), which is invalid
/// UTF-8: the core then refuses it with the very code it gives any other
/// invalid UTF-8 (INVALID_INPUT when signing or hashing, PARSE_ERROR for a
/// pin or a supplied source). The default .NET encoder would instead replace
/// it with U+FFFD and sign or hash text the caller never had.
/// </remarks>
internal ref struct Utf8Arg
{
    /// <summary>Size of the stack buffer callers pass in: room for a typical
    /// pin's JSON (about 400–500 bytes), so verifying one needs no pooled buffer.</summary>
    internal const int StackBytes = 1024;

    private byte[]? _rented;
    private readonly int _length;
    private readonly ReadOnlySpan<byte> _buffer;

    /// <summary>True when the string was null (no input supplied).</summary>
    public readonly bool IsNull;

    private Utf8Arg(ReadOnlySpan<byte> buffer, int length, byte[]? rented, bool isNull)
    {
        _buffer = buffer;
        _length = length;
        _rented = rented;
        IsNull = isNull;
    }

    public readonly ReadOnlySpan<byte> Bytes => _buffer[.._length];

    public readonly nuint Length => (nuint)_length;

    /// <summary>Bytes the caller already has in UTF-8: passed through, not copied.</summary>
    public static Utf8Arg Borrow(ReadOnlySpan<byte> utf8) => new(utf8, utf8.Length, null, isNull: false);

    public static Utf8Arg From(string? text, Span<byte> scratch)
    {
        if (text is null)
            return new Utf8Arg(default, 0, null, isNull: true);
        // Encoding.UTF8 counts a lone surrogate as its 3-byte replacement,
        // which is also the length of the 3-byte form written below.
        int needed = Encoding.UTF8.GetByteCount(text);
        byte[]? rented = null;
        Span<byte> buffer = scratch;
        if (needed > scratch.Length)
        {
            rented = ArrayPool<byte>.Shared.Rent(needed);
            buffer = rented;
        }
        int written = Transcode(text, buffer);
        return new Utf8Arg(buffer, written, rented, isNull: false);
    }

    /// <summary>The same transcoding into an array the caller keeps (for inputs that outlive one call).</summary>
    public static byte[] ToArray(string text)
    {
        var buffer = new byte[Encoding.UTF8.GetByteCount(text)];
        int written = Transcode(text, buffer);
        return written == buffer.Length ? buffer : buffer[..written];
    }

    private static int Transcode(ReadOnlySpan<char> source, Span<byte> destination)
    {
        int total = 0;
        while (true)
        {
            var status = Utf8.FromUtf16(source, destination, out int read, out int written,
                                        replaceInvalidSequences: false, isFinalBlock: true);
            source = source[read..];
            destination = destination[written..];
            total += written;
            if (status == System.Buffers.OperationStatus.Done)
                return total;
            if (status != System.Buffers.OperationStatus.InvalidData || source.IsEmpty)
                throw new InvalidOperationException("UTF-8 transcoding ran out of room; this is a bug in the binding.");
            char c = source[0];
            destination[0] = (byte)(0xE0 | (c >> 12));
            destination[1] = (byte)(0x80 | ((c >> 6) & 0x3F));
            destination[2] = (byte)(0x80 | (c & 0x3F));
            source = source[1..];
            destination = destination[3..];
            total += 3;
        }
    }

    public void Dispose()
    {
        if (_rented is not null)
        {
            // Sources can be confidential documents: leave nothing in the pool.
            ArrayPool<byte>.Shared.Return(_rented, clearArray: true);
            _rented = null;
        }
    }
}
