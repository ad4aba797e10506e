package io.vectorpin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vectorpin.Dtype;
import io.vectorpin.Pin;
import io.vectorpin.Signer;
import io.vectorpin.Status;
import io.vectorpin.VectorPin;
import io.vectorpin.VectorPinException;
import io.vectorpin.VerificationInput;
import io.vectorpin.VerificationStream;
import io.vectorpin.Verifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hostile input and misuse: each gives its documented status or exception, never a crash. */
class HostileTest {
  private static String valid;

  @BeforeAll
  static void makePin() {
    try (Signer s = Signer.fromSeed("k", TestSupport.seed()); Pin p = s.pin("src", "m", new float[] {1f, 2f})) {
      valid = p.toJson();
    }
  }

  private static Verifier verifier() {
    Verifier v = new Verifier();
    v.addKey("k", TestSupport.TEST_PUBLIC_KEY);
    return v;
  }

  private static Status status(Verifier v, byte[] pin) {
    Status viaJson = v.verifyJson(pin, null).status();
    Status viaParse;
    try (Pin p = Pin.parse(pin)) {
      viaParse = v.verify(p).status();
    } catch (VectorPinException e) {
      viaParse = e.status();
    }
    assertEquals(viaJson, viaParse, "verifyJson and parse+verify disagree");
    return viaJson;
  }

