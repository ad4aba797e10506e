package io.vectorpin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vectorpin.Dtype;
import io.vectorpin.Pin;
import io.vectorpin.PinOptions;
import io.vectorpin.Signer;
import io.vectorpin.VectorPin;
import io.vectorpin.VectorPinException;
import io.vectorpin.VerificationInput;
import io.vectorpin.Verifier;
import io.vectorpin.tools.Json;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every case of every fixture file, through the binding's own API. Each
 * verification runs twice: from JSON with heap arrays, and through
 * Pin.parse + verify with direct buffers; both must give the expected status.
 */
class FixtureTest {
  private static int casesRun;

  @AfterAll
  static void report() {
    System.out.println("fixture cases run: " + casesRun);
    assertTrue(casesRun > 0, "no fixture case ran");
  }

  /** What one case supplies besides the pin. */
  private static final class Supplied {
    byte[] source;
    Object vector;
    String model;
    String recordId;
    String collectionId;
    String tenantId;

    VerificationInput input(boolean directBuffers) {
      VerificationInput in = new VerificationInput();
      if (source != null) in.sourceBytes(source);
      if (vector != null) {
        Object v = directBuffers ? TestSupport.direct(vector) : vector;
        if (v instanceof float[]) in.vector((float[]) v);
        else if (v instanceof double[]) in.vector((double[]) v);
        else if (v instanceof FloatBuffer) in.vector((FloatBuffer) v);
        else in.vector((DoubleBuffer) v);
      }
      if (model != null) in.expectModel(model);
      if (recordId != null) in.expectRecordId(recordId);
      if (collectionId != null) in.expectCollectionId(collectionId);
      if (tenantId != null) in.expectTenantId(tenantId);
      return in;
    }
  }

  /** The status name both paths give; a mismatch between them is reported as such. */
  private static String verify(Verifier v, byte[] pinJson, Supplied s) {
    String fromJson = v.verifyJson(pinJson, s.input(false)).statusName();
    String parsed;
    try (Pin pin = Pin.parse(pinJson)) {
      parsed = v.verify(pin, s.input(true)).statusName();
    } catch (VectorPinException e) {
      parsed = e.statusName();
    }
    return fromJson.equals(parsed) ? fromJson : "verifyJson " + fromJson + " but parse+verify " + parsed;
  }

  private static void check(List<String> failures, String name, Object expected, Object actual) {
    if (!String.valueOf(expected).equals(String.valueOf(actual))) {
      failures.add(name + ": expected " + expected + ", got " + actual);
    }
  }

  private static void done(List<String> failures, String what) {
    assertTrue(failures.isEmpty(), what + " failures:\n" + String.join("\n", failures));
  }

  private static byte[] utf8(Object s) {
    return ((String) s).getBytes(StandardCharsets.UTF_8);
  }

  private static String hashVector(Object vector, Dtype dtype) {
    return VectorPin.hashVector(vector, dtype);
  }

  // ---- upstream schemas -------------------------------------------------------------

  private static int runV1(String file) {
    Map<String, Object> doc = TestSupport.load(file);
    List<String> failures = new ArrayList<>();
    int n = 0;
    String kid = (String) doc.get("key_id");
    try (Verifier v = new Verifier();
        Signer signer = Signer.fromSeed(kid, TestSupport.b64(doc.get("private_seed_b64")))) {
      v.addKey(kid, TestSupport.b64(doc.get("public_key_b64")));
      v.setLegacyV1(true);
      for (Object o : Json.array(doc.get("fixtures"))) {
        Map<String, Object> f = Json.object(o);
        Map<String, Object> in = Json.object(f.get("input"));
        Map<String, Object> exp = Json.object(f.get("expected"));
        String name = file + " " + f.get("name");
        Supplied s = new Supplied();
        s.source = utf8(in.get("source"));
        s.vector = TestSupport.vector(in.get("vector_b64"), in.get("vec_dtype"));
        s.model = (String) in.get("model");
        String pinJson = (String) exp.get("pin_json");
        check(failures, name + " verify", "OK", verify(v, utf8(pinJson), s));
        try (Pin pin = Pin.parse(pinJson)) {
          check(failures, name + " canonical header", exp.get("canonical_header_b64"),
              VectorPin.base64urlEncode(pin.signedBytes()));
          check(failures, name + " version", 1, pin.version());
        }
        check(failures, name + " vec_hash", exp.get("vec_hash"),
            hashVector(s.vector, Dtype.fromWireName((String) in.get("vec_dtype"))));
        check(failures, name + " source_hash", exp.get("source_hash"), VectorPin.hashText((String) in.get("source")));
        PinOptions options = new PinOptions().protocol(1).timestamp((String) in.get("timestamp"))
            .dtype(Dtype.fromWireName((String) in.get("vec_dtype")));
        try (Pin again = s.vector instanceof float[]
            ? signer.pin((String) in.get("source"), s.model, (float[]) s.vector, options)
            : signer.pin((String) in.get("source"), s.model, (double[]) s.vector, options)) {
          check(failures, name + " re-signed", pinJson, again.toJson());
        }
        n++;
      }
    }
    done(failures, file);
    return n;
  }

