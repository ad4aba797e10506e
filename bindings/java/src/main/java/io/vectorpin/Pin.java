package io.vectorpin;

import io.vectorpin.internal.NativeError;
import io.vectorpin.internal.VectorPinNative;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed or freshly made pin. Immutable and safe to share between threads;
 * after {@link #close()} every method throws {@link IllegalStateException}.
 * Parsing checks every rule of the wire form but not the signature: use a
 * {@link Verifier}.
 */
public final class Pin extends NativeResource {
  private static final int FIELD_KID = 1;
  private static final int FIELD_MODEL = 2;
  private static final int FIELD_MODEL_HASH = 3;
  private static final int FIELD_SOURCE_HASH = 4;
  private static final int FIELD_VEC_HASH = 5;
  private static final int FIELD_VEC_DTYPE = 6;
  private static final int FIELD_TS = 7;
  private static final int FIELD_SIG = 8;

  Pin(long handle) {
    super(handle, "pin");
  }

  @Override
  void free(long handle) {
    VectorPinNative.vectorpin_pin_free(handle);
  }

  /**
   * Parses pin JSON; refusals throw PARSE_ERROR or UNSUPPORTED_VERSION.
   *
   * @param json the pin JSON
   * @return the parsed pin; close it when done
   */
  public static Pin parse(String json) {
    return parse(Native.utf8(Native.requireText(json, "json")));
  }

  /**
   * Parses pin JSON given as raw bytes (which need not be valid UTF-8: that is a PARSE_ERROR).
   *
   * @param json the pin JSON
   * @return the parsed pin; close it when done
   */
  public static Pin parse(byte[] json) {
    if (json == null) throw new NullPointerException("json must not be null");
    long[] out = new long[1];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_pin_parse(out, json, err), err);
    return new Pin(out[0]);
  }

  /**
   * The wire form: keys in byte order, no whitespace, raw UTF-8.
   *
   * @return the wire form: keys in byte order, no whitespace, raw UTF-8
   */
  public String toJson() {
    return Native.text(toJsonBytes());
  }

  /**
   * The wire form as UTF-8 bytes.
   *
   * @return the bytes of {@link #toJson()}
   */
  public byte[] toJsonBytes() {
    long h = acquire();
    try {
      byte[][] out = new byte[1][];
      NativeError err = new NativeError();
      Native.check(VectorPinNative.vectorpin_pin_to_json(h, out, err), err);
      return out[0];
    } finally {
      release();
    }
  }

  /**
   * The exact bytes the signature covers, for this pin's protocol version.
   *
   * @return the exact bytes the signature covers, for this pin's protocol version
   */
  public byte[] signedBytes() {
    long h = acquire();
    try {
      byte[][] out = new byte[1][];
      NativeError err = new NativeError();
      Native.check(VectorPinNative.vectorpin_pin_signed_bytes(h, out, err), err);
      return out[0] == null ? new byte[0] : out[0];
    } finally {
      release();
    }
  }

  private String field(int which) {
    long h = acquire();
    try {
      byte[][] out = new byte[1][];
      NativeError err = new NativeError();
      int rc = VectorPinNative.vectorpin_pin_get(h, out, which, err);
      if (rc == Status.NOT_FOUND.code()) return null;
      Native.check(rc, err);
      return out[0] == null ? "" : Native.text(out[0]);
    } finally {
      release();
    }
  }

  /**
   * The key id.
   *
   * @return the {@code kid} field
   */
  public String kid() {
    return field(FIELD_KID);
  }

  /**
   * The model's name.
   *
   * @return the {@code model} field
   */
  public String model() {
    return field(FIELD_MODEL);
  }

  /**
   * The optional model hash.
   *
   * @return the optional model hash
   */
  public Optional<String> modelHash() {
    return Optional.ofNullable(field(FIELD_MODEL_HASH));
  }

  /**
   * The hash of the source text.
   *
   * @return the {@code source_hash} field, "sha256:" + 64 hex digits
   */
  public String sourceHash() {
    return field(FIELD_SOURCE_HASH);
  }

  /**
   * The hash of the vector's elements.
   *
   * @return the {@code vec_hash} field, "sha256:" + 64 hex digits
   */
  public String vecHash() {
    return field(FIELD_VEC_HASH);
  }

  /**
   * The {@code vec_dtype} field: F32 or F64.
   *
   * @return the {@code vec_dtype} field: F32 or F64
   */
  public Dtype vecDtype() {
    long h = acquire();
    try {
      return Dtype.fromCode(VectorPinNative.vectorpin_pin_dtype(h));
    } finally {
      release();
    }
  }

  /**
   * The {@code vec_dtype} field as written ("f32" / "f64").
   *
   * @return the {@code vec_dtype} field as written ("f32" / "f64")
   */
  public String vecDtypeName() {
    return field(FIELD_VEC_DTYPE);
  }

  /**
   * When the pin was made.
   *
   * @return the {@code ts} field, YYYY-MM-DDTHH:MM:SSZ
   */
  public String timestamp() {
    return field(FIELD_TS);
  }

  /**
   * The signature as base64url text, as in the JSON.
   *
   * @return the signature as base64url text, as in the JSON
   */
  public String signatureBase64() {
    return field(FIELD_SIG);
  }

  /**
   * The raw 64-byte signature.
   *
   * @return the raw 64-byte signature
   */
  public byte[] signature() {
    long h = acquire();
    try {
      byte[] out = new byte[64];
      NativeError err = new NativeError();
      Native.check(VectorPinNative.vectorpin_pin_signature(h, out, err), err);
      return out;
    } finally {
      release();
    }
  }

  /**
   * Protocol version: 1 or 2.
   *
   * @return protocol version: 1 or 2
   */
  public int version() {
    long h = acquire();
    try {
      return VectorPinNative.vectorpin_pin_version(h);
    } finally {
      release();
    }
  }

  /**
   * The vector's number of elements.
   *
   * @return the {@code vec_dim} field
   */
  public int vecDim() {
    long h = acquire();
    try {
      return (int) VectorPinNative.vectorpin_pin_vec_dim(h);
    } finally {
      release();
    }
  }

  /**
   * Every {@code extra} entry, in key byte order (read-only).
   *
   * @return every {@code extra} entry, in key byte order (read-only)
   */
  public Map<String, String> extras() {
    long h = acquire();
    try {
      int n = (int) VectorPinNative.vectorpin_pin_extra_count(h);
      Map<String, String> out = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        byte[][] key = new byte[1][];
        byte[][] value = new byte[1][];
        NativeError err = new NativeError();
        Native.check(VectorPinNative.vectorpin_pin_extra_at(h, key, value, i, err), err);
        out.put(key[0] == null ? "" : Native.text(key[0]), value[0] == null ? "" : Native.text(value[0]));
      }
      return Collections.unmodifiableMap(out);
    } finally {
      release();
    }
  }

  /**
   * One {@code extra} value.
   *
   * @param key the entry's key
   * @return one {@code extra} value
   */
  public Optional<String> extra(String key) {
    byte[] k = Native.utf8(Native.requireText(key, "key"));
    long h = acquire();
    try {
      byte[][] out = new byte[1][];
      NativeError err = new NativeError();
      int rc = VectorPinNative.vectorpin_pin_extra_get(h, out, k, err);
      if (rc == Status.NOT_FOUND.code()) return Optional.empty();
      Native.check(rc, err);
      return Optional.of(out[0] == null ? "" : Native.text(out[0]));
    } finally {
      release();
    }
  }

  @Override
  public String toString() {
    return isClosed() ? "Pin(closed)" : toJson();
  }
}
