package io.vectorpin.internal;

/**
 * The Java side of {@code vectorpin_error}: filled by the native layer after
 * each call that takes one. Internal; not part of the public API.
 */
public final class NativeError {
  /** A {@code vectorpin_status} number (0 when the call succeeded). */
  public int code;
  /** Byte offset in the input where the problem was found, or -1. */
  public long offset = -1;
  /** The library's message as UTF-8 bytes, or null when it is empty. */
  public byte[] message;

  /** The message as text (empty when there is none). */
  public String messageText() {
    return message == null ? "" : new String(message, java.nio.charset.StandardCharsets.UTF_8);
  }
}
