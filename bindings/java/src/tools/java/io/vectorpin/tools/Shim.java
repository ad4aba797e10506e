package io.vectorpin.tools;

import io.vectorpin.Dtype;
import io.vectorpin.Pin;
import io.vectorpin.PinOptions;
import io.vectorpin.Signer;
import io.vectorpin.VectorPin;
import io.vectorpin.VectorPinException;
import io.vectorpin.VerificationInput;
import io.vectorpin.VerificationResult;
import io.vectorpin.Verifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Java binding's conformance shim: answers the JSON-lines requests of
 * {@code vectorpin conformance} (docs/CONFORMANCE.md) through the public API.
 */
public final class Shim {
  private Shim() {}

  public static void main(String[] args) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    String line;
    while ((line = in.readLine()) != null) {
      Object id = null;
      Map<String, Object> answer;
      try {
        Map<String, Object> request = Json.object(Json.parse(line));
        id = request.get("id");
        Object input = request.get("input");
        answer = answer((String) request.get("op"), input == null ? new LinkedHashMap<>() : Json.object(input));
      } catch (VectorPinException e) {
        answer = status(e.statusName());
        answer.put("detail", e.detail());
      } catch (RuntimeException e) {
        answer = status("BAD_REQUEST");
        answer.put("detail", String.valueOf(e));
      }
      answer.put("id", id);
      out.print(toJson(answer));
      out.print('\n');
      out.flush();
    }
  }

  static Map<String, Object> answer(String op, Map<String, Object> in) {
    switch (op) {
      case "hello": {
        Map<String, Object> a = status("OK");
        a.put("protocol", 1);
        a.put("name", "java");
        a.put("implementation", "Java binding on libvectorpin " + VectorPin.version());
        return a;
      }
      case "hash_text":
        return ok("hash", VectorPin.hashText(bytes(in, "text_b64")));
      case "hash_vector":
        return ok("hash", VectorPin.hashVector(vector(in), dtype((String) in.get("hash_dtype"))));
      case "parse":
        try (Pin pin = Pin.parse(bytes(in, "pin_b64"))) {
          Map<String, Object> a = ok("signed_bytes_b64", VectorPin.base64urlEncode(pin.signedBytes()));
          a.put("pin_b64", VectorPin.base64urlEncode(pin.toJsonBytes()));
          return a;
        }
      case "sign":
        return sign(in);
      case "verify":
        return verify(in);
      case "add_key":
        try (Verifier v = new Verifier()) {
          addKey(v, in);
          return status("OK");
        }
      case "fingerprint":
        return ok("fingerprint", VectorPin.fingerprint(bytes(in, "public_key_b64")));
      default:
        return status("unsupported");
    }
  }

  private static Map<String, Object> sign(Map<String, Object> in) {
    PinOptions options = new PinOptions();
    if (in.get("protocol") != null) options.protocol(((Number) in.get("protocol")).intValue());
    if (in.get("dtype") != null) options.dtype(dtype((String) in.get("dtype")));
    if (in.get("model_hash") != null) options.modelHash((String) in.get("model_hash"));
    if (in.get("timestamp") != null) options.timestamp((String) in.get("timestamp"));
    if (in.get("extra") != null) {
      for (Map.Entry<String, Object> e : Json.object(in.get("extra")).entrySet()) {
        options.extra(e.getKey(), (String) e.getValue());
      }
    }
    String source = text(bytes(in, "source_b64"));
    String model = (String) in.get("model");
    Object vector = vector(in);
    try (Signer signer = Signer.fromSeed((String) in.get("kid"), bytes(in, "seed_b64"));
        Pin pin = vector instanceof float[]
            ? signer.pin(source, model, (float[]) vector, options)
            : signer.pin(source, model, (double[]) vector, options)) {
      return ok("pin_b64", VectorPin.base64urlEncode(pin.toJsonBytes()));
    }
  }

  private static Map<String, Object> verify(Map<String, Object> in) {
    try (Verifier v = new Verifier()) {
      for (Object k : Json.array(in.get("keys"))) addKey(v, Json.object(k));
      v.setLegacyV1(Boolean.TRUE.equals(in.get("legacy_v1")));
      VerificationInput check = new VerificationInput();
      if (in.get("source_b64") != null) check.sourceBytes(bytes(in, "source_b64"));
      if (in.get("vector") != null) {
        Object vector = vector(in);
        if (vector instanceof float[]) check.vector((float[]) vector);
        else check.vector((double[]) vector);
      }
      if (in.get("expect_model") != null) check.expectModel((String) in.get("expect_model"));
      if (in.get("expect_record_id") != null) check.expectRecordId((String) in.get("expect_record_id"));
      if (in.get("expect_collection_id") != null) check.expectCollectionId((String) in.get("expect_collection_id"));
      if (in.get("expect_tenant_id") != null) check.expectTenantId((String) in.get("expect_tenant_id"));
      VerificationResult r = v.verifyJson(bytes(in, "pin_b64"), check);
      if (r.isOk()) return status("OK");
      Map<String, Object> a = status(r.statusName());
      a.put("detail", r.message());
      return a;
    }
  }

  private static void addKey(Verifier v, Map<String, Object> k) {
    v.addKey((String) k.get("kid"), bytes(k, "public_key_b64"), (String) k.get("valid_from"), (String) k.get("valid_until"));
  }

  /** Little-endian packed elements of the request's {@code vector}. */
  public static Object decodeVector(String b64, String dtype) {
    ByteBuffer raw = ByteBuffer.wrap(VectorPin.base64urlDecode(b64)).order(ByteOrder.LITTLE_ENDIAN);
    if (dtype.equals("f64")) {
      double[] v = new double[raw.remaining() / 8];
      raw.asDoubleBuffer().get(v);
      return v;
    }
    float[] v = new float[raw.remaining() / 4];
    raw.asFloatBuffer().get(v);
    return v;
  }

  private static Object vector(Map<String, Object> in) {
    Map<String, Object> v = Json.object(in.get("vector"));
    return decodeVector((String) v.get("data_b64"), (String) v.get("dtype"));
  }

  private static Dtype dtype(String name) {
    return "f64".equals(name) ? Dtype.F64 : Dtype.F32;
  }

  private static byte[] bytes(Map<String, Object> in, String key) {
    return VectorPin.base64urlDecode((String) in.get(key));
  }

  /** Java strings hold only valid UTF-16: bytes that are not UTF-8 are refused here, as the signer would. */
  private static String text(byte[] utf8) {
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("source is not valid UTF-8", e);
    }
  }

  private static Map<String, Object> status(String s) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("status", s);
    return a;
  }

  private static Map<String, Object> ok(String key, String value) {
    Map<String, Object> a = status("OK");
    a.put(key, value);
    return a;
  }

  private static String toJson(Map<String, Object> a) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Object> e : a.entrySet()) {
      if (sb.length() > 1) sb.append(',');
      sb.append(Json.quote(e.getKey())).append(':');
      Object v = e.getValue();
      if (v == null) sb.append("null");
      else if (v instanceof Number || v instanceof Boolean) sb.append(v);
      else sb.append(Json.quote(v.toString()));
    }
    return sb.append('}').toString();
  }
}
