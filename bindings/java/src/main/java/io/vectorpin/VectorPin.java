package io.vectorpin;

import io.vectorpin.internal.NativeError;
import io.vectorpin.internal.NativeLoader;
import io.vectorpin.internal.VectorPinNative;

/**
 * Library-wide functions: versions, limits, hashing, base64url, timestamps
 * and public-key helpers. Every result comes from the C library.
 */
public final class VectorPin {
  private VectorPin() {}

  /**
   * The library's version, e.g. "0.1.0".
   *
   * @return the library's version as {@code major.minor.patch}
   */
  public static String version() {
    return VectorPinNative.vectorpin_version_string();
  }

  /**
   * major * 10000 + minor * 100 + patch.
   *
   * @return major * 10000 + minor * 100 + patch
   */
  public static long versionNumber() {
    return VectorPinNative.vectorpin_version_number();
  }

  /**
   * The ABI version of the loaded library (always 1: another is refused at load).
   *
   * @return the ABI version of the loaded library (always 1: another is refused at load)
   */
  public static long abiVersion() {
    return VectorPinNative.vectorpin_abi_version();
  }

  /**
   * The protocol version written by default (2).
   *
   * @return the protocol version written by default (2)
   */
  public static long protocolVersion() {
    return VectorPinNative.vectorpin_protocol_version();
  }

  /**
   * Where the native libraries were loaded from: "jar" or "java.library.path".
   *
   * @return where the native libraries were loaded from: "jar" or "java.library.path"
   */
  public static String nativeOrigin() {
    VectorPinNative.vectorpin_abi_version(); // forces loading
    return NativeLoader.origin();
  }

  /**
   * The largest pin JSON the library parses.
   *
   * @return the limit in bytes
   */
  public static long maxPinJsonBytes() {
    return VectorPinNative.vectorpin_max_pin_json_bytes();
  }

  /**
   * The memory one prepared key takes (see {@link Verifier#setPreparedKeyLimit(long)}).
   *
   * @return the size in bytes
   */
  public static long preparedKeyBytes() {
    return VectorPinNative.vectorpin_prepared_key_bytes();
  }

  /**
   * A new verifier's prepared-key limit.
   *
   * @return the most keys a new verifier prepares
   */
  public static long defaultPreparedKeyLimit() {
    return VectorPinNative.vectorpin_default_prepared_key_limit();
  }

  /**
   * The largest vector dimension a pin may carry.
   *
   * @return the limit in elements
   */
  public static long maxVectorDimension() {
    return VectorPinNative.vectorpin_max_vec_dim();
  }

  /**
   * The most {@code extra} entries a pin may carry.
   *
   * @return the limit
   */
  public static long maxExtraEntries() {
    return VectorPinNative.vectorpin_max_extra_entries();
  }

  /**
   * The longest {@code extra} key.
   *
   * @return the limit in UTF-8 bytes
   */
  public static long maxExtraKeyBytes() {
    return VectorPinNative.vectorpin_max_extra_key_bytes();
  }

  /**
   * The longest {@code extra} value.
   *
   * @return the limit in UTF-8 bytes
   */
  public static long maxExtraValueBytes() {
    return VectorPinNative.vectorpin_max_extra_value_bytes();
  }

  /**
   * The most threads a batch verification may use.
   *
   * @return the limit
   */
  public static long maxBatchThreads() {
    return VectorPinNative.vectorpin_batch_max_threads();
  }

  /**
   * "sha256:" + hex(SHA-256(UTF-8(NFC(text)))).
   *
   * @param text the text
   * @return "sha256:" + 64 hex digits
   */
  public static String hashText(String text) {
    return hashText(Native.utf8(Native.requireText(text, "text")));
  }

