package io.vectorpin;

/**
 * The outcome of one verification: {@link Status#OK} or the first check
 * that failed, in the protocol's order, with the library's message.
 * Immutable.
 */
public final class VerificationResult {
  private final int code;
  private final String message;
  private final long offset;

  VerificationResult(int code, String message, long offset) {
    this.code = code;
    this.message = message == null ? "" : message;
    this.offset = offset;
  }

  /**
   * True when every requested check passed.
   *
   * @return true when every requested check passed
   */
  public boolean isOk() {
    return code == 0;
  }

  /**
   * The outcome as an enum constant.
   *
   * @return the status ({@link Status#UNKNOWN_STATUS} for a number this binding does not know)
   */
  public Status status() {
    return Status.fromCode(code);
  }

  /**
   * The library's status number.
   *
   * @return the library's status number
   */
  public int code() {
    return code;
  }

  /**
   * The library's stable name, e.g. "SIGNATURE_INVALID".
   *
   * @return the library's stable name, such as {@code SIGNATURE_INVALID}
   */
  public String statusName() {
    return Status.nameOf(code);
  }

  /**
   * The library's sanitized message (empty when OK).
   *
   * @return the library's sanitized message (empty when OK)
   */
  public String message() {
    return message;
  }

  /**
   * Byte offset in the pin JSON where a parse error was found, or -1.
   *
   * @return byte offset in the pin JSON where a parse error was found, or -1
   */
  public long offset() {
    return offset;
  }

  /**
   * Returns this result when it is OK, else throws it as a {@link VectorPinException}.
   *
   * @return this result, when it is OK
   */
  public VerificationResult orThrow() {
    if (code != 0) throw new VectorPinException(code, message, offset);
    return this;
  }

  @Override
  public String toString() {
    return message.isEmpty() ? statusName() : statusName() + ": " + message;
  }
}
