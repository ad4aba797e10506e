package io.vectorpin.tools;

import io.vectorpin.Pin;
import io.vectorpin.PinOptions;
import io.vectorpin.Signer;
import io.vectorpin.Status;
import io.vectorpin.VectorPin;
import io.vectorpin.VerificationInput;
import io.vectorpin.VerificationResult;
import io.vectorpin.Verifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Java side of the cross-language test (contract in
 * testvectors/README.md): {@code sign OUT_FILE} and {@code verify IN_FILE...};
 * plus {@code selfcheck jar|library-path}, which checks how the native
 * library was loaded.
 */
public final class Interop {
  private Interop() {}

  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    int rc;
    if (args.length >= 2 && args[0].equals("sign")) {
      rc = sign(Paths.get(args[1]), out);
    } else if (args.length >= 2 && args[0].equals("verify")) {
      List<Path> files = new ArrayList<>();
      for (int k = 1; k < args.length; k++) files.add(Paths.get(args[k]));
      rc = verify(files, out);
    } else if (args.length == 2 && args[0].equals("selfcheck")) {
      rc = selfcheck(args[1], out);
    } else {
      System.err.println("usage: Interop sign OUT_FILE | verify IN_FILE... | selfcheck jar|library-path");
      rc = 2;
    }
    System.exit(rc);
  }

  static Path testvectors() {
    String dir = System.getenv("VECTORPIN_TESTVECTORS");
    return Paths.get(dir != null && !dir.isEmpty() ? dir : "testvectors");
  }

  static Map<String, Object> records() throws IOException {
    Path p = testvectors().resolve("crosslang.json");
    return Json.object(Json.parse(Files.readString(p, StandardCharsets.UTF_8)));
  }

  /** Little-endian packed elements, as the fixture files hold vectors. */
  public static Object decodeVector(String b64, String dtype) {
    ByteBuffer raw = ByteBuffer.wrap(VectorPin.base64urlDecode(b64)).order(ByteOrder.LITTLE_ENDIAN);
    if (dtype.equals("f32")) {
      float[] v = new float[raw.remaining() / 4];
      raw.asFloatBuffer().get(v);
      return v;
    }
    if (dtype.equals("f64")) {
      double[] v = new double[raw.remaining() / 8];
      raw.asDoubleBuffer().get(v);
      return v;
    }
    throw new IllegalArgumentException("unknown dtype " + dtype);
  }

  static int sign(Path outFile, PrintStream out) throws IOException {
    Map<String, Object> doc = records();
    byte[] seed = VectorPin.base64urlDecode((String) doc.get("seed_b64"));
    StringBuilder lines = new StringBuilder();
    int written = 0;
    try (Signer signer = Signer.fromSeed("crosslang-java", seed)) {
      String pk = signer.publicKeyBase64();
      for (Object o : Json.array(doc.get("records"))) {
        Map<String, Object> r = Json.object(o);
        PinOptions options = new PinOptions();
        for (Map.Entry<String, Object> e : Json.object(r.get("extra")).entrySet()) {
          options.extra(e.getKey(), (String) e.getValue());
        }
        Object vector = decodeVector((String) r.get("vector_b64"), (String) r.get("dtype"));
        String source = (String) r.get("source");
        String model = (String) r.get("model");
        try (Pin pin = vector instanceof float[]
            ? signer.pin(source, model, (float[]) vector, options)
            : signer.pin(source, model, (double[]) vector, options)) {
          lines.append("{\"lang\":\"java\",\"kid\":").append(Json.quote(signer.kid()))
              .append(",\"public_key_b64\":").append(Json.quote(pk))
              .append(",\"name\":").append(Json.quote((String) r.get("name")))
              .append(",\"pin_json\":").append(Json.quote(pin.toJson())).append("}\n");
        }
        written++;
      }
    }
    Files.writeString(outFile, lines.toString(), StandardCharsets.UTF_8);
    out.println("signed " + written + " records");
    return written > 0 ? 0 : 1;
  }

  static int verify(List<Path> files, PrintStream out) throws IOException {
    Map<String, Object> doc = records();
    int passed = 0;
    int failed = 0;
    for (Path file : files) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        System.err.println("cannot read " + file);
        failed++;
        continue;
      }
      for (String line : lines) {
        if (line.isEmpty()) continue;
        Map<String, Object> item = Json.object(Json.parse(line));
        String label = item.get("lang") + "/" + item.get("name");
        Map<String, Object> rec = null;
        for (Object o : Json.array(doc.get("records"))) {
          if (Json.object(o).get("name").equals(item.get("name"))) rec = Json.object(o);
        }
        String why = rec == null ? "unknown record" : check(item, rec);
        if (why == null) {
          passed++;
        } else {
          failed++;
          System.err.println("FAIL " + label + ": " + why);
        }
      }
    }
    out.println(passed + " passed, " + failed + " failed");
    return failed == 0 && passed > 0 ? 0 : 1;
  }

  /** Null when the record verifies and its tampered copy does not; else why. */
  private static String check(Map<String, Object> item, Map<String, Object> rec) {
    try (Verifier verifier = new Verifier()) {
      verifier.addKey((String) item.get("kid"), VectorPin.base64urlDecode((String) item.get("public_key_b64")));
      String pin = (String) item.get("pin_json");
      String dtype = (String) rec.get("dtype");
      Object vector = decodeVector((String) rec.get("vector_b64"), dtype);
      String recordId = (String) Json.object(rec.get("extra")).get("vectorpin.record_id");
      VerificationInput in = input((String) rec.get("source"), vector, recordId);
      VerificationResult r = verifier.verifyJson(pin, in);
      if (!r.isOk()) return r.toString();
      if (vector instanceof float[]) {
        ((float[]) vector)[0] += 0.5f;
      } else {
        ((double[]) vector)[0] += 0.5;
      }
      r = verifier.verifyJson(pin, input((String) rec.get("source"), vector, recordId));
      if (r.status() != Status.VECTOR_TAMPERED) return "tampered vector gave " + r.statusName();
      return null;
    } catch (RuntimeException e) {
      return e.toString();
    }
  }

  private static VerificationInput input(String source, Object vector, String recordId) {
    VerificationInput in = new VerificationInput().source(source).expectRecordId(recordId);
    return vector instanceof float[] ? in.vector((float[]) vector) : in.vector((double[]) vector);
  }

  static int selfcheck(String mode, PrintStream out) {
    String expected = mode.equals("library-path") ? "java.library.path" : mode;
    String origin = VectorPin.nativeOrigin();
    if (!origin.equals(expected)) {
      System.err.println("native library loaded from " + origin + ", expected " + expected);
      return 1;
    }
    if (VectorPin.abiVersion() != 2) {
      System.err.println("ABI version " + VectorPin.abiVersion());
      return 1;
    }
    byte[] seed = new byte[32];
    for (int k = 0; k < 32; k++) seed[k] = (byte) k;
    try (Signer s = Signer.fromSeed("selfcheck", seed);
        Verifier v = new Verifier();
        Pin p = s.pin("text", "model", new float[] {1f, 2f})) {
      v.addKey("selfcheck", s.publicKey());
      VerificationResult r = v.verify(p, "text", new float[] {1f, 2f});
      if (!r.isOk() || !s.publicKeyBase64().equals("A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg")) {
        System.err.println("round trip failed: " + r);
        return 1;
      }
    }
    out.println("libvectorpin " + VectorPin.version() + " (ABI " + VectorPin.abiVersion() + ") loaded from "
        + origin + ": 1 passed, 0 failed");
    return 0;
  }
}