  private static int runNegativeV1(String file) {
    Map<String, Object> f = TestSupport.load(file);
    List<String> failures = new ArrayList<>();
    try (Verifier v = new Verifier()) {
      v.addKey("test-vectors-2026-05", TestSupport.TEST_PUBLIC_KEY);
      v.setLegacyV1(true);
      Supplied s = new Supplied();
      s.vector = TestSupport.vector(f.get("tampered_vector_b64"), "f32");
      check(failures, file + " " + f.get("name"), ((String) f.get("expected_error")).toUpperCase(Locale.ROOT),
          verify(v, utf8(f.get("pin_json")), s));
    }
    done(failures, file);
    return 1;
  }

  private static int runV2(String file) {
    Map<String, Object> doc = TestSupport.load(file);
    List<String> failures = new ArrayList<>();
    int n = 0;
    String kid = (String) doc.get("key_id");
    byte[] domainTag = TestSupport.b64(doc.get("domain_tag_b64"));
    try (Verifier v = new Verifier();
        Signer signer = Signer.fromPrivateKey(kid, TestSupport.b64(doc.get("private_key_b64")))) {
      v.addKey(kid, TestSupport.b64(doc.get("public_key_b64")));
      for (Object o : Json.array(doc.get("fixtures"))) {
        Map<String, Object> f = Json.object(o);
        Map<String, Object> in = Json.object(f.get("input"));
        String name = file + " " + f.get("name");
        Supplied s = new Supplied();
        s.source = utf8(in.get("source"));
        s.vector = TestSupport.vector(in.get("vec_b64"), in.get("vec_dtype"));
        s.model = (String) in.get("model");
        Map<String, Object> extra = in.get("extra") == null ? Map.of() : Json.object(in.get("extra"));
        s.recordId = (String) extra.get(PinOptions.RECORD_ID);
        String pinJson = (String) f.get("pin_json");
        check(failures, name + " verify", "OK", verify(v, utf8(pinJson), s));
        try (Pin pin = Pin.parse(pinJson)) {
          byte[] signed = pin.signedBytes();
          check(failures, name + " canonical bytes", f.get("expected_canonical_bytes_b64"),
              VectorPin.base64urlEncode(signed));
          check(failures, name + " domain tag", TestSupport.hex(domainTag),
              TestSupport.hex(java.util.Arrays.copyOf(signed, domainTag.length)));
          check(failures, name + " extras", extra, pin.extras());
          check(failures, name + " model_hash", in.get("model_hash"), pin.modelHash().orElse(null));
        }
        check(failures, name + " vec_hash", f.get("expected_vec_hash"),
            hashVector(s.vector, Dtype.fromWireName((String) in.get("vec_dtype"))));
        check(failures, name + " source_hash", f.get("expected_source_hash"),
            VectorPin.hashText((String) in.get("source")));
        PinOptions options = new PinOptions().timestamp((String) in.get("timestamp"))
            .dtype(Dtype.fromWireName((String) in.get("vec_dtype")));
        if (in.get("model_hash") != null) options.modelHash((String) in.get("model_hash"));
        for (Map.Entry<String, Object> e : extra.entrySet()) options.extra(e.getKey(), (String) e.getValue());
        try (Pin again = s.vector instanceof float[]
            ? signer.pin((String) in.get("source"), s.model, (float[]) s.vector, options)
            : signer.pin((String) in.get("source"), s.model, (double[]) s.vector, options)) {
          check(failures, name + " re-signed", pinJson, again.toJson());
        }
        n++;
      }
    }
    done(failures, file);
    return n;
  }

