'use strict';
// The public API, piece by piece.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const { vp, TEST_SEED, TEST_PUBLIC_KEY_B64, makeVector } = require('./helpers');

const { Signer, Verifier, Pin, Status } = vp;

test('versions, constants and the status table come from the library', () => {
  assert.equal(vp.abiVersion, 2);
  assert.equal(vp.protocolVersion, 2);
  assert.match(vp.version, /^\d+\.\d+\.\d+$/);
  const [major, minor, patch] = vp.version.split('.').map(Number);
  assert.equal(vp.versionNumber, major * 10000 + minor * 100 + patch);
  assert.equal(vp.constants.PUBLIC_KEY_BYTES, 32);
  assert.equal(vp.constants.SIGNATURE_BYTES, 64);
  assert.equal(vp.constants.MAX_PIN_JSON_BYTES, 65536);
  assert.equal(vp.constants.MAX_VEC_DIM, 1048576);
  assert.equal(vp.constants.DEFAULT_PREPARED_KEY_LIMIT, 128);
  assert.ok(vp.constants.PREPARED_KEY_BYTES > 100000);
  assert.ok(fs.existsSync(vp.addonPath));

  const outcomes = [
    'OK',
    'UNSUPPORTED_VERSION',
    'UNKNOWN_KEY',
    'KEY_EXPIRED',
    'PARSE_ERROR',
    'SIGNATURE_INVALID',
    'VECTOR_TAMPERED',
    'SOURCE_MISMATCH',
    'MODEL_MISMATCH',
    'SHAPE_MISMATCH',
    'RECORD_MISMATCH',
    'COLLECTION_MISMATCH',
    'TENANT_MISMATCH',
  ];
  outcomes.forEach((name, i) => assert.equal(Status[name], i, name));
  for (const [name, code] of Object.entries(Status)) {
    assert.equal(vp.statusName(code), name);
    assert.equal(vp.isVerificationFailure(code), code >= 1 && code <= 12, name);
  }
  assert.equal(Object.keys(Status).length, 25);
  assert.equal(vp.statusName(9999), 'UNKNOWN_STATUS');
  assert.ok(Object.isFrozen(Status));
});

