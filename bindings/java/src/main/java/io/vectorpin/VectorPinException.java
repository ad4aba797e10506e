package io.vectorpin;

/**
 * A call into the library failed. Carries the library's status (as the enum
 * and as its number and stable name), its sanitized message and the byte
 * offset in the input where the problem was found (-1 where none applies).
 *
 * <p>Unchecked: verification outcomes are not reported through it (see
 * {@link VerificationResult}), only refusals of the caller's own inputs and
 * environment errors. Misuse of a closed object is reported with
 * {@link IllegalStateException}, not with this class.
 */
public class VectorPinException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @serial the library's status number
   */
  private final int code;
  /**
   * @serial the status as an enum constant
   */
  private final Status status;
  /**
   * @serial the library's name of the status
   */
  private final String statusName;
  /**
   * @serial the library's message
   */
  private final String detail;
  /**
   * @serial the byte offset of the problem, or -1
   */
  private final long offset;

  /**
   * An exception for a status the library returned.
   *
   * @param code the library's status number
   * @param detail the library's message (may be null or empty)
   * @param offset the byte offset in the input where the problem was found, or -1
   */
  public VectorPinException(int code, String detail, long offset) {
    super(Status.nameOf(code) + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    this.code = code;
    this.status = Status.fromCode(code);
    this.statusName = Status.nameOf(code);
    this.detail = detail == null ? "" : detail;
    this.offset = offset;
  }

  /**
   * The status as an enum constant.
   *
   * @return the status as an enum constant
   */
  public Status status() {
    return status;
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
   * The library's stable name of the status, e.g. "INVALID_KEY".
   *
   * @return the library's stable name of the status, such as {@code INVALID_KEY}
   */
  public String statusName() {
    return statusName;
  }

  /**
   * The library's message without the status name (may be empty).
   *
   * @return the library's message without the status name (may be empty)
   */
  public String detail() {
    return detail;
  }

  /**
   * Byte offset in the input where the problem was found, or -1.
   *
   * @return byte offset in the input where the problem was found, or -1
   */
  public long offset() {
    return offset;
  }
}
