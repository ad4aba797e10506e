using System;
using VectorPin.Native;

namespace VectorPin;

/// <summary>Versions, limits and status names of the loaded libvectorpin.</summary>
/// <remarks>
/// The first use of any VectorPin type loads the library and checks its ABI
/// version; a missing or incompatible library raises
/// <see cref="VectorPinLoadException"/> with the reason.
/// </remarks>
public static unsafe class VectorPinLibrary
{
    /// <summary>The ABI version this binding is written for; any other library is refused.</summary>
    public const uint RequiredAbiVersion = NativeLoader.ExpectedAbiVersion;

    /// <summary>The library's version, e.g. "0.1.0".</summary>
    public static string Version => NativeText.FromStatic(NativeMethods.vectorpin_version_string());

    /// <summary>major * 10000 + minor * 100 + patch.</summary>
    public static uint VersionNumber => NativeMethods.vectorpin_version_number();

    /// <summary>The library's ABI version (always <see cref="RequiredAbiVersion"/> once loaded).</summary>
    public static uint AbiVersion => NativeMethods.vectorpin_abi_version();

    /// <summary>The protocol version signed by default.</summary>
    public static int ProtocolVersion => (int)NativeMethods.vectorpin_protocol_version();

    /// <summary>The file the library was loaded from, or null before the first call.</summary>
    public static string? LoadedFrom => NativeLoader.LoadedFrom;

    /// <summary>Bytes in an Ed25519 public key (32).</summary>
    public static int PublicKeyBytes => Size(NativeMethods.vectorpin_public_key_bytes());
    /// <summary>Bytes in an Ed25519 seed (32).</summary>
    public static int SeedBytes => Size(NativeMethods.vectorpin_seed_bytes());
    /// <summary>Bytes in an Ed25519 signature (64).</summary>
    public static int SignatureBytes => Size(NativeMethods.vectorpin_signature_bytes());
    /// <summary>Buffer size for a hash string with its NUL (72).</summary>
    public static int HashStringBufferBytes => Size(NativeMethods.vectorpin_hash_string_buffer_bytes());
    /// <summary>Buffer size for a fingerprint with its NUL (20).</summary>
    public static int FingerprintBufferBytes => Size(NativeMethods.vectorpin_fingerprint_buffer_bytes());
    /// <summary>Buffer size for a timestamp with its NUL (21).</summary>
    public static int TimestampBufferBytes => Size(NativeMethods.vectorpin_timestamp_buffer_bytes());
    /// <summary>Largest pin JSON accepted, in bytes (65536).</summary>
    public static int MaxPinJsonBytes => Size(NativeMethods.vectorpin_max_pin_json_bytes());
    /// <summary>Largest vector dimension (1048576).</summary>
    public static int MaxVectorDimension => Size(NativeMethods.vectorpin_max_vec_dim());
    /// <summary>Most entries in a pin's extra (32).</summary>
    public static int MaxExtraEntries => Size(NativeMethods.vectorpin_max_extra_entries());
    /// <summary>Longest extra key in UTF-8 bytes (128).</summary>
    public static int MaxExtraKeyBytes => Size(NativeMethods.vectorpin_max_extra_key_bytes());
    /// <summary>Longest extra value in UTF-8 bytes (1024).</summary>
    public static int MaxExtraValueBytes => Size(NativeMethods.vectorpin_max_extra_value_bytes());
    /// <summary>Size of the library's error message buffer (256).</summary>
    public static int ErrorMessageBytes => Size(NativeMethods.vectorpin_error_message_bytes());
    /// <summary>A new verifier's <see cref="Verifier.PreparedKeyLimit"/> (128).</summary>
    public static int DefaultPreparedKeyLimit => Size(NativeMethods.vectorpin_default_prepared_key_limit());
    /// <summary>The memory one prepared key takes, in bytes (146,120 on 64-bit hosts).</summary>
    public static int PreparedKeyBytes => Size(NativeMethods.vectorpin_prepared_key_bytes());

    /// <summary>The stable upper-case name of a status ("SIGNATURE_INVALID", ...).</summary>
    public static string StatusName(VectorPinStatus status) => StatusName((int)status);

    /// <summary>The name of a raw status number; "UNKNOWN_STATUS" for numbers the library does not define.</summary>
    public static string StatusName(int status) => NativeText.FromStatic(NativeMethods.vectorpin_status_name(status));

    /// <summary>True for the protocol's verification outcomes (1..12).</summary>
    public static bool IsVerificationFailure(VectorPinStatus status) =>
        NativeMethods.vectorpin_status_is_verification_failure((int)status) != 0;

    private static int Size(nuint n) => checked((int)n);
}