  private static Status status(Verifier v, String pin) {
    return status(v, pin.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void validPinVerifies() {
    try (Verifier v = verifier()) {
      assertEquals(Status.OK, status(v, valid));
    }
  }

  @Test
  void duplicateKeysAndOddNumbers() {
    try (Verifier v = verifier()) {
      assertEquals(Status.PARSE_ERROR, status(v, valid.replace("{\"kid\":\"k\"", "{\"kid\":\"k\",\"kid\":\"k\"")));
      assertEquals(Status.PARSE_ERROR, status(v, valid.replace("\"v\":2", "\"v\":2.0")));
      assertEquals(Status.PARSE_ERROR, status(v, valid.replace("\"v\":2", "\"v\":2e0")));
      assertEquals(Status.PARSE_ERROR, status(v, valid.replace("\"v\":2", "\"v\":02")));
      assertEquals(Status.UNSUPPORTED_VERSION, status(v, valid.replace("\"v\":2", "\"v\":3")));
      assertEquals(Status.PARSE_ERROR, status(v, valid + " x"));
      assertEquals(Status.PARSE_ERROR, status(v, "[]"));
      assertEquals(Status.PARSE_ERROR, status(v, ""));
    }
  }

  @Test
  void invalidUtf8AndLoneSurrogates() {
    try (Verifier v = verifier()) {
      byte[] bytes = valid.replace("\"model\":\"m\"", "\"model\":\"m?\"").getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < bytes.length; i++) if (bytes[i] == '?') bytes[i] = (byte) 0xc3;
      assertEquals(Status.PARSE_ERROR, status(v, bytes));
      assertEquals(Status.PARSE_ERROR, status(v, valid.replace("\"model\":\"m\"", "\"model\":\"m\\ud800\"")));
      assertEquals(Status.PARSE_ERROR, status(v, valid.replace("\"model\":\"m\"", "\"model\":\"\\udc00m\"")));
    }
  }

  @Test
  void oversizedPin() {
    StringBuilder big = new StringBuilder(valid.substring(0, valid.length() - 1)).append(",\"extra\":{\"a\":\"");
    while (big.length() < 70 * 1024) big.append('a');
    big.append("\"}}");
    try (Verifier v = verifier()) {
      assertEquals(Status.PARSE_ERROR, status(v, big.toString()));
    }
  }

  @Test
  void nanInfinityAndWrongLength() {
    try (Verifier v = verifier(); Pin p = Pin.parse(valid)) {
      assertEquals(Status.PARSE_ERROR, v.verify(p, "src", new float[] {Float.NaN, 2f}).status());
      assertEquals(Status.PARSE_ERROR, v.verify(p, "src", new float[] {1f, Float.POSITIVE_INFINITY}).status());
      assertEquals(Status.PARSE_ERROR, v.verify(p, "src", new double[] {Double.NEGATIVE_INFINITY, 2}).status());
      assertEquals(Status.SHAPE_MISMATCH, v.verify(p, "src", new float[] {1f}).status());
      assertEquals(Status.SHAPE_MISMATCH, v.verify(p, "src", new float[0]).status());
      assertEquals(Status.OK, v.verify(p, "src", new double[] {1, 2}).status());
      assertEquals(Status.SOURCE_MISMATCH, v.verify(p, "", new double[] {1, 2}).status());
      // A double that overflows float is refused, not rounded to infinity.
      assertEquals(Status.PARSE_ERROR, v.verify(p, "src", new double[] {1e300, 2}).status());
    }
    try (Signer s = Signer.fromSeed("k", TestSupport.seed())) {
      VectorPinException e = assertThrows(VectorPinException.class, () -> s.pin("src", "m", new float[] {Float.NaN}));
      assertEquals(Status.INVALID_INPUT, e.status());
      assertEquals(Status.INVALID_INPUT,
          assertThrows(VectorPinException.class, () -> s.pin("src", "m", new float[0])).status());
    }
    assertEquals(Status.INVALID_INPUT,
        assertThrows(VectorPinException.class, () -> VectorPin.hashVector(new double[] {Double.NaN}, Dtype.F64)).status());
  }

  @Test
  void weakKeysRefusedAtRegistration() {
    byte[] zero = new byte[32];
    byte[] identity = new byte[32];
    identity[0] = 1;
    try (Verifier v = new Verifier()) {
      for (byte[] key : new byte[][] {zero, identity}) {
        VectorPinException e = assertThrows(VectorPinException.class, () -> v.addKey("weak", key));
        assertEquals(Status.INVALID_KEY, e.status());
        assertEquals("INVALID_KEY", e.statusName());
      }
      assertEquals(Status.INVALID_ARGUMENT,
          assertThrows(VectorPinException.class, () -> v.addKey("short", new byte[31])).status());
      assertEquals(0, v.keyCount());
      v.addKey("k", TestSupport.TEST_PUBLIC_KEY);
      assertEquals(Status.DUPLICATE_KEY_ID,
          assertThrows(VectorPinException.class, () -> v.addKey("k", TestSupport.TEST_PUBLIC_KEY)).status());
    }
  }

  @Test
  void errorMessagesAreBounded() {
    String hostile = "\u001b[31m" + "A".repeat(5000);
    try (Verifier v = verifier()) {
      String msg = v.verifyJson(valid.replace("\"model\":\"m\"", "\"model\":\"" + hostile + "\"")).message();
      assertTrue(msg.length() < 256, msg);
      assertTrue(msg.chars().noneMatch(c -> c < 0x20), "control characters in: " + msg);
    }
  }

  @Test
  void useAfterCloseAndDoubleClose() {
    Signer s = Signer.fromSeed("k", TestSupport.seed());
    Pin p = s.pin("src", "m", new float[] {1f, 2f});
    Verifier v = verifier();
    VerificationStream stream = v.openStream(1);
    stream.close();
    stream.close();
    assertThrows(IllegalStateException.class, () -> stream.submit(1, valid, null));
    s.close();
    s.close();
    assertTrue(s.isClosed());
    assertThrows(IllegalStateException.class, s::publicKey);
    assertThrows(IllegalStateException.class, () -> s.pin("a", "b", new float[] {1f}));
    assertEquals(Status.OK, v.verify(p).status());
    p.close();
    p.close();
    assertThrows(IllegalStateException.class, p::toJson);
    assertThrows(IllegalStateException.class, () -> v.verify(p));
    v.close();
    v.close();
    assertThrows(IllegalStateException.class, () -> v.verifyJson(valid));
    assertThrows(IllegalStateException.class, () -> v.addKey("x", TestSupport.TEST_PUBLIC_KEY));
    assertThrows(IllegalStateException.class, () -> v.openStream(1));
  }

  @Test
  void unusableBuffersAreRefused() {
    ByteBuffer bigEndian = ByteBuffer.allocateDirect(8).order(ByteOrder.BIG_ENDIAN);
    assertThrows(IllegalArgumentException.class, () -> new VerificationInput().vector(bigEndian.asFloatBuffer()));
    java.nio.FloatBuffer heapSlice = java.nio.FloatBuffer.wrap(new float[] {1f, 2f, 3f}, 1, 2).slice();
    assertThrows(IllegalArgumentException.class, () -> VectorPin.hashVector(heapSlice, Dtype.F32));
    // A heap buffer over a whole array is accepted as that array.
    assertEquals(VectorPin.hashVector(new float[] {1f, 2f}, Dtype.F32),
        VectorPin.hashVector(java.nio.FloatBuffer.wrap(new float[] {1f, 2f}), Dtype.F32));
    assertThrows(IllegalArgumentException.class, () -> VectorPin.hashVector("not a vector", Dtype.F32));
  }

  @Test
  void externalSignerFailures() {
    byte[] pk = VectorPin.decodePublicKey(TestSupport.TEST_PUBLIC_KEY);
    try (Signer throwing = Signer.external("k", pk, m -> {
          throw new IllegalStateException("backend down");
        });
        Signer wrong = Signer.external("k", pk, m -> new byte[64]);
        Signer shortSig = Signer.external("k", pk, m -> new byte[3])) {
      for (Signer s : new Signer[] {throwing, wrong, shortSig}) {
        assertEquals(Status.EXTERNAL_SIGNER_FAILED,
            assertThrows(VectorPinException.class, () -> s.pin("a", "b", new float[] {1f})).status());
      }
      assertEquals(Status.INVALID_ARGUMENT,
          assertThrows(VectorPinException.class, () -> throwing.save(java.nio.file.Path.of("/nonexistent"))).status());
    }
  }
}
