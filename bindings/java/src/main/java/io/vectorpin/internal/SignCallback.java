package io.vectorpin.internal;

/**
 * What the native layer calls when an external signer needs a signature.
 * Internal; the public form is {@link io.vectorpin.ExternalSigner}.
 */
@FunctionalInterface
public interface SignCallback {
  /**
   * Returns the 64-byte Ed25519 signature of {@code message}; anything else
   * (null, another length) is reported to the library as a failure. Must not
   * throw: the native caller cannot propagate Java exceptions.
   */
  byte[] sign(byte[] message);
}
