package io.vectorpin;

/**
 * Produces Ed25519 signatures with a private key held elsewhere (a KMS, an
 * HSM). Called once per pin, on the thread that asked for the pin, possibly
 * from several threads at once when the {@link Signer} is shared.
 *
 * <p>The library verifies every signature returned against the signer's
 * public key before it emits a pin, so a faulty backend cannot produce bad
 * pins: a wrong signature, a result that is not 64 bytes, or an exception
 * all make {@link Signer#pin} throw {@link Status#EXTERNAL_SIGNER_FAILED}.
 */
@FunctionalInterface
public interface ExternalSigner {
  /**
   * The 64-byte Ed25519 signature of {@code message}.
   *
   * @param message the bytes to sign
   * @return the 64-byte signature
   * @throws Exception when the backend cannot sign; the pin then fails with
   *     {@link Status#EXTERNAL_SIGNER_FAILED}
   */
  byte[] sign(byte[] message) throws Exception;
}
