// The package's own idioms: loading, WasmVector, errors, handle lifetimes,
// and that nothing outside WebAssembly and the web-standard globals is used
// once the module is loaded.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import init, {
  Signer,
  Verifier,
  Pin,
  WasmVector,
  Status,
  hashVector,
  hashText,
  decodePublicKey,
  publicKeyFingerprint,
  statusName,
  version,
} from '../lib/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const seed = new Uint8Array(32).map((_, i) => i);
const publicKeyB64 = 'A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg'; // of the seed 0..31

test.before(() => init());

test('init is idempotent and the version matches the package', async () => {
  await init();
  const pkg = JSON.parse(fs.readFileSync(path.join(here, '../package.json'), 'utf8'));
  assert.equal(version(), pkg.version);
  assert.equal(statusName(Status.VECTOR_TAMPERED), 'VECTOR_TAMPERED');
  assert.equal(statusName(12345), 'UNKNOWN_STATUS');
});

test('generated keys sign pins that verify, and only with their own key', () => {
  const a = Signer.generate('key-a');
  const b = Signer.generate('key-b');
  assert.notDeepEqual(a.publicKey, b.publicKey); // randomness reached libsodium
  const vector = new Float32Array([0.25, -1.5, 3]);
  const pin = a.pin({ source: 'text', model: 'm', vector });
  const good = new Verifier({ 'key-a': a.publicKey });
  const wrong = new Verifier({ 'key-a': b.publicKey });
  assert.deepEqual(good.verify(pin, { source: 'text', vector }), { ok: true, error: null, detail: null, status: 0 });
  assert.equal(wrong.verify(pin).error, 'SIGNATURE_INVALID');
  assert.equal(good.verify(pin, { source: 'other' }).error, 'SOURCE_MISMATCH');
  for (const h of [a, b, pin, good, wrong]) h.close();
});

test('a WasmVector is read in place and gives the same answers as a copied Float32Array', () => {
  const signer = Signer.fromSeed('k', seed);
  const verifier = new Verifier({ k: publicKeyB64 });
  const data = Float32Array.from({ length: 1000 }, (_, i) => Math.fround(i / 7));
  const v = new WasmVector(data.length, 'f32');
  v.array.set(data);
  assert.equal(hashVector(v), hashVector(data));
  const pin = signer.pin({ source: 's', model: 'm', vector: v });
  assert.equal(verifier.verify(pin.toString(), { vector: data }).ok, true);
  assert.equal(verifier.verify(pin.toString(), { vector: v }).ok, true);
  v.array[999] += 1; // the module sees the change: no hidden copy
  assert.equal(verifier.verify(pin.toString(), { vector: v }).error, 'VECTOR_TAMPERED');
  v.close();
  assert.equal(v.closed, true);
  assert.throws(() => hashVector(v), { code: 'INVALID_ARGUMENT' });
  pin.close();
  signer.close();
  verifier.close();
});

test('f64 vectors, byte vectors and plain arrays', () => {
  const d = new Float64Array([0.1, 0.2, 0.3]);
  assert.equal(hashVector(d), hashVector(Array.from(d)));
  assert.equal(hashVector(d, 'f32'), hashVector(new Float32Array(d)));
  assert.equal(hashVector(new Uint8Array(d.buffer), { vectorDtype: 'f64' }), hashVector(d));
  assert.throws(() => hashVector(new Uint8Array(5)), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => hashVector(new Float32Array([NaN])), { code: 'INVALID_INPUT' });
});

test('public key fingerprints match the signer and refuse a short key', () => {
  // PROTOCOL.md's example fingerprint of this key.
  assert.equal(publicKeyFingerprint(publicKeyB64), '5647:5aa7:5463:474c');
  const signer = Signer.fromSeed('k', seed);
  assert.equal(publicKeyFingerprint(signer.publicKey), signer.fingerprint);
  signer.close();
  assert.throws(() => publicKeyFingerprint(new Uint8Array(31)), { code: 'INVALID_KEY' });
});

