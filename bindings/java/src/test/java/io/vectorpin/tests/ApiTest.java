package io.vectorpin.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vectorpin.Dtype;
import io.vectorpin.Pin;
import io.vectorpin.PinOptions;
import io.vectorpin.Signer;
import io.vectorpin.Status;
import io.vectorpin.VectorPin;
import io.vectorpin.VectorPinException;
import io.vectorpin.VerificationInput;
import io.vectorpin.Verifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade over the whole C ABI. */
class ApiTest {
  @TempDir Path tmp;

  @Test
  void statusNamesComeFromTheLibrary() {
    for (Status s : Status.values()) {
      if (s == Status.UNKNOWN_STATUS) continue;
      assertEquals(Status.nameOf(s.code()), s.name(), "enum name of code " + s.code());
      assertEquals(s, Status.fromCode(s.code()));
      assertEquals(s.code() >= 1 && s.code() <= 12, s.isVerificationFailure());
    }
    int known = 0;
    for (int code = -5; code < 300; code++) {
      String name = Status.nameOf(code);
      if (!name.equals("UNKNOWN_STATUS")) {
        known++;
        assertEquals(name, Status.fromCode(code).name(), "the binding lacks status " + code);
      } else {
        assertEquals(Status.UNKNOWN_STATUS, Status.fromCode(code));
      }
    }
    assertEquals(Status.values().length - 1, known);
  }

  @Test
  void versionsAndLimits() {
    assertEquals(2, VectorPin.abiVersion());
    assertEquals(2, VectorPin.protocolVersion());
    String mode = System.getProperty("vectorpin.native", "jar");
    assertEquals(mode.equals("library-path") ? "java.library.path" : "jar", VectorPin.nativeOrigin());
    String[] parts = VectorPin.version().split("\\.");
    assertEquals(3, parts.length);
    assertEquals(Long.parseLong(parts[0]) * 10000 + Long.parseLong(parts[1]) * 100 + Long.parseLong(parts[2]),
        VectorPin.versionNumber());
    assertEquals(65536, VectorPin.maxPinJsonBytes());
    assertEquals(1048576, VectorPin.maxVectorDimension());
    assertEquals(32, VectorPin.maxExtraEntries());
    assertEquals(128, VectorPin.maxExtraKeyBytes());
    assertEquals(1024, VectorPin.maxExtraValueBytes());
    assertEquals(256, VectorPin.maxBatchThreads());
    assertEquals(128, VectorPin.defaultPreparedKeyLimit());
    assertTrue(VectorPin.preparedKeyBytes() > 100000);
  }

  /** The limit bounds how many keys get tables, never an answer (none at all on libsodium's engine). */
  @Test
  void preparedKeyLimit() throws Exception {
    boolean tables = !"libsodium".equals(System.getenv("VECTORPIN_ED25519"));
    float[] vector = {0.25f, -0.5f, 1f, 2f};
    try (Signer s0 = Signer.generate("k0"); Signer s1 = Signer.generate("k1"); Signer s2 = Signer.generate("k2");
        Pin p0 = s0.pin("text", "model", vector); Pin p1 = s1.pin("text", "model", vector);
        Pin p2 = s2.pin("text", "model", vector)) {
      for (long limit : new long[] {0, 1, 2, VectorPin.defaultPreparedKeyLimit()}) {
        try (Verifier v = new Verifier()) {
          assertEquals(VectorPin.defaultPreparedKeyLimit(), v.preparedKeyLimit());
          v.setPreparedKeyLimit(limit);
          assertEquals(limit, v.preparedKeyLimit());
          v.addKey("k0", s0.publicKey());
          v.addKey("k1", s1.publicKey());
          v.addKey("k2", s0.publicKey()); // the wrong key: k2's pin must fail, table or not
          for (int round = 0; round < 2; round++) {
            assertEquals(Status.OK, v.verify(p0, "text", vector).status());
            assertEquals(Status.OK, v.verify(p1, "text", vector).status());
            assertEquals(Status.SIGNATURE_INVALID, v.verify(p2, "text", vector).status());
          }
          assertEquals(tables ? Math.min(limit, 3) : 0, v.preparedKeyCount(), "limit " + limit);
        }
      }
      try (Verifier v = new Verifier()) {
        assertThrows(IllegalArgumentException.class, () -> v.setPreparedKeyLimit(-1));
      }
    }
  }

