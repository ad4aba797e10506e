package io.vectorpin;

import io.vectorpin.internal.NativeError;
import io.vectorpin.internal.VectorPinNative;
import java.util.Optional;

/**
 * Streaming batch verification (an audit of a store larger than memory):
 * {@link #submit} queues a pin (its inputs are copied at once, so buffers may
 * be reused), {@link #next} collects results in submission order. One
 * producer and one consumer thread may work at the same time. Close it when
 * done (results not collected are dropped); it is closed with its
 * {@link Verifier} at the latest.
 */
public final class VerificationStream extends NativeResource {
  private final Verifier verifier;

  VerificationStream(long handle, Verifier verifier) {
    super(handle, "verification stream");
    this.verifier = verifier;
  }

  @Override
  void free(long handle) {
    VectorPinNative.vectorpin_batch_free(handle);
    verifier.forget(this);
  }

  /** A result with the caller's tag. */
  public static final class Result {
    private final long cookie;
    private final VerificationResult result;

    Result(long cookie, VerificationResult result) {
      this.cookie = cookie;
      this.result = result;
    }

    /**
     * The tag given to {@link #submit}.
     *
     * @return the tag
     */
    public long cookie() {
      return cookie;
    }

    /**
     * The item's outcome.
     *
     * @return the result, as {@link Verifier#verifyJson(byte[], VerificationInput)} would give it
     */
    public VerificationResult result() {
      return result;
    }
  }

  /**
   * Queues one verification tagged with {@code cookie}; never waits for the workers.
   *
   * @param cookie a tag returned with the item's result
   * @param pinJson the pin JSON
   * @param input what to check the pin against (null: the signature only)
   */
  public void submit(long cookie, String pinJson, VerificationInput input) {
    submit(cookie, Native.utf8(Native.requireText(pinJson, "pinJson")), input);
  }

  /**
   * Queues a {@link BatchItem}.
   *
   * @param cookie a tag returned with the item's result
   * @param item the pin and its input
   */
  public void submit(long cookie, BatchItem item) {
    if (item == null) throw new NullPointerException("item must not be null");
    submit(cookie, item.pinJson(), item.input());
  }

  /**
   * Queues pin JSON given as raw bytes (not necessarily valid UTF-8: that is a PARSE_ERROR result).
   *
   * @param cookie a tag returned with the item's result
   * @param pinJson the pin JSON
   * @param input what to check the pin against (null: the signature only)
   */
  public void submit(long cookie, byte[] pinJson, VerificationInput input) {
    if (pinJson == null) throw new NullPointerException("pinJson must not be null");
    if (input == null) input = new VerificationInput();
    Object vector = input.vectorArg();
    long expectations = input.expectationsToNative();
    long h = acquire();
    try {
      NativeError err = new NativeError();
      int rc = input.vectorIsF64()
          ? VectorPinNative.vectorpin_batch_submit_f64(h, cookie, pinJson, input.sourceArg(), vector, expectations, err)
          : VectorPinNative.vectorpin_batch_submit_f32(h, cookie, pinJson, input.sourceArg(), vector, expectations, err);
      Native.check(rc, err);
    } finally {
      release();
      if (expectations != 0) VectorPinNative.vectorpin_expectations_free(expectations);
    }
  }

  /**
   * The oldest submitted item's result; empty when nothing is pending, or
   * when {@code wait} is false and that item is still being verified.
   * @param wait whether to wait for the oldest item when it is still being verified
   * @return the oldest submitted item's result; empty when nothing is pending, or when {@code wait} is false and that item is still being verified
   */
  public Optional<Result> next(boolean wait) {
    long h = acquire();
    try {
      long[] cookie = new long[1];
      NativeError out = new NativeError();
      NativeError err = new NativeError();
      int rc = VectorPinNative.vectorpin_batch_next_result(h, cookie, out, wait ? 1 : 0, err);
      if (rc == Status.NOT_FOUND.code()) return Optional.empty();
      Native.check(rc, err);
      VerificationResult r = new VerificationResult(out.code, out.code == 0 ? "" : out.messageText(),
          out.code == 0 ? -1 : out.offset);
      return Optional.of(new Result(cookie[0], r));
    } finally {
      release();
    }
  }

  /**
   * Items submitted and not yet collected.
   *
   * @return items submitted and not yet collected
   */
  public long pending() {
    long h = acquire();
    try {
      return VectorPinNative.vectorpin_batch_pending(h);
    } finally {
      release();
    }
  }

  /**
   * The number of worker threads.
   *
   * @return the number of worker threads
   */
  public int threads() {
    long h = acquire();
    try {
      return (int) VectorPinNative.vectorpin_batch_threads(h);
    } finally {
      release();
    }
  }
}
