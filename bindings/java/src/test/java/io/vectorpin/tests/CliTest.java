package io.vectorpin.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vectorpin.Pin;
import io.vectorpin.PinOptions;
import io.vectorpin.Signer;
import io.vectorpin.Verifier;
import io.vectorpin.VerificationInput;
import io.vectorpin.tools.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files and pins exchanged with the `vectorpin` CLI in both directions. */
class CliTest {
  @TempDir Path tmp;

  private static String cli() {
    String cli = System.getenv("VECTORPIN_CLI");
    assertTrue(cli != null && !cli.isEmpty() && Files.isExecutable(Path.of(cli)),
        "VECTORPIN_CLI must name the vectorpin program (set by CMake)");
    return cli;
  }

  private static final class Run {
    int exit;
    String out;
  }

  private static Run run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(cli());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Run r = new Run();
    r.out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    r.exit = p.waitFor();
    return r;
  }

  @Test
  void cliKeysAreReadByTheBinding() throws Exception {
    Path keys = tmp.resolve("cli-keys");
    Run keygen = run("keygen", "--key-id", "from-cli", "--output", keys.toString());
    assertEquals(0, keygen.exit, keygen.out);
    byte[] pub = Files.readAllBytes(keys.resolve("from-cli.pub"));
    assertEquals(32, pub.length);
    try (Signer signer = Signer.load("from-cli", keys.resolve("from-cli.priv"));
        Verifier v = new Verifier()) {
      assertArrayEquals(pub, signer.publicKey());
      v.addKey("from-cli", pub);
      float[] vector = {0.5f, 1.5f, -2f};
      try (Pin pin = signer.pin("source text\n", "m", vector, new PinOptions().recordId("r7"))) {
        assertTrue(v.verify(pin, new VerificationInput().source("source text\n").vector(vector).expectRecordId("r7")).isOk());
        // The CLI verifies the binding's pin with its own key file.
        Path pinFile = tmp.resolve("pin.json");
        Path sourceFile = tmp.resolve("source.txt");
        Path vectorFile = tmp.resolve("vector.json");
        Files.writeString(pinFile, pin.toJson(), StandardCharsets.UTF_8);
        Files.writeString(sourceFile, "source text\n", StandardCharsets.UTF_8);
        Files.writeString(vectorFile, "[0.5, 1.5, -2]", StandardCharsets.UTF_8);
        Run ok = run("verify-pin", "--public-key", keys.resolve("from-cli.pub").toString(), "--key-id", "from-cli",
            "--pin", pinFile.toString(), "--source", sourceFile.toString(), "--vector", vectorFile.toString());
        assertEquals(0, ok.exit, ok.out);
        assertEquals(Boolean.TRUE, Json.object(Json.parse(ok.out.trim())).get("ok"));
        Files.writeString(sourceFile, "other text\n", StandardCharsets.UTF_8);
        Run bad = run("verify-pin", "--public-key", keys.resolve("from-cli.pub").toString(), "--key-id", "from-cli",
            "--pin", pinFile.toString(), "--source", sourceFile.toString());
        assertEquals(1, bad.exit, bad.out);
        Map<String, Object> result = Json.object(Json.parse(bad.out.trim()));
        assertEquals(Boolean.FALSE, result.get("ok"));
        assertEquals("SOURCE_MISMATCH", result.get("error"));
      }
    }
  }

  @Test
  void bindingKeysAreReadByTheCli() throws Exception {
    for (boolean pem : new boolean[] {false, true}) {
      Path keys = tmp.resolve(pem ? "pem-keys" : "raw-keys");
      String kid = pem ? "java-pem" : "java-raw";
      byte[] publicKey;
      try (Signer signer = Signer.generate(kid)) {
        signer.save(keys, pem);
        publicKey = signer.publicKey();
      }
      Path priv = keys.resolve(kid + ".priv");
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(priv);
      assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), perms);
      if (!pem) assertEquals(32, Files.size(priv));
      Path source = tmp.resolve(kid + ".txt");
      Path vector = tmp.resolve(kid + ".json");
      Files.writeString(source, "pinned by the CLI", StandardCharsets.UTF_8);
      Files.writeString(vector, "[1, 2.5, -3]", StandardCharsets.UTF_8);
      Run pinned = run("pin", "--private-key", priv.toString(), "--key-id", kid, "--model", "m", "--source",
          source.toString(), "--vector", vector.toString(), "--record-id", "r1");
      assertEquals(0, pinned.exit, pinned.out);
      try (Verifier v = new Verifier(); Pin pin = Pin.parse(pinned.out.trim())) {
        v.addKey(kid, publicKey);
        assertEquals("f64", pin.vecDtypeName());
        assertTrue(v.verify(pin, new VerificationInput().source("pinned by the CLI").vector(new double[] {1, 2.5, -3})
            .expectRecordId("r1")).isOk());
        assertFalse(v.verify(pin, "pinned by the CLI", new double[] {1, 2.5, -3.5}).isOk());
      }
      // And the CLI's verify-pin with the binding's public key file.
      Path pinFile = tmp.resolve(kid + ".pin");
      Files.writeString(pinFile, pinned.out.trim(), StandardCharsets.UTF_8);
      Run ok = run("verify-pin", "--public-key", keys.resolve(kid + ".pub").toString(), "--key-id", kid, "--pin",
          pinFile.toString());
      assertEquals(0, ok.exit, ok.out);
    }
  }
}
