using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

// Every signature below is blittable, so the generated stubs are plain calls:
// no marshalling code runs and nothing is copied behind the caller's back.
[assembly: DisableRuntimeMarshalling]

namespace VectorPin.Native;

/// <summary>The C ABI of include/vectorpin.h, one declaration per function.</summary>
/// <remarks>
/// Handles are passed as raw pointers: the facades keep the owning
/// <see cref="SafeHandle"/> referenced for the duration of each call (see
/// <see cref="HandleLease"/>), which also covers results that point into a
/// handle (pin fields, the signer's kid) until they are copied out.
/// </remarks>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "vectorpin";

    // ---- versions and constants --------------------------------------------
    [LibraryImport(Library)] internal static partial byte* vectorpin_version_string();
    [LibraryImport(Library)] internal static partial uint vectorpin_version_number();
    [LibraryImport(Library)] internal static partial uint vectorpin_abi_version();
    [LibraryImport(Library)] internal static partial uint vectorpin_protocol_version();
    [LibraryImport(Library)] internal static partial nuint vectorpin_public_key_bytes();
    [LibraryImport(Library)] internal static partial nuint vectorpin_seed_bytes();
    [LibraryImport(Library)] internal static partial nuint vectorpin_signature_bytes();
    [LibraryImport(Library)] internal static partial nuint vectorpin_hash_string_buffer_bytes();
    [LibraryImport(Library)] internal static partial nuint vectorpin_fingerprint_buffer_bytes();
    [LibraryImport(Library)] internal static partial nuint vectorpin_timestamp_buffer_bytes();
    [LibraryImport(Library)] internal static partial nuint vectorpin_max_pin_json_bytes();
    [LibraryImport(Library)] internal static partial nuint vectorpin_max_vec_dim();
    [LibraryImport(Library)] internal static partial nuint vectorpin_default_prepared_key_limit();
    [LibraryImport(Library)] internal static partial nuint vectorpin_max_extra_entries();
    [LibraryImport(Library)] internal static partial nuint vectorpin_max_extra_key_bytes();
    [LibraryImport(Library)] internal static partial nuint vectorpin_max_extra_value_bytes();
    [LibraryImport(Library)] internal static partial nuint vectorpin_error_message_bytes();

    // ---- status codes ------------------------------------------------------
    [LibraryImport(Library)] internal static partial byte* vectorpin_status_name(int status);
    [LibraryImport(Library)] internal static partial int vectorpin_status_is_verification_failure(int status);
    [LibraryImport(Library)] internal static partial void vectorpin_free(void* ptr);

    // ---- hashing -----------------------------------------------------------
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_hash_text(byte* @out, nuint outCap, byte* text, nuint textLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_hash_vector_f32(byte* @out, nuint outCap, float* vector, nuint dim, VectorDType dtype, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_hash_vector_f64(byte* @out, nuint outCap, double* vector, nuint dim, VectorDType dtype, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_sha256(byte* @out, nuint outLen, byte* data, nuint dataLen, NativeError* err);

    // ---- encodings ---------------------------------------------------------
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_base64url_encode(byte** @out, nuint* outLen, byte* data, nuint dataLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_base64url_decode(byte** @out, nuint* outLen, byte* text, nuint textLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_timestamp_check(byte* ts, nuint tsLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_timestamp_now(byte* @out, nuint outCap, NativeError* err);

    // ---- public keys -------------------------------------------------------
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_public_key_decode(byte* @out, nuint outLen, byte* data, nuint dataLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_public_key_fingerprint(byte* @out, nuint outCap, byte* publicKey, nuint publicKeyLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_public_key_pem(byte** @out, nuint* outLen, byte* publicKey, nuint publicKeyLen, NativeError* err);

    // ---- signers -----------------------------------------------------------
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_signer_generate(nint* outSigner, byte* kid, nuint kidLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_signer_from_seed(nint* outSigner, byte* kid, nuint kidLen, byte* seed, nuint seedLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_signer_from_private_key(nint* outSigner, byte* kid, nuint kidLen, byte* keyData, nuint keyDataLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_signer_load_file(nint* outSigner, byte* kid, nuint kidLen, byte* path, nuint pathLen, uint flags, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_signer_external(
        nint* outSigner, byte* kid, nuint kidLen, byte* publicKey, nuint publicKeyLen,
        delegate* unmanaged[Cdecl]<void*, byte*, byte*, nuint, int> callback, void* userData, NativeError* err);
    [LibraryImport(Library)] internal static partial void vectorpin_signer_free(nint signer);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_signer_kid(nint signer, byte** @out, nuint* outLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_signer_public_key(nint signer, byte* @out, nuint outCap, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_signer_fingerprint(nint signer, byte* @out, nuint outCap, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_signer_save(nint signer, byte* dir, nuint dirLen, uint flags, NativeError* err);

    // ---- pin options -------------------------------------------------------
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_pin_options_new(nint* outOptions, NativeError* err);
    [LibraryImport(Library)] internal static partial void vectorpin_pin_options_free(nint options);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_pin_options_set_protocol(nint options, int version, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_pin_options_set_dtype(nint options, VectorDType dtype, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_pin_options_set_model_hash(nint options, byte* modelHash, nuint modelHashLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_pin_options_set_timestamp(nint options, byte* ts, nuint tsLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_pin_options_set_extra(nint options, byte* key, nuint keyLen, byte* value, nuint valueLen, NativeError* err);

    // ---- pins --------------------------------------------------------------
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_signer_pin_f32(
        nint signer, nint* outPin, byte* source, nuint sourceLen, byte* model, nuint modelLen,
        float* vector, nuint dim, nint options, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_signer_pin_f64(
        nint signer, nint* outPin, byte* source, nuint sourceLen, byte* model, nuint modelLen,
        double* vector, nuint dim, nint options, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_pin_parse(nint* outPin, byte* json, nuint jsonLen, NativeError* err);
    [LibraryImport(Library)] internal static partial void vectorpin_pin_free(nint pin);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_pin_to_json(nint pin, byte** @out, nuint* outLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_pin_signed_bytes(nint pin, byte** @out, nuint* outLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_pin_get(nint pin, byte** @out, nuint* outLen, PinField field, NativeError* err);
    [LibraryImport(Library)] internal static partial int vectorpin_pin_version(nint pin);
    [LibraryImport(Library)] internal static partial VectorDType vectorpin_pin_dtype(nint pin);
    [LibraryImport(Library)] internal static partial uint vectorpin_pin_vec_dim(nint pin);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_pin_signature(nint pin, byte* @out, nuint outCap, NativeError* err);
    [LibraryImport(Library)] internal static partial nuint vectorpin_pin_extra_count(nint pin);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_pin_extra_at(
        nint pin, byte** outKey, nuint* outKeyLen, byte** outValue, nuint* outValueLen, nuint index, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_pin_extra_get(
        nint pin, byte** outValue, nuint* outValueLen, byte* key, nuint keyLen, NativeError* err);

    // ---- verifiers ---------------------------------------------------------
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_verifier_new(nint* outVerifier, NativeError* err);
    [LibraryImport(Library)] internal static partial void vectorpin_verifier_free(nint verifier);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_verifier_add_key(
        nint verifier, byte* kid, nuint kidLen, byte* publicKey, nuint publicKeyLen,
        byte* validFrom, nuint validFromLen, byte* validUntil, nuint validUntilLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_verifier_load_registry(nint verifier, byte* json, nuint jsonLen, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_verifier_set_legacy_v1(nint verifier, int enabled, NativeError* err);
    [LibraryImport(Library)] internal static partial nuint vectorpin_verifier_key_count(nint verifier);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_verifier_set_prepared_key_limit(nint verifier, nuint limit, NativeError* err);
    [LibraryImport(Library)] internal static partial nuint vectorpin_verifier_prepared_key_limit(nint verifier);
    [LibraryImport(Library)] internal static partial nuint vectorpin_verifier_prepared_key_count(nint verifier);
    [LibraryImport(Library)] internal static partial nuint vectorpin_prepared_key_bytes();

    // ---- expectations ------------------------------------------------------
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_expectations_new(nint* outExpectations, NativeError* err);
    [LibraryImport(Library)] internal static partial void vectorpin_expectations_free(nint expectations);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_expectations_set(nint expectations, ExpectationKind which, byte* value, nuint valueLen, NativeError* err);

    // ---- verification ------------------------------------------------------
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_verify_f32(
        nint verifier, nint pin, byte* source, nuint sourceLen, float* vector, nuint dim, nint expectations, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_verify_f64(
        nint verifier, nint pin, byte* source, nuint sourceLen, double* vector, nuint dim, nint expectations, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_verify_json_f32(
        nint verifier, byte* pinJson, nuint pinJsonLen, byte* source, nuint sourceLen, float* vector, nuint dim,
        nint expectations, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_verify_json_f64(
        nint verifier, byte* pinJson, nuint pinJsonLen, byte* source, nuint sourceLen, double* vector, nuint dim,
        nint expectations, NativeError* err);

    // ---- batch verification ------------------------------------------------
    [LibraryImport(Library)] internal static partial uint vectorpin_batch_max_threads();
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_verify_batch(
        nint verifier, NativeError* results, NativeBatchItem* items, nuint count, uint threads, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_batch_new(nint* outBatch, nint verifier, uint threads, NativeError* err);
    [LibraryImport(Library)] internal static partial void vectorpin_batch_free(nint batch);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_batch_submit_f32(
        nint batch, ulong cookie, byte* pinJson, nuint pinJsonLen, byte* source, nuint sourceLen,
        float* vector, nuint dim, nint expectations, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_batch_submit_f64(
        nint batch, ulong cookie, byte* pinJson, nuint pinJsonLen, byte* source, nuint sourceLen,
        double* vector, nuint dim, nint expectations, NativeError* err);
    [LibraryImport(Library)]
    internal static partial VectorPinStatus vectorpin_batch_next_result(
        nint batch, ulong* outCookie, NativeError* outResult, int wait, NativeError* err);
    [LibraryImport(Library)] internal static partial nuint vectorpin_batch_pending(nint batch);
    [LibraryImport(Library)] internal static partial uint vectorpin_batch_threads(nint batch);
}

/// <summary>The layout of <c>vectorpin_batch_item</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeBatchItem
{
    /// <summary>VECTORPIN_BATCH_ITEM_VERSION: the layout below.</summary>
    public const uint LayoutVersion = 1;

    public uint Version;
    public int DType;
    public byte* PinJson;
    public nuint PinJsonLength;
    public byte* Source;
    public nuint SourceLength;
    public void* Vector;
    public nuint Dimension;
    public nint Expectations;
}

/// <summary>vectorpin_pin_field.</summary>
internal enum PinField
{
    Kid = 1,
    Model = 2,
    ModelHash = 3,
    SourceHash = 4,
    VecHash = 5,
    VecDType = 6,
    Ts = 7,
    Sig = 8,
}
