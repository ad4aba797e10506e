package io.vectorpin.tools;

import io.vectorpin.Pin;
import io.vectorpin.Signer;
import io.vectorpin.VectorPin;
import io.vectorpin.VerificationResult;
import io.vectorpin.Verifier;

/**
 * {@code SelfCheck jar|library-path}: checks where the native library was
 * loaded from and that a pin round trip works (the jar-loading tests).
 */
public final class SelfCheck {
  private SelfCheck() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: SelfCheck jar|library-path");
      System.exit(2);
    }
    System.exit(selfcheck(args[0]));
  }

  static int selfcheck(String mode) {
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
    System.out.println("libvectorpin " + VectorPin.version() + " (ABI " + VectorPin.abiVersion() + ") loaded from "
        + origin + ": 1 passed, 0 failed");
    return 0;
  }
}
