package io.vectorpin;

/**
 * One pin of a batch: its JSON and what it is checked against. Immutable
 * (the {@link VerificationInput} it holds must not be changed while in use).
 */
public final class BatchItem {
  private static final VerificationInput NOTHING = new VerificationInput();

  private final byte[] pinJson;
  private final VerificationInput input;

  private BatchItem(byte[] pinJson, VerificationInput input) {
    this.pinJson = pinJson;
    this.input = input == null ? NOTHING : input;
  }

  /**
   * An item of pin JSON text.
   *
   * @param pinJson the pin JSON
   * @param input what to check the pin against (null: the signature only)
   * @return the item
   */
  public static BatchItem of(String pinJson, VerificationInput input) {
    return new BatchItem(Native.utf8(Native.requireText(pinJson, "pinJson")), input);
  }

  /**
   * Pin JSON as raw bytes (not necessarily valid UTF-8: that is a PARSE_ERROR result).
   *
   * @param pinJson the pin JSON
   * @param input what to check the pin against (null: the signature only)
   * @return the item
   */
  public static BatchItem of(byte[] pinJson, VerificationInput input) {
    if (pinJson == null) throw new NullPointerException("pinJson must not be null");
    return new BatchItem(pinJson, input);
  }

  byte[] pinJson() {
    return pinJson;
  }

  VerificationInput input() {
    return input;
  }
}
