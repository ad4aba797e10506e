package io.vectorpin;

import io.vectorpin.internal.NativeError;
import io.vectorpin.internal.SignCallback;
import io.vectorpin.internal.VectorPinNative;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * Makes pins with one Ed25519 key. Thread-safe: one signer may make pins on
 * many threads at once. Key material is wiped when the signer is closed;
 * after {@link #close()} every method throws {@link IllegalStateException}.
 */
public final class Signer extends NativeResource {
  private final long callbackContext;

  private Signer(long handle, long callbackContext) {
    super(handle, "signer");
    this.callbackContext = callbackContext;
  }

  private static Signer created(int rc, long[] out, NativeError err) {
    Native.check(rc, err);
    return new Signer(out[0], 0);
  }

  /**
   * A fresh key from the operating system's CSPRNG.
   *
   * @param kid the key id, written into every pin (NFC)
   * @return a signer with a fresh key from the operating system's CSPRNG
   */
  public static Signer generate(String kid) {
    long[] out = new long[1];
    NativeError err = new NativeError();
    return created(VectorPinNative.vectorpin_signer_generate(out, Native.utf8(Native.requireText(kid, "kid")), err), out, err);
  }

  /**
   * From a 32-byte Ed25519 seed; the library keeps its own copy, so the caller may wipe {@code seed}.
   *
   * @param kid the key id, written into every pin (NFC)
   * @param seed the 32-byte Ed25519 seed
   * @return a signer holding a copy of the seed
   */
  public static Signer fromSeed(String kid, byte[] seed) {
    if (seed == null) throw new NullPointerException("seed must not be null");
    long[] out = new long[1];
    NativeError err = new NativeError();
    return created(VectorPinNative.vectorpin_signer_from_seed(out, Native.utf8(Native.requireText(kid, "kid")), seed, err), out, err);
  }

  /**
   * From the contents of a private key file: a raw 32-byte seed or an RFC 8410 PKCS#8 PEM.
   *
   * @param kid the key id, written into every pin (NFC)
   * @param keyData the contents of a private key file
   * @return a signer holding the key
   */
  public static Signer fromPrivateKey(String kid, byte[] keyData) {
    if (keyData == null) throw new NullPointerException("keyData must not be null");
    long[] out = new long[1];
    NativeError err = new NativeError();
    return created(VectorPinNative.vectorpin_signer_from_private_key(
        out, Native.utf8(Native.requireText(kid, "kid")), keyData, err), out, err);
  }

  /**
   * Reads a private key file (raw or PEM). A file that group or others may
   * access is refused with {@link Status#INSECURE_PERMISSIONS} unless
   * {@code allowInsecurePermissions} is true.
   * @param kid the key id, written into every pin (NFC)
   * @param file the private key file
   * @param allowInsecurePermissions true to accept a key file that group or others may access
   * @return a signer holding the key
   */
  public static Signer load(String kid, Path file, boolean allowInsecurePermissions) {
    if (file == null) throw new NullPointerException("file must not be null");
    long[] out = new long[1];
    NativeError err = new NativeError();
    long flags = allowInsecurePermissions ? VectorPinNative.VECTORPIN_LOAD_ALLOW_INSECURE_PERMISSIONS : 0;
    return created(VectorPinNative.vectorpin_signer_load_file(
        out, Native.utf8(Native.requireText(kid, "kid")), Native.utf8(file.toString()), flags, err), out, err);
  }

  /**
   * {@link #load(String, Path, boolean)} refusing insecure permissions.
   *
   * @param kid the key id, written into every pin (NFC)
   * @param file the private key file
   * @return a signer holding the key
   */
  public static Signer load(String kid, Path file) {
    return load(kid, file, false);
  }

  /**
   * A signer whose private key lives elsewhere; {@code backend} is called
   * for every signature and each is checked against {@code publicKey}.
   * @param kid the key id, written into every pin (NFC)
   * @param publicKey the raw 32-byte public key the backend signs for
   * @param backend produces the signatures
   * @return a signer that calls {@code backend} for every signature
   */
  public static Signer external(String kid, byte[] publicKey, ExternalSigner backend) {
    if (publicKey == null) throw new NullPointerException("publicKey must not be null");
    if (backend == null) throw new NullPointerException("backend must not be null");
    SignCallback callback = message -> {
      try {
        return backend.sign(message);
      } catch (Exception | Error e) {
        // Reported to the library as a failed signature; the pin call then
        // throws EXTERNAL_SIGNER_FAILED.
        return null;
      }
    };
    long context = VectorPinNative.vpj_callback_new(callback);
    long[] out = new long[1];
    NativeError err = new NativeError();
    int rc = VectorPinNative.vpj_signer_external(out, Native.utf8(Native.requireText(kid, "kid")), publicKey, context, err);
    if (rc != 0) {
      VectorPinNative.vpj_callback_free(context);
      Native.check(rc, err);
    }
    return new Signer(out[0], context);
  }

  @Override
  void free(long handle) {
    VectorPinNative.vectorpin_signer_free(handle);
    if (callbackContext != 0) VectorPinNative.vpj_callback_free(callbackContext);
  }

  /**
   * The key id (NFC form).
   *
   * @return the key id (NFC form)
   */
  public String kid() {
    long h = acquire();
    try {
      byte[][] out = new byte[1][];
      NativeError err = new NativeError();
      Native.check(VectorPinNative.vectorpin_signer_kid(h, out, err), err);
      return Native.text(out[0]);
    } finally {
      release();
    }
  }

  /**
   * The raw 32-byte public key.
   *
   * @return the raw 32-byte public key
   */
  public byte[] publicKey() {
    long h = acquire();
    try {
      byte[] out = new byte[32];
      NativeError err = new NativeError();
      Native.check(VectorPinNative.vectorpin_signer_public_key(h, out, err), err);
      return out;
    } finally {
      release();
    }
  }

  /**
   * The public key as base64url text, as registries and the interop files carry it.
   *
   * @return the public key as base64url text, as registries and the interop files carry it
   */
  public String publicKeyBase64() {
    return VectorPin.base64urlEncode(publicKey());
  }

  /**
   * The public key as RFC 8410 SubjectPublicKeyInfo PEM.
   *
   * @return the public key as RFC 8410 SubjectPublicKeyInfo PEM
   */
  public String publicKeyPem() {
    return VectorPin.publicKeyPem(publicKey());
  }

  /**
   * "xxxx:xxxx:xxxx:xxxx".
   *
   * @return the fingerprint, "xxxx:xxxx:xxxx:xxxx"
   */
  public String fingerprint() {
    long h = acquire();
    try {
      String[] out = new String[1];
      NativeError err = new NativeError();
      Native.check(VectorPinNative.vectorpin_signer_fingerprint(h, out, err), err);
      return out[0];
    } finally {
      release();
    }
  }

  /**
   * Writes {@code <dir>/<kid>.priv} (0600, never overwritten) and
   * {@code <dir>/<kid>.pub}, raw 32-byte files (the upstream CLI format) or
   * PKCS#8 / SPKI PEM when {@code pem} is true. Existing files throw
   * {@link Status#FILE_EXISTS}; external signers throw {@link Status#INVALID_ARGUMENT}.
   *
   * @param dir the directory to write ID.priv and ID.pub into
   * @param pem true for PKCS#8 / SubjectPublicKeyInfo PEM, false for raw bytes
   */
  public void save(Path dir, boolean pem) {
    if (dir == null) throw new NullPointerException("dir must not be null");
    long h = acquire();
    try {
      NativeError err = new NativeError();
      Native.check(VectorPinNative.vectorpin_signer_save(
          h, Native.utf8(dir.toString()), pem ? VectorPinNative.VECTORPIN_SAVE_PEM : 0, err), err);
    } finally {
      release();
    }
  }

  /**
   * {@link #save(Path, boolean)} in the raw format.
   *
   * @param dir the directory to write ID.priv and ID.pub into
   */
  public void save(Path dir) {
    save(dir, false);
  }

  /**
   * Pins a float32 vector with the default options.
   *
   * @param source the source text the vector was made from
   * @param model the name of the model that made the vector
   * @param vector the embedding
   * @return the pin; close it when done
   */
  public Pin pin(String source, String model, float[] vector) {
    return pinAny(source, model, vector, null);
  }

  /**
   * Pins a float32 vector.
   *
   * @param source the source text the vector was made from
   * @param model the name of the model that made the vector
   * @param vector the embedding
   * @param options optional fields of the pin (null: the defaults)
   * @return the pin; close it when done
   */
  public Pin pin(String source, String model, float[] vector, PinOptions options) {
    return pinAny(source, model, vector, options);
  }

  /**
   * Pins a float64 vector with the default options.
   *
   * @param source the source text the vector was made from
   * @param model the name of the model that made the vector
   * @param vector the embedding
   * @return the pin; close it when done
   */
  public Pin pin(String source, String model, double[] vector) {
    return pinAny(source, model, vector, null);
  }

  /**
   * Pins a float64 vector.
   *
   * @param source the source text the vector was made from
   * @param model the name of the model that made the vector
   * @param vector the embedding
   * @param options optional fields of the pin (null: the defaults)
   * @return the pin; close it when done
   */
  public Pin pin(String source, String model, double[] vector, PinOptions options) {
    return pinAny(source, model, vector, options);
  }

  /**
   * From a direct buffer (its remaining elements, read in place) or a buffer over a whole array.
   *
   * @param source the source text the vector was made from
   * @param model the name of the model that made the vector
   * @param vector the embedding (a direct buffer is read in place)
   * @param options optional fields of the pin (null: the defaults)
   * @return these inputs, for chaining
   */
  public Pin pin(String source, String model, FloatBuffer vector, PinOptions options) {
    return pinAny(source, model, vector, options);
  }

  /**
   * From a direct buffer (its remaining elements, read in place) or a buffer over a whole array.
   *
   * @param source the source text the vector was made from
   * @param model the name of the model that made the vector
   * @param vector the embedding (a direct buffer is read in place)
   * @param options optional fields of the pin (null: the defaults)
   * @return these inputs, for chaining
   */
  public Pin pin(String source, String model, DoubleBuffer vector, PinOptions options) {
    return pinAny(source, model, vector, options);
  }

  private Pin pinAny(String source, String model, Object vector, PinOptions options) {
    Native.requireText(source, "source");
    Native.requireText(model, "model");
    if (vector == null) throw new NullPointerException("vector must not be null");
    Object v = Native.vector(vector);
    long h = acquire();
    long opts = 0;
    try {
      if (options != null) opts = options.toNative();
      long[] out = new long[1];
      NativeError err = new NativeError();
      byte[] src = Native.utf8(source);
      byte[] mdl = Native.utf8(model);
      int rc = Native.isF64(vector)
          ? VectorPinNative.vectorpin_signer_pin_f64(h, out, src, mdl, v, opts, err)
          : VectorPinNative.vectorpin_signer_pin_f32(h, out, src, mdl, v, opts, err);
      Native.check(rc, err);
      return new Pin(out[0]);
    } finally {
      if (opts != 0) VectorPinNative.vectorpin_pin_options_free(opts);
      release();
    }
  }
}