  private static int runNegativeV2(String file) {
    Map<String, Object> doc = TestSupport.load(file);
    List<String> failures = new ArrayList<>();
    int n = 0;
    try (Verifier v = new Verifier()) {
      v.addKey((String) doc.get("key_id"), TestSupport.b64(doc.get("public_key_b64")));
      for (Object o : Json.array(doc.get("fixtures"))) {
        Map<String, Object> f = Json.object(o);
        Supplied s = new Supplied();
        if (f.containsKey("tampered_vec_b64")) s.vector = TestSupport.vector(f.get("tampered_vec_b64"), f.get("vec_dtype"));
        if (f.containsKey("nan_vec_b64")) s.vector = TestSupport.vector(f.get("nan_vec_b64"), f.get("vec_dtype"));
        if (f.containsKey("tampered_source")) s.source = utf8(f.get("tampered_source"));
        if (f.containsKey("expected_model")) s.model = (String) f.get("expected_model");
        if (f.containsKey("expected_record_id")) s.recordId = (String) f.get("expected_record_id");
        check(failures, file + " " + f.get("name"), f.get("expected_failure"), verify(v, utf8(f.get("pin_json")), s));
        n++;
      }
    }
    done(failures, file);
    return n;
  }

  @Test
  void upstreamFiles() {
    int n = runV1("upstream/v1.json") + runNegativeV1("upstream/negative_v1.json") + runV2("upstream/v2.json")
        + runNegativeV2("upstream/negative_v2.json");
    casesRun += n;
    assertEquals(4 + 1 + 4 + 17, n);
  }

  @Test
  void regeneratedFiles() {
    int n = runV1("v1.json") + runNegativeV1("negative_v1.json") + runV2("v2.json") + runNegativeV2("negative_v2.json");
    casesRun += n;
    assertEquals(4 + 1 + 4 + 17, n);
  }

  // ---- extended.json ----------------------------------------------------------------------

  private static String optional(Map<String, Object> m, String key) {
    return (String) m.get(key);
  }

  @Test
  void extendedVerifyCases() {
    Map<String, Object> doc = TestSupport.load("extended.json");
    List<String> failures = new ArrayList<>();
    int n = 0;
    for (Object o : Json.array(doc.get("verify_cases"))) {
      Map<String, Object> c = Json.object(o);
      String name = "verify " + c.get("name");
      try (Verifier v = new Verifier()) {
        for (Object k : Json.array(c.get("keys"))) {
          Map<String, Object> key = Json.object(k);
          v.addKey((String) key.get("kid"), TestSupport.b64(key.get("public_key_b64")), optional(key, "valid_from"),
              optional(key, "valid_until"));
        }
        v.setLegacyV1(Boolean.TRUE.equals(c.get("legacy_v1")));
        byte[] pin = c.containsKey("pin_json") ? utf8(c.get("pin_json")) : TestSupport.b64(c.get("pin_json_b64"));
        Supplied s = new Supplied();
        if (c.containsKey("source")) s.source = utf8(c.get("source"));
        if (c.containsKey("source_b64")) s.source = TestSupport.b64(c.get("source_b64"));
        if (c.containsKey("vector_b64")) s.vector = TestSupport.vector(c.get("vector_b64"), c.get("vector_dtype"));
        s.model = optional(c, "expected_model");
        s.recordId = optional(c, "expected_record_id");
        s.collectionId = optional(c, "expected_collection_id");
        s.tenantId = optional(c, "expected_tenant_id");
        check(failures, name, c.get("expected"), verify(v, pin, s));
      } catch (RuntimeException e) {
        failures.add(name + ": " + e);
      }
      n++;
    }
    casesRun += n;
    done(failures, "extended verify_cases");
    assertTrue(n > 0);
  }

