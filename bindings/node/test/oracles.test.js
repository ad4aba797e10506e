'use strict';
// Node's own crypto (OpenSSL) as an independent oracle for what the library
// computes: Ed25519 signatures, SHA-256 of NFC text, vector bytes, key forms.

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { vp, TEST_SEED, TEST_PUBLIC_KEY_B64, makeVector } = require('./helpers');

const { Signer, Verifier } = vp;

function nodePublicKey(raw) {
  return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

// PKCS#8 for an Ed25519 seed: a fixed 16-byte DER prefix, then the seed.
function nodePrivateKey(seed) {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

function sha256Hex(bytes) {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

test('node:crypto verifies our signatures over signedBytes() with the public key', () => {
  const signer = Signer.generate('oracle');
  const key = nodePublicKey(signer.publicKey);
  for (let i = 0; i < 20; i++) {
    const pin = signer.pin({
      source: `text ${i} — ünïcödé 😀`,
      model: 'model-x',
      vector: makeVector(8 + i, i + 1, i % 2 ? Float64Array : Float32Array),
      protocol: i % 3 === 0 ? 1 : 2,
      extra: { i: String(i) },
    });
    const message = pin.signedBytes();
    assert.equal(crypto.verify(null, message, key, pin.signature), true);
    // And rejects any other message.
    const flipped = Buffer.from(message);
    flipped[flipped.length - 2] ^= 1;
    assert.equal(crypto.verify(null, flipped, key, pin.signature), false);
    assert.equal(pin.sig, pin.signature.toString('base64url'));
    pin.close();
  }
  signer.close();
});

test('node:crypto signs the same bytes to the same signature (deterministic Ed25519)', () => {
  const signer = Signer.fromSeed('det', TEST_SEED);
  assert.equal(signer.publicKey.toString('base64url'), TEST_PUBLIC_KEY_B64);
  const pin = signer.pin({ source: 'hello world', model: 'm', vector: new Float32Array([0.25, -0.5, 1, 0.125]) });
  const sig = crypto.sign(null, pin.signedBytes(), nodePrivateKey(TEST_SEED));
  assert.deepEqual(sig, pin.signature);
  pin.close();
  signer.close();
});

test('an external signer backed by node:crypto produces verifiable pins', () => {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
  let calls = 0;
  const signer = Signer.external('kms-key', raw, (message) => {
    calls++;
    return crypto.sign(null, message, privateKey);
  });
  assert.deepEqual(signer.publicKey, raw);
  const vector = makeVector(16, 7);
  const pin = signer.pin({ source: 'doc', model: 'm', vector });
  assert.equal(calls, 1);
  const verifier = new Verifier({ 'kms-key': publicKey.export({ format: 'pem', type: 'spki' }) });
  assert.equal(verifier.verify(pin, { source: 'doc', vector }).ok, true);
  pin.close();
  signer.close();
  verifier.close();
});

test('hashText equals SHA-256 of the host NFC of the text', () => {
  const samples = [
    'hello world',
    '',
    'cafe\u0301', // NFD input: e + combining acute
    'caf\u00e9',
    '\u1100\u1161\u11a8', // Hangul jamo, composes to one syllable
    'Å Ω ﬁ', // singletons and a compatibility ligature (NFC keeps ﬁ)
    '😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u{10FFFD}', // astral characters
    'line one\r\nline two\n',
    'a\u0000b', // NUL is ordinary text in a source
  ];
  for (const s of samples) {
    const expected = `sha256:${sha256Hex(Buffer.from(s.normalize('NFC'), 'utf8'))}`;
    assert.equal(vp.hashText(s), expected, JSON.stringify(s));
    assert.equal(vp.hashText(Buffer.from(s, 'utf8')), expected, `${JSON.stringify(s)} as bytes`);
  }
});

test('hashVector equals SHA-256 of the little-endian element bytes', () => {
  const f32 = makeVector(33, 3);
  const f64 = makeVector(17, 4, Float64Array);
  const le = (typed) => Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength);
  assert.equal(os.endianness(), 'LE');
  assert.equal(vp.hashVector(f32), `sha256:${sha256Hex(le(f32))}`);
  assert.equal(vp.hashVector(f64), `sha256:${sha256Hex(le(f64))}`);
  assert.equal(vp.hashVector(f32, 'f64'), `sha256:${sha256Hex(le(Float64Array.from(f32)))}`);
  assert.equal(vp.hashVector(f64, 'f32'), `sha256:${sha256Hex(le(Float32Array.from(f64)))}`);
  assert.equal(vp.hashVector([0.5, -0.0, 2]), `sha256:${sha256Hex(le(new Float64Array([0.5, -0.0, 2])))}`);
  // -0.0 and +0.0 are different bytes, so different hashes.
  assert.notEqual(vp.hashVector(new Float32Array([0])), vp.hashVector(new Float32Array([-0])));
});

test('sha256, base64url and fingerprint agree with node:crypto and Buffer', () => {
  const data = crypto.randomBytes(1000);
  assert.deepEqual(vp.sha256(data), crypto.createHash('sha256').update(data).digest());
  for (const n of [0, 1, 2, 3, 31, 32, 33, 64]) {
    const b = data.subarray(0, n);
    assert.equal(vp.base64urlEncode(b), b.toString('base64url'));
    assert.deepEqual(vp.base64urlDecode(b.toString('base64url')), Buffer.from(b));
  }
  const signer = Signer.generate('fp');
  const hex = sha256Hex(signer.publicKey).slice(0, 16);
  assert.equal(signer.fingerprint, hex.match(/.{4}/g).join(':'));
  assert.equal(vp.publicKeyFingerprint(signer.publicKey), signer.fingerprint);
  assert.equal(vp.publicKeyFingerprint(TEST_PUBLIC_KEY_B64), '5647:5aa7:5463:474c');
  signer.close();
});

test('PEM keys round-trip with node:crypto', () => {
  const signer = Signer.fromSeed('pem-key', TEST_SEED);
  // Our SPKI PEM is read by OpenSSL as the same key.
  const spki = crypto.createPublicKey(signer.publicKeyPem);
  assert.equal(spki.export({ format: 'jwk' }).x, TEST_PUBLIC_KEY_B64);
  // A PKCS#8 PEM from OpenSSL is read by the library.
  const pkcs8 = nodePrivateKey(TEST_SEED).export({ format: 'pem', type: 'pkcs8' });
  const fromPem = Signer.fromPrivateKey('pem-key', pkcs8);
  assert.deepEqual(fromPem.publicKey, signer.publicKey);
  // Our saved PEM files are read by OpenSSL.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorpin-node-'));
  try {
    signer.save(dir, { pem: true });
    const priv = crypto.createPrivateKey(fs.readFileSync(path.join(dir, 'pem-key.priv')));
    assert.equal(crypto.createPublicKey(priv).export({ format: 'jwk' }).x, TEST_PUBLIC_KEY_B64);
    const pub = crypto.createPublicKey(fs.readFileSync(path.join(dir, 'pem-key.pub')));
    assert.equal(pub.export({ format: 'jwk' }).x, TEST_PUBLIC_KEY_B64);
    // And an OpenSSL SPKI PEM is accepted as a verifier key.
    assert.deepEqual(vp.decodePublicKey(spki.export({ format: 'pem', type: 'spki' })), signer.publicKey);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fromPem.close();
  signer.close();
});
