package io.vectorpin;

import io.vectorpin.internal.NativeError;
import java.nio.Buffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;

/** Small helpers shared by the facade classes. */
final class Native {
  private Native() {}

  /** Throws the library's error unless rc is OK. */
  static void check(int rc, NativeError err) {
    if (rc != 0) {
      if (err != null && err.code == rc) throw new VectorPinException(rc, err.messageText(), err.offset);
      throw new VectorPinException(rc, "", -1);
    }
  }

  /** Throws for a non-OK status of a call that has no error struct. */
  static void check(int rc) {
    if (rc != 0) throw new VectorPinException(rc, "", -1);
  }

  static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  static String requireText(String value, String name) {
    if (value == null) throw new NullPointerException(name + " must not be null");
    return value;
  }

  /**
   * The form in which a vector is handed to the JNI layer: a heap array as
   * is, a direct buffer as a slice from its position to its limit (so the
   * native side sees exactly the remaining elements, without a copy).
   */
  static Object vector(Object v) {
    if (v == null) return null;
    if (v instanceof float[] || v instanceof double[]) return v;
    if (v instanceof FloatBuffer || v instanceof DoubleBuffer) {
      Buffer b = (Buffer) v;
      ByteOrder order = v instanceof FloatBuffer ? ((FloatBuffer) v).order() : ((DoubleBuffer) v).order();
      if (!b.isDirect()) {
        // A heap buffer over a whole array is passed as that array.
        if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.limit() == b.capacity()
            && java.lang.reflect.Array.getLength(b.array()) == b.capacity()) {
          return b.array();
        }
        throw new IllegalArgumentException(
            "vector buffers must be direct (or wrap a whole array); use float[]/double[] otherwise");
      }
      if (order != ByteOrder.nativeOrder()) {
        // The C library reads native-endian elements; a big-endian view of a
        // direct ByteBuffer would be read as other numbers.
        throw new IllegalArgumentException(
            "direct vector buffer must use the native byte order (ByteBuffer.order(ByteOrder.nativeOrder()))");
      }
      return v instanceof FloatBuffer ? ((FloatBuffer) v).slice() : ((DoubleBuffer) v).slice();
    }
    throw new IllegalArgumentException("a vector is a float[], double[], FloatBuffer or DoubleBuffer");
  }

  /** F32 for float[] / FloatBuffer, F64 for double[] / DoubleBuffer. */
  static boolean isF64(Object v) {
    return v instanceof double[] || v instanceof DoubleBuffer;
  }
}
