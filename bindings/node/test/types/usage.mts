// The ES module view: named exports and the default export.
import vectorpin, { Signer, Verifier, Status, type VerifyResult } from 'vectorpin-native';

using signer = Signer.generate('esm');
const verifier = new vectorpin.Verifier({ [signer.kid]: signer.publicKey });
const r: VerifyResult = verifier.verify(signer.pin({ source: 's', model: 'm', vector: new Float32Array(4) }));
const same: typeof Verifier = vectorpin.Verifier;
const ok: number = Status.OK;
void [r, same, ok];