  @Test
  void extendedRegistryCases() {
    Map<String, Object> doc = TestSupport.load("extended.json");
    List<String> failures = new ArrayList<>();
    int n = 0;
    for (Object o : Json.array(doc.get("registry_cases"))) {
      Map<String, Object> c = Json.object(o);
      String got;
      try (Verifier v = new Verifier()) {
        try {
          v.addKey("k", TestSupport.b64(c.get("public_key_b64")), optional(c, "valid_from"), optional(c, "valid_until"));
          got = "OK";
        } catch (VectorPinException e) {
          got = e.statusName();
        }
        check(failures, "registry " + c.get("name") + " key count", got.equals("OK") ? 1 : 0, v.keyCount());
      }
      check(failures, "registry " + c.get("name"), c.get("expected"), got);
      n++;
    }
    casesRun += n;
    done(failures, "extended registry_cases");
    assertTrue(n > 0);
  }

  @Test
  void extendedHashCases() {
    Map<String, Object> doc = TestSupport.load("extended.json");
    List<String> failures = new ArrayList<>();
    int n = 0;
    for (Object o : Json.array(doc.get("hash_text_cases"))) {
      Map<String, Object> c = Json.object(o);
      String got;
      try {
        got = VectorPin.hashText(TestSupport.b64(c.get("text_b64")));
      } catch (VectorPinException e) {
        got = e.statusName();
      }
      check(failures, "hash_text " + c.get("name"), c.get("expected") == null ? "INVALID_INPUT" : c.get("expected"), got);
      n++;
    }
    for (Object o : Json.array(doc.get("hash_vector_cases"))) {
      Map<String, Object> c = Json.object(o);
      Object vector = TestSupport.vector(c.get("vector_b64"), c.get("input_dtype"));
      Dtype dtype = Dtype.fromWireName((String) c.get("hash_dtype"));
      Object expected = c.get("expected") == null ? "INVALID_INPUT" : c.get("expected");
      for (boolean direct : new boolean[] {false, true}) {
        String got;
        try {
          got = VectorPin.hashVector(direct ? TestSupport.direct(vector) : vector, dtype);
        } catch (VectorPinException e) {
          got = e.statusName();
        }
        check(failures, "hash_vector " + c.get("name") + (direct ? " (direct buffer)" : ""), expected, got);
      }
      n++;
    }
    casesRun += n;
    done(failures, "extended hash cases");
    assertTrue(n > 0);
  }

  @Test
  void extendedSignCases() {
    Map<String, Object> doc = TestSupport.load("extended.json");
    List<String> failures = new ArrayList<>();
    int n = 0;
    for (Object o : Json.array(doc.get("sign_cases"))) {
      Map<String, Object> c = Json.object(o);
      String got;
      String json = null;
      try (Signer signer = Signer.fromSeed((String) c.get("kid"), TestSupport.seed())) {
        Map<String, Object> opt = Json.object(c.get("options"));
        PinOptions options = new PinOptions();
        if (opt.get("protocol") != null) options.protocol(((Number) opt.get("protocol")).intValue());
        if (opt.get("dtype") != null) options.dtype(Dtype.fromWireName((String) opt.get("dtype")));
        if (opt.get("model_hash") != null) options.modelHash((String) opt.get("model_hash"));
        if (opt.get("timestamp") != null) options.timestamp((String) opt.get("timestamp"));
        if (opt.get("extra") != null) {
          for (Map.Entry<String, Object> e : Json.object(opt.get("extra")).entrySet()) {
            options.extra(e.getKey(), (String) e.getValue());
          }
        }
        Object vector = TestSupport.vector(c.get("vector_b64"), c.get("input_dtype"));
        String source = (String) c.get("source");
        String model = (String) c.get("model");
        try (Pin pin = vector instanceof float[]
            ? signer.pin(source, model, (float[]) vector, options)
            : signer.pin(source, model, (double[]) vector, options)) {
          json = pin.toJson();
          got = "OK";
        }
      } catch (VectorPinException e) {
        got = e.statusName();
      }
      check(failures, "sign " + c.get("name"), c.get("expected"), got);
      if ("OK".equals(got)) check(failures, "sign " + c.get("name") + " pin", c.get("pin_json"), json);
      n++;
    }
    casesRun += n;
    done(failures, "extended sign_cases");
    assertTrue(n > 0);
  }

  /** Guards the helpers above: the fixture decoding agrees with the JDK's base64. */
  @Test
  void fixtureDecodingAgreesWithJdk() {
    String text = "AACAPgAAAL8AAIA_AAAAPg";
    assertEquals(TestSupport.hex(Base64.getUrlDecoder().decode(text)), TestSupport.hex(TestSupport.b64(text)));
  }
}
