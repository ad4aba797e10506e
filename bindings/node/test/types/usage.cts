// Compiled by `npm run typecheck`: the declarations describe what a CommonJS
// program sees. Lines marked @ts-expect-error must stay errors.
import vp = require('vectorpin-native');

const signer: vp.Signer = vp.Signer.fromSeed('k', new Uint8Array(32));
const pin: vp.Pin = signer.pin({
  source: 'text',
  model: 'm',
  vector: new Float32Array([1, 2]),
  dtype: 'f64',
  extra: new Map([['a', 'b']]),
  recordId: 'r',
  timestamp: new Date(),
});
const version: 1 | 2 = pin.version;
const modelHash: string | null = pin.modelHash;
const verifier = new vp.Verifier({ k: signer.publicKey, k2: { publicKey: 'base64url', validFrom: null } }, { legacyV1: false });
const result = verifier.verify(pin.toString(), { source: Buffer.from('text'), expectedRecordId: 'r' });
if (!result.ok) {
  const reason: vp.VerificationError = result.error;
  const detail: string = result.detail;
  void reason;
  void detail;
}
const batch: Promise<vp.VerifyResult[]> = verifier.verifyBatchAsync([{ pin, vector: [1, 2] }]);
const code: number = vp.Status.SIGNATURE_INVALID;
const hash: string = vp.hashVector(new Float64Array(3), 'f32');
const ext = vp.Signer.external('kms', signer.publicKey, (message: Buffer) => message.subarray(0, 64));
const loaded = vp.Signer.load('/keys/k.priv', { allowInsecurePermissions: true });

// @ts-expect-error dtype is 'f32' | 'f64'
signer.pin({ source: 's', model: 'm', vector: [1], dtype: 'f16' });
// @ts-expect-error model is required
signer.pin({ source: 's', vector: [1] });
// @ts-expect-error constructors are private
new vp.Pin();
// @ts-expect-error no default export on the CommonJS side
vp.default;

void [version, modelHash, batch, code, hash, ext, loaded];

// Batches: blocking, on the thread pool, and streamed.
const syncResults: vp.VerifyResult[] = verifier.verifyBatch([{ pin: 'json', source: 's' }], { threads: 2 });
const asyncResults: Promise<vp.VerifyResult[]> = verifier.verifyBatchAsync(new Set([{ pin }]), { threads: 4 });
const stream: vp.VerifyStream = verifier.stream({ threads: 0 });
const id: number = stream.submit(pin, { vector: new Float64Array(2), expectedModel: 'm' });
const first: vp.StreamResult | null = stream.next({ wait: false });
if (first !== null) {
  const firstId: number = first.id;
  void firstId;
}
async function drain(s: vp.VerifyStream): Promise<number> {
  let n = 0;
  for await (const r of s) if (r.ok) n += r.id >= 0 ? 1 : 0;
  return n;
}
const pendingNow: number = stream.pending;
const maxThreads: number = vp.constants.BATCH_MAX_THREADS;
// @ts-expect-error submit takes the options of verify()
stream.submit(pin, { threads: 2 });
void [syncResults, asyncResults, id, drain, pendingNow, maxThreads];