test('signers: generate, fromSeed, fromPrivateKey, save and load', () => {
  const g = Signer.generate('gen-1');
  assert.equal(g.kid, 'gen-1');
  assert.equal(g.publicKey.length, 32);
  assert.match(g.fingerprint, /^[0-9a-f]{4}(:[0-9a-f]{4}){3}$/);
  assert.match(g.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);
  assert.notDeepEqual(Signer.generate('gen-2').publicKey, g.publicKey);

  const s = Signer.fromSeed('seeded', TEST_SEED);
  assert.equal(s.publicKey.toString('base64url'), TEST_PUBLIC_KEY_B64);
  assert.equal(s.fingerprint, '5647:5aa7:5463:474c');
  assert.equal(util.inspect(s), "Signer { kid: 'seeded', fingerprint: '5647:5aa7:5463:474c' }");
  // The seed never appears in what a Signer shows.
  assert.ok(!util.inspect(s, { showHidden: true }).includes(TEST_SEED.toString('hex')));

  const raw = Signer.fromPrivateKey('raw', TEST_SEED);
  assert.deepEqual(raw.publicKey, s.publicKey);
  assert.deepEqual(Signer.fromSeed('ab', TEST_SEED.buffer.slice(TEST_SEED.byteOffset, TEST_SEED.byteOffset + 32)).publicKey, s.publicKey);

  // kid is NFC normalized.
  assert.equal(Signer.fromSeed('cafe\u0301', TEST_SEED).kid, 'caf\u00e9');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorpin-node-api-'));
  try {
    s.save(dir);
    s.save(path.join(dir, 'pem'), { pem: true });
    assert.deepEqual(fs.readFileSync(path.join(dir, 'seeded.priv')), TEST_SEED);
    const fromRaw = Signer.load(path.join(dir, 'seeded.priv'));
    const fromPem = Signer.load(path.join(dir, 'pem', 'seeded.priv'), { allowInsecurePermissions: false });
    const fromPemText = Signer.fromPrivateKey('t', fs.readFileSync(path.join(dir, 'pem', 'seeded.priv'), 'utf8'));
    for (const x of [fromRaw, fromPem, fromPemText]) assert.deepEqual(x.publicKey, s.publicKey);
    assert.equal(fromRaw.kid, 'seeded');
    assert.throws(() => s.save(dir, { pem: true, force: true }), /unknown option 'force'/);
    // Unsafe key ids cannot become file names.
    assert.throws(() => Signer.fromSeed('../escape', TEST_SEED).save(dir), { code: 'INVALID_INPUT' });
    // External signers hold no private key to save.
    const ext = Signer.external('ext', s.publicKey, () => Buffer.alloc(64));
    assert.throws(() => ext.save(dir), { code: 'INVALID_ARGUMENT' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('pin options and Pin getters', () => {
  const s = Signer.fromSeed('opts', TEST_SEED);
  const vector = makeVector(6, 3);
  const pin = s.pin({
    source: 'source text',
    model: 'model-1',
    vector,
    dtype: 'f64',
    modelHash: `sha256:${'ab'.repeat(32)}`,
    timestamp: new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 678)),
    extra: new Map([
      ['zeta', 'last'],
      ['alpha', 'first'],
    ]),
    recordId: 'rec',
    collectionId: 'col',
    tenantId: 'ten',
  });
  assert.equal(pin.version, 2);
  assert.equal(pin.kid, 'opts');
  assert.equal(pin.model, 'model-1');
  assert.equal(pin.modelHash, `sha256:${'ab'.repeat(32)}`);
  assert.equal(pin.sourceHash, vp.hashText('source text'));
  assert.equal(pin.vecHash, vp.hashVector(vector, 'f64'));
  assert.equal(pin.vecDtype, 'f64');
  assert.equal(pin.vecDim, 6);
  assert.equal(pin.ts, '2030-01-02T03:04:05Z');
  assert.equal(pin.signature.length, 64);
  assert.equal(pin.sig, pin.signature.toString('base64url'));
  assert.deepEqual(Object.keys(pin.extra), [
    'alpha',
    'vectorpin.collection_id',
    'vectorpin.record_id',
    'vectorpin.tenant_id',
    'zeta',
  ]);
  assert.equal(Object.getPrototypeOf(pin.extra), null);
  assert.equal(pin.getExtra('alpha'), 'first');
  assert.equal(pin.getExtra('missing'), null);
  assert.equal(pin.recordId, 'rec');
  assert.equal(pin.collectionId, 'col');
  assert.equal(pin.tenantId, 'ten');

  // Wire form, parse round trip, JSON.stringify, signed bytes.
  const text = pin.toString();
  assert.equal(String(pin), text);
  const back = Pin.parse(text);
  assert.equal(back.toString(), text);
  assert.equal(Pin.parse(Buffer.from(text)).toString(), text);
  assert.deepEqual(JSON.parse(JSON.stringify({ pin })).pin, JSON.parse(text));
  assert.equal(JSON.parse(text).vec_dtype, 'f64');
  const signed = pin.signedBytes();
  assert.deepEqual(signed.subarray(0, 13), Buffer.from('vectorpin/v2\0', 'latin1'));
  assert.match(util.inspect(pin), /^Pin \{/);

  // Defaults: no model hash, dtype of the input, time of signing.
  const plain = s.pin({ source: 's', model: 'm', vector: makeVector(3, 1, Float64Array) });
  assert.equal(plain.modelHash, null);
  assert.equal(plain.vecDtype, 'f64');
  assert.ok(vp.isValidTimestamp(plain.ts));
  assert.ok(Math.abs(Date.parse(plain.ts) - Date.now()) < 60_000);
  assert.deepEqual({ ...plain.extra }, {});

  // Legacy v1, arrays and raw bytes as vectors, a Buffer source.
  const v1 = s.pin({ source: Buffer.from('bytes source'), model: 'm', vector: [0.5, 0.25], protocol: 1 });
  assert.equal(v1.version, 1);
  assert.equal(v1.vecDtype, 'f64');
  assert.equal(v1.sourceHash, vp.hashText('bytes source'));
  const f32 = new Float32Array([1.5, -2, 0.125]);
  const fromBytes = s.pin({ source: 's', model: 'm', vector: Buffer.from(f32.buffer) });
  assert.equal(fromBytes.vecDtype, 'f32');
  assert.equal(fromBytes.vecHash, vp.hashVector(f32));
  const f64bytes = s.pin({ source: 's', model: 'm', vector: new Float64Array([1, 2]).buffer, vectorDtype: 'f64', dtype: 'f32' });
  assert.equal(f64bytes.vecDtype, 'f32');
  assert.equal(f64bytes.vecHash, vp.hashVector(new Float32Array([1, 2])));
  // Values that are not text, or a missing option, are refused in JavaScript.
  assert.throws(() => s.pin({ model: 'm', vector: f32 }), /source is required/);
  assert.throws(() => s.pin({ source: 's', vector: f32 }), /model must be a string/);
  assert.throws(() => s.pin({ source: 's', model: 'm' }), /vector is required/);
  assert.throws(() => s.pin(), /source is required/);
});

test('verifier: keys, windows, registry, legacy v1, expectations', () => {
  const s = Signer.fromSeed('k1', TEST_SEED);
  const vector = makeVector(5, 9);
  const pin = s.pin({
    source: 'doc',
    model: 'model-a',
    vector,
    timestamp: '2026-06-01T00:00:00Z',
    recordId: 'r1',
    collectionId: 'c1',
    tenantId: 't1',
  });
  const v = new Verifier({
    k1: { publicKey: s.publicKey, validFrom: '2026-01-01T00:00:00Z', validUntil: new Date(Date.UTC(2027, 0, 1)) },
  });
  assert.equal(v.keyCount, 1);
  assert.equal(v.legacyV1, false);
  assert.deepEqual(v.verify(pin, { source: 'doc', vector }), { ok: true, error: null, detail: null, status: 0 });
  const expect = (opts) => v.verify(pin, opts).error ?? 'OK';
  assert.equal(expect({ expectedModel: 'model-a', expectedRecordId: 'r1', expectedCollectionId: 'c1', expectedTenantId: 't1' }), 'OK');
  assert.equal(expect({ expectedModel: 'model-b' }), 'MODEL_MISMATCH');
  assert.equal(expect({ expectedRecordId: 'r2' }), 'RECORD_MISMATCH');
  assert.equal(expect({ expectedCollectionId: 'c2' }), 'COLLECTION_MISMATCH');
  assert.equal(expect({ expectedTenantId: 't2' }), 'TENANT_MISMATCH');
  assert.equal(expect({ source: 'other' }), 'SOURCE_MISMATCH');
  assert.equal(expect({ source: '' }), 'SOURCE_MISMATCH');
  assert.equal(expect({ vector: Float64Array.from(vector) }), 'OK');
  assert.equal(expect({ vector: Array.from(vector) }), 'OK');
  // The first failure wins, in the protocol's order.
  assert.equal(expect({ source: 'other', expectedModel: 'x', vector: new Float32Array(5) }), 'VECTOR_TAMPERED');

  // Outside the window.
  const late = s.pin({ source: 'doc', model: 'm', vector, timestamp: '2027-01-01T00:00:00Z' });
  assert.equal(v.verify(late).error, 'KEY_EXPIRED');
  const early = s.pin({ source: 'doc', model: 'm', vector, timestamp: '2025-12-31T23:59:59Z' });
  assert.equal(v.verify(early).error, 'KEY_EXPIRED');

  // Unknown key, duplicates, Map input, registries.
  const other = Signer.generate('k2');
  const p2 = other.pin({ source: 'x', model: 'm', vector });
  assert.equal(v.verify(p2).error, 'UNKNOWN_KEY');
  v.addKey('k2', other.publicKey.toString('base64url'));
  assert.equal(v.verify(p2).ok, true);
  assert.throws(() => v.addKey('k2', other.publicKey), { code: 'DUPLICATE_KEY_ID', status: Status.DUPLICATE_KEY_ID });
  assert.throws(() => v.addKey('k3', other.publicKey, { validFrom: 'yesterday' }), { code: 'INVALID_INPUT' });
  assert.equal(new Verifier(new Map([['k2', other.publicKeyPem]])).verify(p2).ok, true);

  const registry = JSON.stringify({
    k1: { public_key: s.publicKey.toString('base64url'), valid_from: null, valid_until: null },
    k2: { public_key: other.publicKeyPem, valid_from: null, valid_until: null },
  });
  const r = Verifier.fromRegistry(registry);
  assert.equal(r.keyCount, 2);
  assert.equal(r.verify(p2).ok, true);
  assert.equal(r.verify(late).ok, true);
  assert.throws(() => r.loadRegistry(registry), { code: 'DUPLICATE_KEY_ID' });
  assert.equal(r.keyCount, 2, 'a failed registry load adds nothing');
  assert.throws(() => Verifier.fromRegistry('{"k":{"public_key":"AAAA"}}'), { code: 'INVALID_KEY' });

  // Legacy v1 only when asked for.
  const legacy = s.pin({ source: 'doc', model: 'm', vector, protocol: 1, timestamp: '2026-06-01T00:00:00Z' });
  assert.equal(v.verify(legacy).error, 'UNSUPPORTED_VERSION');
  v.legacyV1 = true;
  assert.equal(v.legacyV1, true);
  assert.equal(v.verify(legacy).ok, true);
  v.legacyV1 = false;
  assert.equal(v.verify(legacy).error, 'UNSUPPORTED_VERSION');
  assert.equal(new Verifier({ k1: s.publicKey }, { legacyV1: true }).verify(legacy).ok, true);
  assert.throws(() => new Verifier({ k1: s.publicKey }, { legacy: true }), /unknown option/);
  assert.match(util.inspect(v), /Verifier \{ keyCount: 2/);
});

// The limit bounds how many keys get tables, never an answer (none at all on
// libsodium's engine).
test('verifier: the prepared-key limit bounds tables, not answers', () => {
  const tables = process.env.VECTORPIN_ED25519 !== 'libsodium';
  const vector = makeVector(4, 3);
  const signers = ['k0', 'k1', 'k2'].map((kid) => Signer.generate(kid));
  const pins = signers.map((s) => s.pin({ source: 'text', model: 'model', vector }));
  for (const limit of [0, 1, 2, vp.constants.DEFAULT_PREPARED_KEY_LIMIT]) {
    const v = new Verifier();
    assert.equal(v.preparedKeyLimit, vp.constants.DEFAULT_PREPARED_KEY_LIMIT);
    v.preparedKeyLimit = limit;
    assert.equal(v.preparedKeyLimit, limit);
    // k2 is registered with k0's key: its pin must fail, table or not.
    v.addKey('k0', signers[0].publicKey).addKey('k1', signers[1].publicKey).addKey('k2', signers[0].publicKey);
    for (let round = 0; round < 2; round++) {
      assert.equal(v.verify(pins[0], { source: 'text', vector }).error, null);
      assert.equal(v.verify(pins[1], { source: 'text', vector }).error, null);
      assert.equal(v.verify(pins[2], { source: 'text', vector }).error, 'SIGNATURE_INVALID');
    }
    assert.equal(v.preparedKeyCount, tables ? Math.min(limit, 3) : 0, `limit ${limit}`);
    v.close();
  }
  const v = new Verifier();
  for (const bad of [-1, 1.5, '2', undefined, Number.MAX_SAFE_INTEGER + 1]) {
    assert.throws(() => {
      v.preparedKeyLimit = bad;
    }, { code: 'INVALID_ARGUMENT' }, String(bad));
  }
  v.close();
  assert.throws(() => {
    v.preparedKeyLimit = 1;
  });
  assert.throws(() => v.preparedKeyCount);
  for (const s of signers) s.close();
});

test('thrown errors carry code, status and the library detail', () => {
  try {
    Pin.parse('{"v":2}');
    assert.fail('no error');
  } catch (err) {
    assert.ok(err instanceof Error);
    assert.equal(err.code, 'PARSE_ERROR');
    assert.equal(err.status, Status.PARSE_ERROR);
    assert.equal(typeof err.detail, 'string');
    assert.ok(err.message.startsWith('PARSE_ERROR: '));
  }
  assert.throws(() => Pin.parse('{"v":3,"kid":"k"}'), { code: 'UNSUPPORTED_VERSION' });
  assert.equal(vp.isValidTimestamp('2024-02-29T23:59:59Z'), true);
  assert.equal(vp.isValidTimestamp('2023-02-29T23:59:59Z'), false);
  assert.equal(vp.isValidTimestamp(42), false);
  assert.ok(vp.isValidTimestamp(vp.timestampNow()));
  assert.throws(() => vp.base64urlDecode('ab=='), { code: 'INVALID_INPUT' });
  assert.throws(() => vp.decodePublicKey(Buffer.alloc(32)), { code: 'INVALID_KEY' });
});

test('the loader refuses a library with another ABI and explains a missing addon', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorpin-node-loader-'));
  try {
    const fake = path.join(dir, 'fake-addon.js');
    fs.writeFileSync(fake, 'module.exports = { versions: () => ({ abiVersion: 3 }) };');
    const lib = path.join(__dirname, '..', 'lib');
    const run = (addon) =>
      spawnSync(process.execPath, ['-e', `require(${JSON.stringify(lib)})`], {
        env: { ...process.env, VECTORPIN_NODE_ADDON: addon },
        encoding: 'utf8',
      });
    const mismatch = run(fake);
    assert.notEqual(mismatch.status, 0);
    assert.match(mismatch.stderr, /ABI version 3, but this package needs ABI version 2/);
    const missing = run(path.join(dir, 'nope.node'));
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /native addon not found/);
    assert.match(missing.stderr, /VECTORPIN_NODE_ADDON/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