  @Test
  void signerFactoriesAgree() throws Exception {
    try (Signer a = Signer.fromSeed("k", TestSupport.seed());
        Signer b = Signer.fromPrivateKey("k", TestSupport.seed())) {
      assertEquals(TestSupport.TEST_PUBLIC_KEY, a.publicKeyBase64());
      assertArrayEquals(a.publicKey(), b.publicKey());
      assertEquals("k", a.kid());
      assertEquals(VectorPin.fingerprint(a.publicKey()), a.fingerprint());
      assertTrue(a.fingerprint().matches("[0-9a-f]{4}(:[0-9a-f]{4}){3}"));
      a.save(tmp.resolve("pem"), true);
      a.save(tmp.resolve("raw"));
      assertEquals(Status.FILE_EXISTS, assertThrows(VectorPinException.class, () -> a.save(tmp.resolve("raw"))).status());
    }
    String pem = Files.readString(tmp.resolve("pem/k.priv"));
    assertTrue(pem.contains("PRIVATE KEY"));
    try (Signer fromPem = Signer.fromPrivateKey("k", pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Signer loaded = Signer.load("k", tmp.resolve("pem/k.priv"))) {
      assertEquals(TestSupport.TEST_PUBLIC_KEY, fromPem.publicKeyBase64());
      assertEquals(TestSupport.TEST_PUBLIC_KEY, loaded.publicKeyBase64());
    }
    Path loose = tmp.resolve("raw/k.priv");
    Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals(Status.INSECURE_PERMISSIONS,
        assertThrows(VectorPinException.class, () -> Signer.load("k", loose)).status());
    try (Signer ok = Signer.load("k", loose, true)) {
      assertEquals(TestSupport.TEST_PUBLIC_KEY, ok.publicKeyBase64());
    }
    assertEquals(Status.IO_ERROR,
        assertThrows(VectorPinException.class, () -> Signer.load("k", tmp.resolve("missing"))).status());
    assertEquals(Status.INVALID_INPUT, assertThrows(VectorPinException.class, () -> Signer.generate("")).status());
    try (Signer g1 = Signer.generate("g"); Signer g2 = Signer.generate("g")) {
      assertFalse(g1.publicKeyBase64().equals(g2.publicKeyBase64()));
    }
  }

  @Test
  void pinFieldsAndRoundTrip() {
    String modelHash = "sha256:" + "ab".repeat(32);
    try (Signer s = Signer.fromSeed("k", TestSupport.seed());
        Pin p = s.pin("source", "model", new double[] {1, 2, 3},
            new PinOptions().dtype(Dtype.F32).modelHash(modelHash).timestamp("2026-01-02T03:04:05Z")
                .recordId("r").collectionId("c").tenantId("t").extra("z", "last").extra("a", "first"))) {
      assertEquals("k", p.kid());
      assertEquals("model", p.model());
      assertEquals(Optional.of(modelHash), p.modelHash());
      assertEquals(VectorPin.hashText("source"), p.sourceHash());
      assertEquals(VectorPin.hashVector(new double[] {1, 2, 3}, Dtype.F32), p.vecHash());
      assertEquals(Dtype.F32, p.vecDtype());
      assertEquals("f32", p.vecDtypeName());
      assertEquals("2026-01-02T03:04:05Z", p.timestamp());
      assertEquals(2, p.version());
      assertEquals(3, p.vecDim());
      assertArrayEquals(VectorPin.base64urlDecode(p.signatureBase64()), p.signature());
      Map<String, String> extras = p.extras();
      assertEquals(java.util.List.of("a", "vectorpin.collection_id", "vectorpin.record_id", "vectorpin.tenant_id", "z"),
          new java.util.ArrayList<>(extras.keySet()));
      assertEquals(Optional.of("r"), p.extra(PinOptions.RECORD_ID));
      assertEquals(Optional.empty(), p.extra("missing"));
      try (Pin again = Pin.parse(p.toJson())) {
        assertEquals(p.toJson(), again.toJson());
        assertArrayEquals(p.signedBytes(), again.signedBytes());
      }
      try (Verifier v = new Verifier()) {
        v.addKey("k", s.publicKey());
        VerificationInput in = new VerificationInput().source("source").vector(new double[] {1, 2, 3})
            .expectModel("model").expectRecordId("r").expectCollectionId("c").expectTenantId("t");
        assertTrue(v.verify(p, in).isOk());
        assertEquals(Status.MODEL_MISMATCH, v.verify(p, new VerificationInput().expectModel("other")).status());
        assertEquals(Status.COLLECTION_MISMATCH, v.verify(p, new VerificationInput().expectCollectionId("x")).status());
        assertEquals(Status.TENANT_MISMATCH, v.verify(p, new VerificationInput().expectTenantId("x")).status());
        VectorPinException e = assertThrows(VectorPinException.class,
            () -> v.verify(p, new VerificationInput().expectTenantId("x")).orThrow());
        assertEquals(Status.TENANT_MISMATCH, e.status());
      }
    }
    assertEquals(Status.PARSE_ERROR, assertThrows(VectorPinException.class, () -> Pin.parse(new byte[0])).status());
  }

  @Test
  void directBuffersAreReadInPlace() {
    ByteBuffer bytes = ByteBuffer.allocateDirect(5 * 8).order(ByteOrder.nativeOrder());
    DoubleBuffer buf = bytes.asDoubleBuffer();
    buf.put(new double[] {7, 0.25, -1.5, 3, 7});
    buf.position(1).limit(4);
    try (Signer s = Signer.fromSeed("k", TestSupport.seed());
        Pin p = s.pin("x", "m", buf, null);
        Verifier v = new Verifier()) {
      assertEquals(3, p.vecDim());
      assertEquals(1, buf.position(), "the caller's buffer position is left alone");
      v.addKey("k", s.publicKey());
      assertTrue(v.verify(p, "x", new double[] {0.25, -1.5, 3}).isOk());
      VerificationInput in = new VerificationInput().source("x").vector(buf);
      assertTrue(v.verify(p, in).isOk());
      // The same input sees a change made to the buffer afterwards: no copy was taken.
      buf.put(2, 99);
      assertEquals(Status.VECTOR_TAMPERED, v.verify(p, in).status());
    }
  }

  @Test
  void registriesWindowsAndLegacy() {
    String registry = "{\"a\":{\"public_key\":\"" + TestSupport.TEST_PUBLIC_KEY + "\",\"valid_from\":\"2026-01-01T00:00:00Z\","
        + "\"valid_until\":\"2026-02-01T00:00:00Z\"},\"b\":{\"public_key\":\"" + TestSupport.TEST_PUBLIC_KEY
        + "\",\"valid_from\":null,\"valid_until\":null}}";
    try (Signer a = Signer.fromSeed("a", TestSupport.seed()); Verifier v = new Verifier()) {
      v.loadRegistry(registry);
      assertEquals(2, v.keyCount());
      assertThrows(VectorPinException.class, () -> v.loadRegistry("{\"c\":{\"public_key\":\"bad\"}}"));
      assertEquals(2, v.keyCount());
      try (Pin in = a.pin("s", "m", new float[] {1f}, new PinOptions().timestamp("2026-01-15T00:00:00Z"));
          Pin late = a.pin("s", "m", new float[] {1f}, new PinOptions().timestamp("2026-02-01T00:00:00Z"));
          Pin v1 = a.pin("s", "m", new float[] {1f}, new PinOptions().protocol(1).timestamp("2026-01-15T00:00:00Z"))) {
        assertEquals(Status.OK, v.verify(in).status());
        assertEquals(Status.KEY_EXPIRED, v.verify(late).status());
        assertEquals(Status.UNSUPPORTED_VERSION, v.verify(v1).status());
        v.setLegacyV1(true);
        assertEquals(Status.OK, v.verify(v1).status());
        assertEquals(1, v1.version());
      }
      v.addKey("c", VectorPin.decodePublicKey(TestSupport.TEST_PUBLIC_KEY), null, "2020-01-01T00:00:00Z");
      assertEquals(Status.INVALID_INPUT, assertThrows(VectorPinException.class,
          () -> v.addKey("d", VectorPin.decodePublicKey(TestSupport.TEST_PUBLIC_KEY), "yesterday", null)).status());
      try (Signer c = Signer.fromSeed("c", TestSupport.seed()); Pin p = c.pin("s", "m", new float[] {1f})) {
        assertEquals(Status.KEY_EXPIRED, v.verify(p).status());
      }
      assertEquals(Status.UNKNOWN_KEY, v.verifyJson(
          "{\"kid\":\"zz\",\"model\":\"m\",\"sig\":\"" + "A".repeat(86) + "\",\"source_hash\":\"sha256:" + "0".repeat(64)
              + "\",\"ts\":\"2026-01-01T00:00:00Z\",\"v\":2,\"vec_dim\":1,\"vec_dtype\":\"f32\",\"vec_hash\":\"sha256:"
              + "0".repeat(64) + "\"}").status());
    }
  }

  @Test
  void helpers() {
    VectorPin.checkTimestamp("2024-02-29T23:59:59Z");
    for (String bad : new String[] {"2023-02-29T00:00:00Z", "2024-01-01T00:00:60Z", "2024-01-01 00:00:00Z", ""}) {
      assertEquals(Status.INVALID_INPUT, assertThrows(VectorPinException.class, () -> VectorPin.checkTimestamp(bad)).status());
    }
    VectorPin.checkTimestamp(VectorPin.timestampNow());
    for (String bad : new String[] {"AA==", "A+8", "A/8", "AA AA"}) {
      assertEquals(Status.INVALID_INPUT, assertThrows(VectorPinException.class, () -> VectorPin.base64urlDecode(bad)).status());
    }
    byte[] pk = VectorPin.decodePublicKey(TestSupport.TEST_PUBLIC_KEY);
    assertArrayEquals(pk, VectorPin.decodePublicKey(VectorPin.publicKeyPem(pk)));
    assertArrayEquals(pk, VectorPin.decodePublicKey(pk));
    assertEquals(Status.INVALID_KEY, assertThrows(VectorPinException.class, () -> VectorPin.decodePublicKey(new byte[32])).status());
    assertEquals(VectorPin.hashText("caf\u00e9"), VectorPin.hashText("cafe\u0301"));
    assertEquals(Status.INVALID_INPUT,
        assertThrows(VectorPinException.class, () -> VectorPin.hashText(new byte[] {(byte) 0xff})).status());
    assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        VectorPin.hashVector(new float[0], Dtype.F32));
  }
}
