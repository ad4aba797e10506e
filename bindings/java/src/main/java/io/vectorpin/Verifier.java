package io.vectorpin;

import io.vectorpin.internal.NativeError;
import io.vectorpin.internal.VectorPinNative;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry of public keys that verifies pins.
 *
 * <p>Thread safety: verification may run on many threads at once. Adding
 * keys and changing options wait for verifications in progress and hold the
 * verifier exclusively (the C library requires it). While a
 * {@link VerificationStream} is open the keys cannot change (its workers
 * read them): those calls then throw {@link IllegalStateException}. Closing
 * the verifier closes its open streams first. After {@link #close()} every
 * method throws {@link IllegalStateException}.
 */
public final class Verifier extends NativeResource {
  private static final VerificationInput NOTHING = new VerificationInput();

  private final Set<VerificationStream> streams = ConcurrentHashMap.newKeySet();

  /** An empty registry that accepts protocol v2 only. */
  public Verifier() {
    super(create(), "verifier");
  }

  private static long create() {
    long[] out = new long[1];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_verifier_new(out, err), err);
    return out[0];
  }

  @Override
  void free(long handle) {
    for (VerificationStream s : new ArrayList<>(streams)) s.close();
    VectorPinNative.vectorpin_verifier_free(handle);
  }

  private long acquireForChange() {
    long h = acquireExclusive();
    if (!streams.isEmpty()) {
      releaseExclusive();
      throw new IllegalStateException("the verifier's keys cannot change while a VerificationStream is open");
    }
    return h;
  }

  /**
   * Registers a 32-byte public key without a validity window.
   *
   * @param kid the key id, written into every pin (NFC)
   * @param publicKey the public key: 32 raw bytes
   */
  public void addKey(String kid, byte[] publicKey) {
    addKey(kid, publicKey, null, null);
  }

  /**
   * Registers a 32-byte public key valid for pins whose {@code ts} is in
   * [validFrom, validUntil); null leaves that side unbounded. Weak keys throw
   * INVALID_KEY, a known kid DUPLICATE_KEY_ID.
   *
   * @param kid the key id, written into every pin (NFC)
   * @param publicKey the public key: 32 raw bytes
   * @param validFrom the first moment the key is valid (YYYY-MM-DDTHH:MM:SSZ), or null for no start
   * @param validUntil the last moment the key is valid (YYYY-MM-DDTHH:MM:SSZ), or null for no end
   */
  public void addKey(String kid, byte[] publicKey, String validFrom, String validUntil) {
    byte[] k = Native.utf8(Native.requireText(kid, "kid"));
    if (publicKey == null) throw new NullPointerException("publicKey must not be null");
    long h = acquireForChange();
    try {
      NativeError err = new NativeError();
      Native.check(VectorPinNative.vectorpin_verifier_add_key(
          h, k, publicKey, Native.utf8(validFrom), Native.utf8(validUntil), err), err);
    } finally {
      releaseExclusive();
    }
  }

  /**
   * Registers a key given as base64url text or PEM.
   *
   * @param kid the key id, written into every pin (NFC)
   * @param publicKey the public key as base64url text or PEM
   */
  public void addKey(String kid, String publicKey) {
    addKey(kid, VectorPin.decodePublicKey(Native.requireText(publicKey, "publicKey")), null, null);
  }

  /**
   * Adds every key of a registry document
   * ({@code {"kid": {"public_key": ..., "valid_from": ..., "valid_until": ...}}}),
   * all or nothing.
   *
   * @param json the registry JSON: {"kid": {"public_key": ..., "valid_from": ..., "valid_until": ...}}
   */
  public void loadRegistry(String json) {
    byte[] j = Native.utf8(Native.requireText(json, "json"));
    long h = acquireForChange();
    try {
      NativeError err = new NativeError();
      Native.check(VectorPinNative.vectorpin_verifier_load_registry(h, j, err), err);
    } finally {
      releaseExclusive();
    }
  }

  /**
   * Accept legacy protocol v1 pins (off by default).
   *
   * @param enabled true to accept protocol 1 pins
   */
  public void setLegacyV1(boolean enabled) {
    long h = acquireForChange();
    try {
      NativeError err = new NativeError();
      Native.check(VectorPinNative.vectorpin_verifier_set_legacy_v1(h, enabled ? 1 : 0, err), err);
    } finally {
      releaseExclusive();
    }
  }

  /**
   * The number of registered keys.
   *
   * @return the count
   */
  public int keyCount() {
    long h = acquire();
    try {
      return (int) VectorPinNative.vectorpin_verifier_key_count(h);
    } finally {
      release();
    }
  }

  /**
   * Sets how many of this verifier's keys may get a table that makes their
   * later verifications several times faster ({@link VectorPin#preparedKeyBytes()}
   * each, built on a key's first use, kept until the verifier is closed).
   * Keys past the limit verify without one, with the same answers, more
   * slowly. The default is {@link VectorPin#defaultPreparedKeyLimit()}. A
   * limit applies to tables built afterwards: lowering it frees nothing. It
   * may be set while other threads verify.
   *
   * @param limit the most keys to prepare; 0 prepares none
   */
  public void setPreparedKeyLimit(long limit) {
    if (limit < 0) throw new IllegalArgumentException("the prepared-key limit must be >= 0");
    long h = acquire();
    try {
      NativeError err = new NativeError();
      Native.check(VectorPinNative.vectorpin_verifier_set_prepared_key_limit(h, limit, err), err);
    } finally {
      release();
    }
  }

  /**
   * The limit {@link #setPreparedKeyLimit(long)} sets.
   *
   * @return the most keys this verifier prepares
   */
  public long preparedKeyLimit() {
    long h = acquire();
    try {
      return VectorPinNative.vectorpin_verifier_prepared_key_limit(h);
    } finally {
      release();
    }
  }

  /**
   * The number of keys prepared so far.
   *
   * @return the count
   */
  public long preparedKeyCount() {
    long h = acquire();
    try {
      return VectorPinNative.vectorpin_verifier_prepared_key_count(h);
    } finally {
      release();
    }
  }

  /**
   * Checks version, key, validity window and signature only.
   *
   * @param pin the pin to verify
   * @return the outcome: OK or the first check that failed
   */
  public VerificationResult verify(Pin pin) {
    return verify(pin, NOTHING);
  }

  /**
   * Also checks the source text and the vector.
   *
   * @param pin the pin to verify
   * @param source the source text, or null not to check it
   * @param vector the vector, or null not to check it
   * @return these inputs, for chaining
   */
  public VerificationResult verify(Pin pin, String source, float[] vector) {
    return verify(pin, new VerificationInput().source(source).vector(vector));
  }

  /**
   * Also checks the source text and the vector.
   *
   * @param pin the pin to verify
   * @param source the source text, or null not to check it
   * @param vector the vector, or null not to check it
   * @return these inputs, for chaining
   */
  public VerificationResult verify(Pin pin, String source, double[] vector) {
    return verify(pin, new VerificationInput().source(source).vector(vector));
  }

  /**
   * Verifies a pin in the protocol's order; the first failure is the result.
   *
   * @param pin the pin to verify
   * @param input what to check the pin against (null: the signature only)
   * @return the outcome: OK or the first check that failed
   */
  public VerificationResult verify(Pin pin, VerificationInput input) {
    if (pin == null) throw new NullPointerException("pin must not be null");
    if (input == null) input = NOTHING;
    Object vector = input.vectorArg();
    byte[] source = input.sourceArg();
    long expectations = input.expectationsToNative();
    long h = acquire();
    try {
      long p = pin.acquire();
      try {
        NativeError err = new NativeError();
        int rc = input.vectorIsF64()
            ? VectorPinNative.vectorpin_verify_f64(h, p, source, vector, expectations, err)
            : VectorPinNative.vectorpin_verify_f32(h, p, source, vector, expectations, err);
        return result(rc, err);
      } finally {
        pin.release();
      }
    } finally {
      release();
      if (expectations != 0) VectorPinNative.vectorpin_expectations_free(expectations);
    }
  }

  /**
   * Verifies pin JSON (signature only); parse failures are results too.
   *
   * @param pinJson the pin JSON
   * @return the outcome: OK or the first check that failed
   */
  public VerificationResult verifyJson(String pinJson) {
    return verifyJson(pinJson, NOTHING);
  }

  /**
   * Verifies pin JSON against the given inputs; parse failures are results too.
   *
   * @param pinJson the pin JSON
   * @param input what to check the pin against (null: the signature only)
   * @return the outcome: OK or the first check that failed
   */
  public VerificationResult verifyJson(String pinJson, VerificationInput input) {
    return verifyJson(Native.utf8(Native.requireText(pinJson, "pinJson")), input);
  }

  /**
   * Verifies pin JSON given as raw bytes (not necessarily valid UTF-8).
   *
   * @param pinJson the pin JSON
   * @param input what to check the pin against (null: the signature only)
   * @return the outcome: OK or the first check that failed
   */
  public VerificationResult verifyJson(byte[] pinJson, VerificationInput input) {
    if (pinJson == null) throw new NullPointerException("pinJson must not be null");
    if (input == null) input = NOTHING;
    Object vector = input.vectorArg();
    byte[] source = input.sourceArg();
    long expectations = input.expectationsToNative();
    long h = acquire();
    try {
      NativeError err = new NativeError();
      int rc = input.vectorIsF64()
          ? VectorPinNative.vectorpin_verify_json_f64(h, pinJson, source, vector, expectations, err)
          : VectorPinNative.vectorpin_verify_json_f32(h, pinJson, source, vector, expectations, err);
      return result(rc, err);
    } finally {
      release();
      if (expectations != 0) VectorPinNative.vectorpin_expectations_free(expectations);
    }
  }

  static VerificationResult result(int rc, NativeError err) {
    if (rc >= 100 && rc != err.code) {
      // A call-level failure without a filled error: still a result.
      return new VerificationResult(rc, "", -1);
    }
    return new VerificationResult(rc, rc == 0 ? "" : err.messageText(), rc == 0 ? -1 : err.offset);
  }

  /**
   * Verifies many pins on {@code threads} native threads (0: one per core,
   * 1: only the calling thread) and returns one result per item, in order,
   * exactly as {@link #verifyJson(byte[], VerificationInput)} would give them
   * one at a time. Direct-buffer vectors are read in place; heap arrays are
   * lent through JNI, which may copy them for the duration of the call.
   * @param items the pins and their inputs
   * @param threads native worker threads (0: one per core)
   * @return one result per item, in the items' order
   */
  public List<VerificationResult> verifyBatch(List<BatchItem> items, int threads) {
    if (items == null) throw new NullPointerException("items must not be null");
    if (threads < 0) throw new IllegalArgumentException("threads must be >= 0");
    int n = items.size();
    Object[] pins = new Object[n];
    Object[] sources = new Object[n];
    Object[] vectors = new Object[n];
    long[] expectations = new long[n];
    int[] codes = new int[n];
    long[] offsets = new long[n];
    Object[] messages = new Object[n];
    // One native expectations object per distinct input: items sharing an
    // input share it, as the C API allows.
    Map<VerificationInput, Long> made = new IdentityHashMap<>();
    try {
      for (int i = 0; i < n; i++) {
        BatchItem item = items.get(i);
        if (item == null) throw new NullPointerException("batch item " + i + " is null");
        VerificationInput in = item.input();
        pins[i] = item.pinJson();
        sources[i] = in.sourceArg();
        vectors[i] = in.vectorArg();
        Long e = made.get(in);
        if (e == null) {
          e = in.expectationsToNative();
          made.put(in, e);
        }
        expectations[i] = e;
      }
      long h = acquire();
      try {
        NativeError err = new NativeError();
        int rc = VectorPinNative.vpj_verify_batch(h, pins, sources, vectors, expectations, threads, codes, offsets,
            messages, err);
        Native.check(rc, err);
      } finally {
        release();
      }
    } finally {
      for (long e : made.values()) {
        if (e != 0) VectorPinNative.vectorpin_expectations_free(e);
      }
    }
    List<VerificationResult> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String message = messages[i] == null ? "" : Native.text((byte[]) messages[i]);
      out.add(new VerificationResult(codes[i], message, codes[i] == 0 ? -1 : offsets[i]));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Opens a stream: submit pins one at a time and collect results in
   * submission order, with {@code threads} native workers (0: one per core).
   * The stream must be closed; the verifier's keys cannot change while it is open.
   * @param threads native worker threads (0: one per core)
   * @return an open stream; close it when done
   */
  public VerificationStream openStream(int threads) {
    if (threads < 0) throw new IllegalArgumentException("threads must be >= 0");
    long h = acquire();
    try {
      long[] out = new long[1];
      NativeError err = new NativeError();
      Native.check(VectorPinNative.vectorpin_batch_new(out, h, threads, err), err);
      VerificationStream s = new VerificationStream(out[0], this);
      streams.add(s);
      return s;
    } finally {
      release();
    }
  }

  void forget(VerificationStream s) {
    streams.remove(s);
  }
}
