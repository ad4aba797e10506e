using System;

namespace VectorPin;

/// <summary>A call into libvectorpin failed; <see cref="Status"/> says how.</summary>
public class VectorPinException : Exception
{
    /// <summary>Creates an exception for a status and the library's detail text.</summary>
    public VectorPinException(VectorPinStatus status, string detail)
        : this(status, detail, -1, null) { }

    internal VectorPinException(VectorPinStatus status, string detail, long offset, Exception? inner = null)
        : base(Format(status, detail), inner)
    {
        Status = status;
        Detail = detail;
        Offset = offset < 0 ? null : offset;
    }

    /// <summary>The status code.</summary>
    public VectorPinStatus Status { get; }

    /// <summary>The stable upper-case name of <see cref="Status"/>, from the library.</summary>
    public string StatusName => VectorPinLibrary.StatusName(Status);

    /// <summary>The library's explanation; never quotes more than 64 characters of input.</summary>
    public string Detail { get; }

    /// <summary>Byte offset in the input where the problem was found, if one applies.</summary>
    public long? Offset { get; }

    private static string Format(VectorPinStatus status, string detail)
    {
        string name = VectorPinLibrary.StatusName(status);
        return string.IsNullOrEmpty(detail) ? name : name + ": " + detail;
    }
}

/// <summary>
/// libvectorpin could not be found, or it is not the ABI version this
/// binding was written for.
/// </summary>
public sealed class VectorPinLoadException : DllNotFoundException
{
    /// <summary>Creates the exception with the reason.</summary>
    public VectorPinLoadException(string message) : base(message) { }
}
