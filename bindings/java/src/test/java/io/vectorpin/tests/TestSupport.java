package io.vectorpin.tests;

import io.vectorpin.VectorPin;
import io.vectorpin.tools.Shim;
import io.vectorpin.tools.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/** Shared by the test classes: fixture location and decoding helpers. */
final class TestSupport {
  static final String TEST_PUBLIC_KEY = "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg";

  private TestSupport() {}

  /** VECTORPIN_TESTVECTORS, else the nearest testvectors/ above the working directory. */
  static Path testvectors() {
    String env = System.getenv("VECTORPIN_TESTVECTORS");
    if (env != null && !env.isEmpty()) return Paths.get(env);
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("testvectors/crosslang.json"))) return p.resolve("testvectors");
    }
    throw new IllegalStateException("testvectors not found: set VECTORPIN_TESTVECTORS");
  }

  static Map<String, Object> load(String relative) {
    try {
      return Json.object(Json.parse(Files.readString(testvectors().resolve(relative), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] seed() {
    byte[] s = new byte[32];
    for (int i = 0; i < 32; i++) s[i] = (byte) i;
    return s;
  }

  static byte[] b64(Object text) {
    return VectorPin.base64urlDecode((String) text);
  }

  /** float[] or double[] from little-endian packed bytes. */
  static Object vector(Object b64, Object dtype) {
    return Shim.decodeVector((String) b64, (String) dtype);
  }

  /** A direct, native-order buffer holding the same elements, with a non-zero position. */
  static java.nio.Buffer direct(Object vector) {
    if (vector instanceof float[]) {
      float[] v = (float[]) vector;
      ByteBuffer bb = ByteBuffer.allocateDirect((v.length + 3) * 4).order(ByteOrder.nativeOrder());
      java.nio.FloatBuffer fb = bb.asFloatBuffer();
      fb.put(new float[] {9f, 9f});
      fb.put(v);
      fb.put(9f);
      fb.position(2).limit(2 + v.length);
      return fb;
    }
    double[] v = (double[]) vector;
    ByteBuffer bb = ByteBuffer.allocateDirect((v.length + 3) * 8).order(ByteOrder.nativeOrder());
    java.nio.DoubleBuffer db = bb.asDoubleBuffer();
    db.put(new double[] {9, 9});
    db.put(v);
    db.put(9);
    db.position(2).limit(2 + v.length);
    return db;
  }

  static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) s.append(String.format("%02x", x & 0xff));
    return s.toString();
  }
}