  /**
   * The same over UTF-8 bytes; invalid UTF-8 throws INVALID_INPUT.
   *
   * @param utf8 the text as UTF-8 bytes
   * @return "sha256:" + 64 hex digits
   */
  public static String hashText(byte[] utf8) {
    if (utf8 == null) throw new NullPointerException("text must not be null");
    String[] out = new String[1];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_hash_text(out, utf8, err), err);
    return out[0];
  }

  /**
   * The hash of a vector (float[], double[], or a direct FloatBuffer /
   * DoubleBuffer) with its elements cast to {@code dtype} ({@link Dtype#DEFAULT}:
   * the input's own type). NaN and infinities throw INVALID_INPUT.
   * @param vector a float[], double[], or a direct FloatBuffer or DoubleBuffer
   * @param dtype the element type to hash as ({@link Dtype#DEFAULT}: the input's own type)
   * @return "sha256:" + 64 hex digits
   */
  public static String hashVector(Object vector, Dtype dtype) {
    if (vector == null) throw new NullPointerException("vector must not be null");
    Object v = Native.vector(vector);
    boolean f64 = Native.isF64(vector);
    // The library wants a concrete cast target; DEFAULT (or null) means the input's own type.
    Dtype cast = dtype == null || dtype == Dtype.DEFAULT ? (f64 ? Dtype.F64 : Dtype.F32) : dtype;
    String[] out = new String[1];
    NativeError err = new NativeError();
    int rc = f64
        ? VectorPinNative.vectorpin_hash_vector_f64(out, v, cast.code(), err)
        : VectorPinNative.vectorpin_hash_vector_f32(out, v, cast.code(), err);
    Native.check(rc, err);
    return out[0];
  }

  /**
   * Raw SHA-256 (the library's implementation).
   *
   * @param data the bytes
   * @return the 32-byte digest
   */
  public static byte[] sha256(byte[] data) {
    if (data == null) throw new NullPointerException("data must not be null");
    byte[] out = new byte[32];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_sha256(out, data, err), err);
    return out;
  }

  /**
   * URL-safe base64 without padding.
   *
   * @param data the bytes
   * @return the text, URL-safe base64 without padding
   */
  public static String base64urlEncode(byte[] data) {
    if (data == null) throw new NullPointerException("data must not be null");
    byte[][] out = new byte[1][];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_base64url_encode(out, data, err), err);
    return out[0] == null ? "" : Native.text(out[0]);
  }

  /**
   * Strict decoding: padding, '+', '/', whitespace and stray bits throw INVALID_INPUT.
   *
   * @param text the text
   * @return the decoded bytes
   */
  public static byte[] base64urlDecode(String text) {
    byte[][] out = new byte[1][];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_base64url_decode(out, Native.utf8(Native.requireText(text, "text")), err), err);
    return out[0] == null ? new byte[0] : out[0];
  }

  /**
   * Throws INVALID_INPUT unless {@code ts} is a canonical YYYY-MM-DDTHH:MM:SSZ UTC date-time.
   *
   * @param ts YYYY-MM-DDTHH:MM:SSZ
   */
  public static void checkTimestamp(String ts) {
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_timestamp_check(Native.utf8(Native.requireText(ts, "ts")), err), err);
  }

  /**
   * The current UTC time in canonical form.
   *
   * @return the current UTC time as YYYY-MM-DDTHH:MM:SSZ
   */
  public static String timestampNow() {
    String[] out = new String[1];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_timestamp_now(out, err), err);
    return out[0];
  }

  /**
   * Decodes a public key given as raw 32 bytes, base64url text or an
   * RFC 8410 "PUBLIC KEY" PEM (as bytes). Weak or malformed keys throw INVALID_KEY.
   *
   * @param data the bytes
   * @return the raw 32-byte public key
   */
  public static byte[] decodePublicKey(byte[] data) {
    if (data == null) throw new NullPointerException("data must not be null");
    byte[] out = new byte[32];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_public_key_decode(out, data, err), err);
    return out;
  }

  /**
   * {@link #decodePublicKey(byte[])} for base64url or PEM text.
   *
   * @param text the text
   * @return the raw 32-byte public key
   */
  public static byte[] decodePublicKey(String text) {
    return decodePublicKey(Native.utf8(Native.requireText(text, "text")));
  }

  /**
   * "xxxx:xxxx:xxxx:xxxx" of a 32-byte public key.
   *
   * @param publicKey the raw 32-byte public key
   * @return the fingerprint, "xxxx:xxxx:xxxx:xxxx"
   */
  public static String fingerprint(byte[] publicKey) {
    if (publicKey == null) throw new NullPointerException("publicKey must not be null");
    String[] out = new String[1];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_public_key_fingerprint(out, publicKey, err), err);
    return out[0];
  }

  /**
   * RFC 8410 SubjectPublicKeyInfo PEM of a 32-byte public key.
   *
   * @param publicKey the raw 32-byte public key
   * @return the PEM text
   */
  public static String publicKeyPem(byte[] publicKey) {
    if (publicKey == null) throw new NullPointerException("publicKey must not be null");
    byte[][] out = new byte[1][];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_public_key_pem(out, publicKey, err), err);
    return Native.text(out[0]);
  }
}
