using System;
using VectorPin.Native;

namespace VectorPin;

/// <summary>
/// The source text of a pin: a .NET string (converted implicitly), UTF-8
/// bytes passed through without copying, or <see cref="None"/> when a
/// verification should not check the source.
/// </summary>
/// <example><code>
/// verifier.Verify(pin, "the text");                           // string
/// verifier.Verify(pin, SourceText.FromUtf8(bytes));           // raw UTF-8
/// verifier.Verify(pin, vector);                               // source not checked
/// </code></example>
public readonly ref struct SourceText
{
    private readonly string? _text;
    private readonly ReadOnlySpan<byte> _utf8;
    private readonly bool _isUtf8;

    private SourceText(string? text, ReadOnlySpan<byte> utf8, bool isUtf8)
    {
        _text = text;
        _utf8 = utf8;
        _isUtf8 = isUtf8;
    }

    /// <summary>No source: verification skips the source check.</summary>
    public static SourceText None => default;

    /// <summary>True unless this is <see cref="None"/>.</summary>
    public bool IsSupplied => _isUtf8 || _text is not null;

    /// <summary>A source given as a string; null gives <see cref="None"/>.</summary>
    public static SourceText FromString(string? text) => new(text, default, false);

    /// <summary>A source given as UTF-8 bytes (an empty span is an empty source, not <see cref="None"/>).</summary>
    public static SourceText FromUtf8(ReadOnlySpan<byte> utf8) => new(null, utf8, true);

    /// <summary>Converts a string; null gives <see cref="None"/>.</summary>
    public static implicit operator SourceText(string? text) => FromString(text);

    internal Utf8Arg ToUtf8(Span<byte> scratch) => _isUtf8 ? Utf8Arg.Borrow(_utf8) : Utf8Arg.From(_text, scratch);
}
