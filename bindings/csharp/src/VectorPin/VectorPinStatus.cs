namespace VectorPin;

/// <summary>
/// Every status code of the C library, with its ABI number. 1..12 are the
/// protocol's verification outcomes; 100 and up are errors of the calling
/// program or its environment. The stable upper-case names
/// ("SIGNATURE_INVALID", ...) come from the library itself:
/// <see cref="VectorPinLibrary.StatusName(VectorPinStatus)"/>.
/// </summary>
public enum VectorPinStatus
{
    /// <summary>Success; for a verification, every check passed.</summary>
    Ok = 0,
    /// <summary>The pin's protocol version is not accepted by this verifier.</summary>
    UnsupportedVersion = 1,
    /// <summary>The pin's kid is not registered.</summary>
    UnknownKey = 2,
    /// <summary>The pin's timestamp is outside the key's validity window.</summary>
    KeyExpired = 3,
    /// <summary>The pin (or a supplied vector or source) breaks the wire rules.</summary>
    ParseError = 4,
    /// <summary>The Ed25519 signature does not verify.</summary>
    SignatureInvalid = 5,
    /// <summary>The supplied vector hashes differently from the pin's vec_hash.</summary>
    VectorTampered = 6,
    /// <summary>The supplied source hashes differently from the pin's source_hash.</summary>
    SourceMismatch = 7,
    /// <summary>The pin's model is not the expected one.</summary>
    ModelMismatch = 8,
    /// <summary>The supplied vector's length differs from the pin's vec_dim.</summary>
    ShapeMismatch = 9,
    /// <summary>The pin's vectorpin.record_id differs from the expected one.</summary>
    RecordMismatch = 10,
    /// <summary>The pin's vectorpin.collection_id differs from the expected one.</summary>
    CollectionMismatch = 11,
    /// <summary>The pin's vectorpin.tenant_id differs from the expected one.</summary>
    TenantMismatch = 12,

    /// <summary>API misuse: a missing value or a wrong size.</summary>
    InvalidArgument = 100,
    /// <summary>Data a signer or helper refuses.</summary>
    InvalidInput = 101,
    /// <summary>Malformed or weak key material.</summary>
    InvalidKey = 102,
    /// <summary>The kid is already registered.</summary>
    DuplicateKeyId = 103,
    /// <summary>An output buffer is too small.</summary>
    BufferTooSmall = 104,
    /// <summary>The library ran out of memory.</summary>
    OutOfMemory = 105,
    /// <summary>A file could not be read or written.</summary>
    IoError = 106,
    /// <summary>A key file would be overwritten.</summary>
    FileExists = 107,
    /// <summary>A private key file is readable or writable by others.</summary>
    InsecurePermissions = 108,
    /// <summary>An external signer failed or returned a bad signature.</summary>
    ExternalSignerFailed = 109,
    /// <summary>An optional field or key is absent.</summary>
    NotFound = 110,
    /// <summary>A bug in the library.</summary>
    InternalError = 111,
}

/// <summary>The element type a vector is hashed as.</summary>
public enum VectorDType
{
    /// <summary>In <see cref="PinOptions"/>: the element type of the input vector.</summary>
    Default = 0,
    /// <summary>IEEE-754 binary32.</summary>
    F32 = 1,
    /// <summary>IEEE-754 binary64.</summary>
    F64 = 2,
}

/// <summary>What a verification can be asked to expect of a pin.</summary>
public enum ExpectationKind
{
    /// <summary>The pin's model.</summary>
    Model = 1,
    /// <summary>The extra entry "vectorpin.record_id".</summary>
    RecordId = 2,
    /// <summary>The extra entry "vectorpin.collection_id".</summary>
    CollectionId = 3,
    /// <summary>The extra entry "vectorpin.tenant_id".</summary>
    TenantId = 4,
}

/// <summary>The format <see cref="Signer.Save(string, KeyFileFormat)"/> writes.</summary>
public enum KeyFileFormat
{
    /// <summary>Raw 32-byte seed and public key (the upstream CLI's format).</summary>
    Raw = 0,
    /// <summary>PKCS#8 and SubjectPublicKeyInfo PEM (RFC 8410).</summary>
    Pem = 1,
}

/// <summary>The reserved extra keys that bind a pin to a record, collection and tenant.</summary>
public static class ReservedExtraKeys
{
    /// <summary>Checked by <see cref="ExpectationKind.RecordId"/>.</summary>
    public const string RecordId = "vectorpin.record_id";
    /// <summary>Checked by <see cref="ExpectationKind.CollectionId"/>.</summary>
    public const string CollectionId = "vectorpin.collection_id";
    /// <summary>Checked by <see cref="ExpectationKind.TenantId"/>.</summary>
    public const string TenantId = "vectorpin.tenant_id";
}
