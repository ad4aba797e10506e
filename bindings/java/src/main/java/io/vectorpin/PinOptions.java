package io.vectorpin;

import io.vectorpin.internal.NativeError;
import io.vectorpin.internal.VectorPinNative;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Optional settings for {@link Signer#pin}: protocol version, the dtype the
 * vector is hashed as, model hash, timestamp and {@code extra} entries. A
 * plain Java builder (nothing native to close); the library checks the
 * values when a pin is made and refuses bad ones with a
 * {@link VectorPinException}. Not thread-safe while being changed.
 */
public final class PinOptions {
  /** {@code extra} key binding a pin to a record. */
  public static final String RECORD_ID = "vectorpin.record_id";
  /** {@code extra} key binding a pin to a collection. */
  public static final String COLLECTION_ID = "vectorpin.collection_id";
  /** {@code extra} key binding a pin to a tenant. */
  public static final String TENANT_ID = "vectorpin.tenant_id";

  private int protocol;
  private Dtype dtype = Dtype.DEFAULT;
  private String modelHash;
  private String timestamp;
  private final Map<String, String> extra = new LinkedHashMap<>();

  /** Options that change nothing: protocol 2, the input's dtype, no model hash, the time of signing, no extra entries. */
  public PinOptions() {}

  /**
   * 2 (the default) or 1 (legacy).
   *
   * @param version 1 or 2
   * @return 2 (the default) or 1 (legacy)
   */
  public PinOptions protocol(int version) {
    this.protocol = version;
    return this;
  }

  /**
   * The dtype the vector is hashed as (default: the input's element type).
   *
   * @param dtype the element type to hash as
   * @return the dtype the vector is hashed as (default: the input's element type)
   */
  public PinOptions dtype(Dtype dtype) {
    this.dtype = dtype == null ? Dtype.DEFAULT : dtype;
    return this;
  }

  /**
   * "sha256:" + 64 hex digits.
   *
   * @param modelHash the model hash to sign, or null for none
   * @return "sha256:" + 64 hex digits
   */
  public PinOptions modelHash(String modelHash) {
    this.modelHash = modelHash;
    return this;
  }

  /**
   * Canonical YYYY-MM-DDTHH:MM:SSZ; default: the time of signing.
   *
   * @param ts YYYY-MM-DDTHH:MM:SSZ
   * @return these options, for chaining
   */
  public PinOptions timestamp(String ts) {
    this.timestamp = ts;
    return this;
  }

  /**
   * Adds or replaces one {@code extra} entry.
   *
   * @param key the entry's key
   * @param value the entry's value
   * @return these options, for chaining
   */
  public PinOptions extra(String key, String value) {
    extra.put(Native.requireText(key, "key"), Native.requireText(value, "value"));
    return this;
  }

  /**
   * Binds the pin to a record: sets the reserved {@code vectorpin.record_id} entry.
   *
   * @param id the record's id
   * @return these options, for chaining
   */
  public PinOptions recordId(String id) {
    return extra(RECORD_ID, id);
  }

  /**
   * Binds the pin to a collection: sets the reserved {@code vectorpin.collection_id} entry.
   *
   * @param id the collection's id
   * @return these options, for chaining
   */
  public PinOptions collectionId(String id) {
    return extra(COLLECTION_ID, id);
  }

  /**
   * Binds the pin to a tenant: sets the reserved {@code vectorpin.tenant_id} entry.
   *
   * @param id the tenant's id
   * @return these options, for chaining
   */
  public PinOptions tenantId(String id) {
    return extra(TENANT_ID, id);
  }

  /**
   * The entries set so far (read-only view).
   *
   * @return the entries set so far (read-only view)
   */
  public Map<String, String> extras() {
    return Collections.unmodifiableMap(extra);
  }

  /** A native options object holding these settings; the caller frees it. */
  long toNative() {
    long[] out = new long[1];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_pin_options_new(out, err), err);
    long h = out[0];
    try {
      if (protocol != 0) Native.check(VectorPinNative.vectorpin_pin_options_set_protocol(h, protocol, err), err);
      if (dtype != Dtype.DEFAULT) Native.check(VectorPinNative.vectorpin_pin_options_set_dtype(h, dtype.code(), err), err);
      if (modelHash != null) {
        Native.check(VectorPinNative.vectorpin_pin_options_set_model_hash(h, Native.utf8(modelHash), err), err);
      }
      if (timestamp != null) {
        Native.check(VectorPinNative.vectorpin_pin_options_set_timestamp(h, Native.utf8(timestamp), err), err);
      }
      for (Map.Entry<String, String> e : extra.entrySet()) {
        Native.check(VectorPinNative.vectorpin_pin_options_set_extra(
            h, Native.utf8(e.getKey()), Native.utf8(e.getValue()), err), err);
      }
      return h;
    } catch (RuntimeException e) {
      VectorPinNative.vectorpin_pin_options_free(h);
      throw e;
    }
  }
}
