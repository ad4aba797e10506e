package io.vectorpin.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vectorpin.Dtype;
import io.vectorpin.Pin;
import io.vectorpin.PinOptions;
import io.vectorpin.Signer;
import io.vectorpin.VectorPin;
import io.vectorpin.Verifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The JDK's own Ed25519, SHA-256, NFC and base64 as independent oracles. */
class OracleTest {
  // DER prefixes of RFC 8410 SubjectPublicKeyInfo and PKCS#8 for Ed25519.
  private static final byte[] SPKI_PREFIX = hex("302a300506032b6570032100");
  private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");

  private static byte[] hex(String s) {
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static PublicKey jcaPublic(byte[] raw) throws Exception {
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, raw)));
  }

  private static boolean jcaVerify(PublicKey key, byte[] message, byte[] sig) throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initVerify(key);
    s.update(message);
    return s.verify(sig);
  }

  @Test
  void jcaVerifiesOurSignaturesOverSignedBytes() throws Exception {
    try (Signer signer = Signer.fromSeed("oracle", TestSupport.seed())) {
      PublicKey key = jcaPublic(signer.publicKey());
      for (int protocol : new int[] {1, 2}) {
        try (Pin pin = signer.pin("some text", "model-x", new float[] {0.25f, -1f, 3.5f},
            new PinOptions().protocol(protocol).extra("note", "ü"))) {
          byte[] signed = pin.signedBytes();
          assertTrue(jcaVerify(key, signed, pin.signature()), "JCA rejects our v" + protocol + " signature");
          assertArrayEquals(pin.signature(), Base64.getUrlDecoder().decode(pin.signatureBase64()));
          signed[signed.length - 2] ^= 1;
          assertFalse(jcaVerify(key, signed, pin.signature()), "JCA accepts altered signed bytes");
        }
      }
    }
  }

  @Test
  void ourPemIsWhatJcaReads() throws Exception {
    try (Signer signer = Signer.generate("pem")) {
      String pem = signer.publicKeyPem();
      String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
      try (Pin pin = signer.pin("s", "m", new double[] {1, 2})) {
        assertTrue(jcaVerify(key, pin.signedBytes(), pin.signature()));
      }
      assertArrayEquals(signer.publicKey(), VectorPin.decodePublicKey(pem));
    }
  }

  @Test
  void jcaSignsTheSameBytesIdentically() throws Exception {
    PrivateKey priv = KeyFactory.getInstance("Ed25519")
        .generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, TestSupport.seed())));
    try (Signer signer = Signer.fromSeed("det", TestSupport.seed());
        Pin pin = signer.pin("abc", "m", new float[] {1f})) {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(priv);
      s.update(pin.signedBytes());
      assertArrayEquals(s.sign(), pin.signature(), "Ed25519 is deterministic: the JDK must give the same signature");
      assertEquals(TestSupport.TEST_PUBLIC_KEY, signer.publicKeyBase64());
    }
  }

  /** A JCA key as an external signer: its pins verify with our verifier. */
  @Test
  void jcaBackedExternalSigner() throws Exception {
    KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = kp.getPublic().getEncoded();
    byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    try (Signer signer = Signer.external("kms", raw, message -> {
          // A call back into the library from inside the callback (nested JNI use).
          if (VectorPin.sha256(message).length != 32) throw new IllegalStateException("sha256");
          Signature s = Signature.getInstance("Ed25519");
          s.initSign(kp.getPrivate());
          s.update(message);
          return s.sign();
        });
        Verifier v = new Verifier();
        Pin pin = signer.pin("text", "model", new float[] {1f, 2f})) {
      v.addKey("kms", raw);
      assertTrue(v.verify(pin, "text", new float[] {1f, 2f}).isOk());
    }
  }

  private static String jdkHash(byte[] bytes) throws Exception {
    return "sha256:" + TestSupport.hex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void hashTextAgreesWithJdkNfcAndSha256() throws Exception {
    String[] samples = {
      "", "hello world", "cafe\u0301", "caf\u00e9", "Ame\u0301lie \u212b \u1e9b\u0323",
      "\ud83d\ude00 emoji \ud835\udd18\ud835\udd2b\ud835\udd26", "\u1100\u1161\u11a8 hangul jamo",
      "line one\r\nline two\n", "\u0000 nul and \u007f del"
    };
    for (String s : samples) {
      String expected = jdkHash(Normalizer.normalize(s, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8));
      assertEquals(expected, VectorPin.hashText(s), "hash_text of " + s);
    }
  }

  @Test
  void sha256AndVectorHashAgreeWithJdk() throws Exception {
    byte[] data = "The quick brown fox".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), VectorPin.sha256(data));
    float[] f = {0.5f, -0.0f, 1e-30f, 3.25f};
    ByteBuffer le = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : f) le.putFloat(x);
    assertEquals(jdkHash(le.array()), VectorPin.hashVector(f, Dtype.F32));
    ByteBuffer le64 = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : f) le64.putDouble(x);
    assertEquals(jdkHash(le64.array()), VectorPin.hashVector(f, Dtype.F64));
  }

  @Test
  void base64urlAgreesWithJdk() {
    for (int n = 0; n < 70; n += 7) {
      byte[] data = new byte[n];
      for (int i = 0; i < n; i++) data[i] = (byte) (i * 37 + 11);
      String ours = VectorPin.base64urlEncode(data);
      assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(data), ours);
      assertArrayEquals(data, VectorPin.base64urlDecode(ours));
    }
  }
}
