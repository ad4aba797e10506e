package io.vectorpin;

import io.vectorpin.internal.NativeError;
import io.vectorpin.internal.VectorPinNative;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * What a pin is checked against besides its signature: the source text, the
 * vector, and expected model / record / collection / tenant. Each part is
 * optional; what is not set is not checked. A plain builder (nothing to
 * close); once built it may be shared by many threads as long as nobody
 * changes it. Vectors are kept by reference, not copied.
 */
public final class VerificationInput {
  private static final int EXPECT_MODEL = 1;
  private static final int EXPECT_RECORD_ID = 2;
  private static final int EXPECT_COLLECTION_ID = 3;
  private static final int EXPECT_TENANT_ID = 4;

  private byte[] source;
  private Object vector;
  private String model;
  private String recordId;
  private String collectionId;
  private String tenantId;

  /** An input that checks nothing beyond the signature; the setters add checks. */
  public VerificationInput() {}

  /**
   * Check the pin's source hash against this text.
   *
   * @param text the text the pin's source hash must match
   * @return these inputs, for chaining
   */
  public VerificationInput source(String text) {
    this.source = Native.utf8(Native.requireText(text, "source"));
    return this;
  }

  /**
   * Check against these UTF-8 bytes (invalid UTF-8 never matches).
   *
   * @param utf8 the text as UTF-8 bytes
   * @return these inputs, for chaining
   */
  public VerificationInput sourceBytes(byte[] utf8) {
    if (utf8 == null) throw new NullPointerException("source must not be null");
    this.source = utf8;
    return this;
  }

  /**
   * Checks the pin's vector hash against these float32 elements (read when verifying, not copied).
   *
   * @param v the vector
   * @return these inputs, for chaining
   */
  public VerificationInput vector(float[] v) {
    return setVector(v);
  }

  /**
   * Checks the pin's vector hash against these float64 elements (read when verifying, not copied).
   *
   * @param v the vector
   * @return these inputs, for chaining
   */
  public VerificationInput vector(double[] v) {
    return setVector(v);
  }

  /**
   * A direct buffer (its remaining elements, read in place, native byte order).
   *
   * @param v the vector, read when verifying
   * @return a direct buffer (its remaining elements, read in place, native byte order)
   */
  public VerificationInput vector(FloatBuffer v) {
    return setVector(v);
  }

  /**
   * A direct buffer (its remaining elements, read in place, native byte order).
   *
   * @param v the vector, read when verifying
   * @return a direct buffer (its remaining elements, read in place, native byte order)
   */
  public VerificationInput vector(DoubleBuffer v) {
    return setVector(v);
  }

  private VerificationInput setVector(Object v) {
    if (v == null) throw new NullPointerException("vector must not be null");
    Native.vector(v); // refuses unusable buffers now rather than at verification
    this.vector = v;
    return this;
  }

  /**
   * Requires the pin's {@code model} to be this name.
   *
   * @param model the expected model
   * @return these inputs, for chaining
   */
  public VerificationInput expectModel(String model) {
    this.model = Native.requireText(model, "model");
    return this;
  }

  /**
   * Requires the pin's {@code vectorpin.record_id} to be this id.
   *
   * @param id the expected record id
   * @return these inputs, for chaining
   */
  public VerificationInput expectRecordId(String id) {
    this.recordId = Native.requireText(id, "record id");
    return this;
  }

  /**
   * Requires the pin's {@code vectorpin.collection_id} to be this id.
   *
   * @param id the expected collection id
   * @return these inputs, for chaining
   */
  public VerificationInput expectCollectionId(String id) {
    this.collectionId = Native.requireText(id, "collection id");
    return this;
  }

  /**
   * Requires the pin's {@code vectorpin.tenant_id} to be this id.
   *
   * @param id the expected tenant id
   * @return these inputs, for chaining
   */
  public VerificationInput expectTenantId(String id) {
    this.tenantId = Native.requireText(id, "tenant id");
    return this;
  }

  byte[] sourceArg() {
    return source;
  }

  /** The vector as the JNI layer takes it (null: not supplied). */
  Object vectorArg() {
    return Native.vector(vector);
  }

  boolean vectorIsF64() {
    return Native.isF64(vector);
  }

  boolean hasExpectations() {
    return model != null || recordId != null || collectionId != null || tenantId != null;
  }

  /** A native expectations object, or 0 when nothing is expected; the caller frees it. */
  long expectationsToNative() {
    if (!hasExpectations()) return 0;
    long[] out = new long[1];
    NativeError err = new NativeError();
    Native.check(VectorPinNative.vectorpin_expectations_new(out, err), err);
    long h = out[0];
    try {
      set(h, EXPECT_MODEL, model, err);
      set(h, EXPECT_RECORD_ID, recordId, err);
      set(h, EXPECT_COLLECTION_ID, collectionId, err);
      set(h, EXPECT_TENANT_ID, tenantId, err);
      return h;
    } catch (RuntimeException e) {
      VectorPinNative.vectorpin_expectations_free(h);
      throw e;
    }
  }

  private static void set(long h, int which, String value, NativeError err) {
    if (value == null) return;
    Native.check(VectorPinNative.vectorpin_expectations_set(h, which, Native.utf8(value), err), err);
  }
}
