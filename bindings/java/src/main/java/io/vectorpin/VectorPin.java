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

  /** The library's version, e.g. "0.1.0". */
  public static String version() {
    return VectorPinNative.vectorpin_version_string();
  }

  /** major * 10000 + minor * 100 + patch. */
  public static long versionNumber() {
    return VectorPinNative.vectorpin_version_number();
  }

  /** The ABI version of the loaded library (always 1: another is refused at load). */
  public static long abiVersion() {
    return VectorPinNative.vectorpin_abi_version();
  }

  /** The protocol version written by default (2). */
  public static long protocolVersion() {
    return VectorPinNative.vectorpin_protocol_version();
  }

  /** Where the native libraries were loaded from: "jar" or "java.library.path". */
  public static String nativeOrigin() {
    VectorPinNative.vectorpin_abi_version(); // forces loading
    return NativeLoader.origin();
  }

  public static long maxPinJsonBytes() {
    return VectorPinNative.vectorpin_max_pin_json_bytes();
  }

  public static long maxVectorDimension() {
    return VectorPinNative.vectorpin_max_vec_dim();
  }

  public static long maxExtraEntries() {
    return VectorPinNative.vectorpin_max_extra_entries();
  }

  public static long maxExtraKeyBytes() {
    return VectorPinNative.vectorpin_max_extra_key_bytes();
  }

  public static long maxExtraValueBytes() {
    return VectorPinNative.vectorpin_max_extra_value_bytes();
  }

  public static long maxBatchThreads() {
    return VectorPinNative.vectorpin_batch_max_threads();
  }

  /** "sha256:" + hex(SHA-256(UTF-8(NFC(text)))). */
  public static String hashText(String text) {
    return hashText(Native.utf8(Native.requireText(text, "text")));
  }

  /** The same over UTF-8 bytes; invalid UTF-8 throws INVALID_INPUT. */
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

  /** Raw SHA-256 (the library's implementation). */
  public static byte[] sha256(byte[] data) {
    if (data == null) throw new NullPointerException("data must not be null");
    byte[] out = new byte[32];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_sha256(out, data, err), err);
    return out;
  }

  /** URL-safe base64 without padding. */
  public static String base64urlEncode(byte[] data) {
    if (data == null) throw new NullPointerException("data must not be null");
    byte[][] out = new byte[1][];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_base64url_encode(out, data, err), err);
    return out[0] == null ? "" : Native.text(out[0]);
  }

  /** Strict decoding: padding, '+', '/', whitespace and stray bits throw INVALID_INPUT. */
  public static byte[] base64urlDecode(String text) {
    byte[][] out = new byte[1][];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_base64url_decode(out, Native.utf8(Native.requireText(text, "text")), err), err);
    return out[0] == null ? new byte[0] : out[0];
  }

  /** Throws INVALID_INPUT unless {@code ts} is a canonical YYYY-MM-DDTHH:MM:SSZ UTC date-time. */
  public static void checkTimestamp(String ts) {
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_timestamp_check(Native.utf8(Native.requireText(ts, "ts")), err), err);
  }

  /** The current UTC time in canonical form. */
  public static String timestampNow() {
    String[] out = new String[1];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_timestamp_now(out, err), err);
    return out[0];
  }

  /**
   * Decodes a public key given as raw 32 bytes, base64url text or an
   * RFC 8410 "PUBLIC KEY" PEM (as bytes). Weak or malformed keys throw INVALID_KEY.
   */
  public static byte[] decodePublicKey(byte[] data) {
    if (data == null) throw new NullPointerException("data must not be null");
    byte[] out = new byte[32];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_public_key_decode(out, data, err), err);
    return out;
  }

  /** {@link #decodePublicKey(byte[])} for base64url or PEM text. */
  public static byte[] decodePublicKey(String text) {
    return decodePublicKey(Native.utf8(Native.requireText(text, "text")));
  }

  /** "xxxx:xxxx:xxxx:xxxx" of a 32-byte public key. */
  public static String fingerprint(byte[] publicKey) {
    if (publicKey == null) throw new NullPointerException("publicKey must not be null");
    String[] out = new String[1];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_public_key_fingerprint(out, publicKey, err), err);
    return out[0];
  }

  /** RFC 8410 SubjectPublicKeyInfo PEM of a 32-byte public key. */
  public static String publicKeyPem(byte[] publicKey) {
    if (publicKey == null) throw new NullPointerException("publicKey must not be null");
    byte[][] out = new byte[1][];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_public_key_pem(out, publicKey, err), err);
    return Native.text(out[0]);
  }
}
