package io.vectorpin;

import io.vectorpin.internal.VectorPinNative;

/**
 * The status codes of the C library, with the library's numbers. The
 * constant names are the stable names of {@code vectorpin_status_name()}
 * (a test holds them to it). Codes 1 to 12 are verification outcomes; 100
 * and up are errors of the calling program or its environment.
 */
public enum Status {
  /** Success: the pin verified, or the call did what it was asked. */
  OK(0),
  /** The pin names a protocol version this verifier does not accept (v1 needs legacy mode). */
  UNSUPPORTED_VERSION(1),
  /** No key with the pin's key id is registered. */
  UNKNOWN_KEY(2),
  /** The pin's timestamp lies outside the key's validity window. */
  KEY_EXPIRED(3),
  /** The pin JSON breaks a rule of the wire form. */
  PARSE_ERROR(4),
  /** The signature does not verify with the registered key. */
  SIGNATURE_INVALID(5),
  /** The vector's hash differs from the pin's. */
  VECTOR_TAMPERED(6),
  /** The source text's hash differs from the pin's. */
  SOURCE_MISMATCH(7),
  /** The pin names another model than the one expected. */
  MODEL_MISMATCH(8),
  /** The vector's length differs from the pin's dimension. */
  SHAPE_MISMATCH(9),
  /** The pin's record id differs from the one expected. */
  RECORD_MISMATCH(10),
  /** The pin's collection id differs from the one expected. */
  COLLECTION_MISMATCH(11),
  /** The pin's tenant id differs from the one expected. */
  TENANT_MISMATCH(12),
  /** Misuse of the API: a closed object, a missing argument, a bad size. */
  INVALID_ARGUMENT(100),
  /** Data a signer or helper refuses (for example a non-finite vector element). */
  INVALID_INPUT(101),
  /** Malformed or weak key material. */
  INVALID_KEY(102),
  /** The key id is already registered with this verifier. */
  DUPLICATE_KEY_ID(103),
  /** An output buffer is too small. */
  BUFFER_TOO_SMALL(104),
  /** The library could not allocate memory. */
  OUT_OF_MEMORY(105),
  /** A file could not be read or written. */
  IO_ERROR(106),
  /** A key file would be overwritten; key files are never replaced. */
  FILE_EXISTS(107),
  /** A private key file that group or others may access. */
  INSECURE_PERMISSIONS(108),
  /** An external signer failed or returned a signature that does not verify. */
  EXTERNAL_SIGNER_FAILED(109),
  /** An optional field or a key that is absent. */
  NOT_FOUND(110),
  /** A bug in the library; please report it. */
  INTERNAL_ERROR(111),
  /** A number this binding does not know (a newer library); see {@link VectorPinException#code()}. */
  UNKNOWN_STATUS(-1);

  private final int code;

  Status(int code) {
    this.code = code;
  }

  /**
   * The library's number for this status.
   *
   * @return the number, or {@code -1} for {@link #UNKNOWN_STATUS}
   */
  public int code() {
    return code;
  }

  /**
   * Whether this is a verification outcome (codes 1 to 12), as the library classifies them.
   *
   * @return true for a verification failure, false for success and for errors
   */
  public boolean isVerificationFailure() {
    return code >= 0 && VectorPinNative.vectorpin_status_is_verification_failure(code) != 0;
  }

  /**
   * The status with a given number.
   *
   * @param code the library's status number
   * @return the status, or {@link #UNKNOWN_STATUS} for a number this binding does not know
   */
  public static Status fromCode(int code) {
    for (Status s : values()) {
      if (s.code == code && code >= 0) return s;
    }
    return UNKNOWN_STATUS;
  }

  /**
   * The library's own name for a status number.
   *
   * @param code the library's status number
   * @return the name, or {@code "UNKNOWN_STATUS"} for a number the library does not know
   */
  public static String nameOf(int code) {
    return VectorPinNative.vectorpin_status_name(code);
  }
}
