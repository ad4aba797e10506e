// ES module entry point: the same objects as the CommonJS one, so a program
// mixing `import` and `require` shares one addon instance and one set of classes.
import vectorpin from './index.js';

export const {
  Signer,
  Verifier,
  VerifyStream,
  Pin,
  Status,
  hashText,
  hashVector,
  sha256,
  base64urlEncode,
  base64urlDecode,
  isValidTimestamp,
  timestampNow,
  decodePublicKey,
  publicKeyFingerprint,
  publicKeyPem,
  statusName,
  isVerificationFailure,
  version,
  versionNumber,
  abiVersion,
  protocolVersion,
  constants,
  addonPath,
} = vectorpin;

export default vectorpin;