test('errors carry code, status and a bounded detail', () => {
  assert.throws(() => Pin.parse('{"v":2'), (err) => err.code === 'PARSE_ERROR' && err.status === 4 && typeof err.detail === 'string');
  assert.throws(() => decodePublicKey(new Uint8Array(31)), { code: 'INVALID_KEY' });
  assert.throws(() => hashText(new Uint8Array([0xff])), { code: 'INVALID_INPUT' });
  const long = 'x'.repeat(100000);
  let detail = '';
  try {
    Pin.parse(long);
  } catch (err) {
    detail = err.detail;
  }
  assert.ok(detail.length > 0 && detail.length < 256, 'the message is bounded');
  const verifier = new Verifier({ k: publicKeyB64 });
  assert.throws(() => verifier.addKey('k', publicKeyB64), { code: 'DUPLICATE_KEY_ID' });
  assert.equal(verifier.keyCount, 1);
  verifier.close();
  assert.throws(() => verifier.verify('{}'), { code: 'INVALID_ARGUMENT' });
});

// The limit bounds how many keys get tables, never an answer.
test('the prepared-key limit bounds tables, not answers', () => {
  const signers = ['k0', 'k1', 'k2'].map((kid) => Signer.generate(kid));
  const pins = signers.map((s) => s.pin({ source: 'text', model: 'model', vector: [0.25, -0.5, 1, 2] }));
  for (const limit of [0, 1, 2, 128]) {
    // k2 is registered with k0's key: its pin must fail, table or not.
    const v = new Verifier({ k0: signers[0].publicKey, k1: signers[1].publicKey, k2: signers[0].publicKey });
    assert.equal(v.preparedKeyLimit, 128);
    v.preparedKeyLimit = limit;
    assert.equal(v.preparedKeyLimit, limit);
    for (let round = 0; round < 2; round++) {
      assert.equal(v.verify(pins[0], { source: 'text', vector: [0.25, -0.5, 1, 2] }).ok, true);
      assert.equal(v.verify(pins[1], { source: 'text', vector: [0.25, -0.5, 1, 2] }).ok, true);
      assert.equal(v.verify(pins[2]).error, 'SIGNATURE_INVALID');
    }
    assert.equal(v.preparedKeyCount, Math.min(limit, 3), `limit ${limit}`);
    v.close();
  }
  const v = new Verifier();
  for (const bad of [-1, 1.5, '2', undefined, 2 ** 32]) {
    assert.throws(() => {
      v.preparedKeyLimit = bad;
    }, { code: 'INVALID_ARGUMENT' }, String(bad));
  }
  v.close();
  assert.throws(() => v.preparedKeyCount, { code: 'INVALID_ARGUMENT' });
  for (const h of [...signers, ...pins]) h.close();
});

test('key windows and Date timestamps', () => {
  const signer = Signer.fromSeed('k', seed);
  const pin = signer.pin({ source: 's', model: 'm', vector: [1], timestamp: new Date('2026-05-05T12:00:00.900Z') });
  assert.equal(pin.ts, '2026-05-05T12:00:00Z');
  const early = new Verifier(new Map([['k', { publicKey: publicKeyB64, validFrom: new Date('2026-06-01T00:00:00Z') }]]));
  assert.equal(early.verify(pin).error, 'KEY_EXPIRED');
  const registry = Verifier.fromRegistry(JSON.stringify({ k: { public_key: publicKeyB64, valid_from: null, valid_until: null } }));
  assert.equal(registry.verify(pin).ok, true);
  for (const h of [signer, pin, early, registry]) h.close();
});

test('the verify path runs with no Node-only globals', () => {
  // A fresh process removes Buffer, process, require and friends before
  // importing the package, loads the module from bytes, signs and verifies.
  const script = `
    import fs from 'node:fs';
    const bytes = fs.readFileSync(${JSON.stringify(path.join(here, '../dist/vectorpin-core.wasm'))});
    const out = (s) => fs.writeSync(1, s + '\\n');
    for (const name of ['Buffer', 'process', 'require', 'module', 'global', 'setImmediate', '__filename', '__dirname'])
      delete globalThis[name];
    const vp = await import(${JSON.stringify(new URL('../lib/index.js', import.meta.url).href)});
    await vp.init(bytes);
    const s = vp.Signer.generate('k');
    const v = new vp.Verifier({ k: s.publicKey });
    const vec = new Float32Array([1, 2, 3]);
    const p = s.pin({ source: 'a', model: 'm', vector: vec });
    out(JSON.stringify([typeof process, typeof Buffer, v.verify(p.toString(), { source: 'a', vector: vec }).ok]));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim()), ['undefined', 'undefined', true]);
});
