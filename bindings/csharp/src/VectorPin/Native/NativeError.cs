using System;
using System.Runtime.InteropServices;
using System.Text;

namespace VectorPin.Native;

/// <summary>The layout of <c>vectorpin_error</c>: blittable, 272 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeError
{
    internal const int MessageBytes = 256;

    public int Code;
    public int Reserved;
    public long Offset;
    public fixed byte Message[MessageBytes];

    /// <summary>The message up to its NUL; the core has already sanitised it.</summary>
    public readonly string MessageText
    {
        get
        {
            fixed (byte* p = Message)
            {
                var span = new ReadOnlySpan<byte>(p, MessageBytes);
                int end = span.IndexOf((byte)0);
                return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
            }
        }
    }

    /// <summary>Throws for any status other than OK.</summary>
    public readonly void ThrowIfFailed(VectorPinStatus status)
    {
        if (status != VectorPinStatus.Ok)
            throw new VectorPinException(status, MessageText, Offset);
    }
}
