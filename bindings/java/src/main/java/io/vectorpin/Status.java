package io.vectorpin;

import io.vectorpin.internal.VectorPinNative;

/**
 * The status codes of the C library, with the library's numbers. The
 * constant names are the stable names of {@code vectorpin_status_name()}
 * (a test holds them to it). Codes 1 to 12 are verification outcomes; 100
 * and up are errors of the calling program or its environment.
 */
public enum Status {
  OK(0),
  UNSUPPORTED_VERSION(1),
  UNKNOWN_KEY(2),
  KEY_EXPIRED(3),
  PARSE_ERROR(4),
  SIGNATURE_INVALID(5),
  VECTOR_TAMPERED(6),
  SOURCE_MISMATCH(7),
  MODEL_MISMATCH(8),
  SHAPE_MISMATCH(9),
  RECORD_MISMATCH(10),
  COLLECTION_MISMATCH(11),
  TENANT_MISMATCH(12),
  INVALID_ARGUMENT(100),
  INVALID_INPUT(101),
  INVALID_KEY(102),
  DUPLICATE_KEY_ID(103),
  BUFFER_TOO_SMALL(104),
  OUT_OF_MEMORY(105),
  IO_ERROR(106),
  FILE_EXISTS(107),
  INSECURE_PERMISSIONS(108),
  EXTERNAL_SIGNER_FAILED(109),
  NOT_FOUND(110),
  INTERNAL_ERROR(111),
  /** A number this binding does not know (a newer library); see {@link VectorPinException#code()}. */
  UNKNOWN_STATUS(-1);

  private final int code;

  Status(int code) {
    this.code = code;
  }

  /** The library's number for this status ({@code -1} for {@link #UNKNOWN_STATUS}). */
  public int code() {
    return code;
  }

  /** True for the verification outcomes (codes 1 to 12), as the library classifies them. */
  public boolean isVerificationFailure() {
    return code >= 0 && VectorPinNative.vectorpin_status_is_verification_failure(code) != 0;
  }

  /** The status with this number, or {@link #UNKNOWN_STATUS}. */
  public static Status fromCode(int code) {
    for (Status s : values()) {
      if (s.code == code && code >= 0) return s;
    }
    return UNKNOWN_STATUS;
  }

  /** The library's own name for a status number ("UNKNOWN_STATUS" for unknown numbers). */
  public static String nameOf(int code) {
    return VectorPinNative.vectorpin_status_name(code);
  }
}
