package io.vectorpin;

/** Element types of vectors, with the library's numbers. */
public enum Dtype {
  /** In pin options: hash the vector as the type it was passed in. */
  DEFAULT(0, ""),
  /** 32-bit IEEE 754 elements ({@code float}). */
  F32(1, "f32"),
  /** 64-bit IEEE 754 elements ({@code double}). */
  F64(2, "f64");

  private final int code;
  private final String wireName;

  Dtype(int code, String wireName) {
    this.code = code;
    this.wireName = wireName;
  }

  /**
   * The library's number.
   *
   * @return the library's number
   */
  public int code() {
    return code;
  }

  /**
   * "f32" or "f64" as in a pin's {@code vec_dtype} (empty for DEFAULT).
   *
   * @return "f32" or "f64" as in a pin's {@code vec_dtype} (empty for DEFAULT)
   */
  public String wireName() {
    return wireName;
  }

  /**
   * The dtype named "f32" or "f64".
   *
   * @param name "f32" or "f64"
   * @return the dtype
   */
  public static Dtype fromWireName(String name) {
    if ("f32".equals(name)) return F32;
    if ("f64".equals(name)) return F64;
    throw new IllegalArgumentException("vector dtype must be \"f32\" or \"f64\"");
  }

  static Dtype fromCode(int code) {
    for (Dtype d : values()) {
      if (d.code == code) return d;
    }
    throw new IllegalStateException("unknown dtype number " + code);
  }
}
