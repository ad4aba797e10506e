'use strict';
// Hostile and malformed input: each gives its documented code, never a crash.

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { vp, TEST_SEED, makeVector } = require('./helpers');

const { Signer, Verifier, Pin, Status } = vp;

const signer = Signer.fromSeed('hostile', TEST_SEED);
const vector = makeVector(8, 1);
const good = signer.pin({ source: 'src', model: 'model', vector, timestamp: '2026-05-05T12:00:00Z' });
const goodJson = good.toString();
const verifier = new Verifier({ hostile: signer.publicKey });
// The test seed as an OpenSSL key, standing in for a remote signing service.
const testPrivateKey = crypto.createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), TEST_SEED]),
  format: 'der',
  type: 'pkcs8',
});
const seedSigner = (message) => crypto.sign(null, message, testPrivateKey);

function outcome(pin, opts) {
  return verifier.verify(pin, opts).error ?? 'OK';
}

function parseCode(json) {
  try {
    Pin.parse(json).close();
    return 'OK';
  } catch (err) {
    return err.code;
  }
}

test('malformed pin JSON gives PARSE_ERROR', () => {
  const cases = {
    duplicateKey: goodJson.replace('"model":"model"', '"model":"model","model":"model"'),
    versionFloat: goodJson.replace('"v":2', '"v":2.0'),
    versionExponent: goodJson.replace('"v":2', '"v":2e0'),
    versionLeadingZero: goodJson.replace('"v":2', '"v":02'),
    loneSurrogateEscape: goodJson.replace('"model":"model"', '"model":"mo\\ud800del"'),
    trailingBytes: `${goodJson} x`,
    notAnObject: '[1,2,3]',
    empty: '',
    truncated: goodJson.slice(0, 50),
    nullExtra: goodJson.replace('"kid"', '"extra":null,"kid"'),
  };
  for (const [name, json] of Object.entries(cases)) {
    assert.notEqual(json, goodJson, name);
    assert.equal(outcome(json), 'PARSE_ERROR', name);
    assert.equal(parseCode(json), 'PARSE_ERROR', name);
  }
  // Sanity: the untouched pin is fine.
  assert.equal(outcome(goodJson), 'OK');
});

test('invalid UTF-8 and lone surrogates in the pin are refused, not replaced', () => {
  const bytes = Buffer.from(goodJson);
  const at = bytes.indexOf('"model":"model"') + 10;
  const bad = Buffer.from(bytes);
  bad[at] = 0xff;
  assert.equal(outcome(bad), 'PARSE_ERROR');
  // An overlong encoding of '/'.
  const overlong = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xc0, 0xaf]), bytes.subarray(at + 2)]);
  assert.equal(outcome(overlong), 'PARSE_ERROR');
  // A JavaScript string holding a lone surrogate code unit is not silently
  // turned into U+FFFD: it reaches the library as invalid UTF-8.
  const lone = goodJson.replace('"model":"model"', '"model":"mo\ud800del"');
  assert.equal(outcome(lone), 'PARSE_ERROR');
  const replaced = goodJson.replace('"model":"model"', '"model":"mo\ufffddel"');
  assert.equal(outcome(replaced), 'SIGNATURE_INVALID');
  // The same rule for text given to signing and hashing.
  assert.throws(() => vp.hashText('a\udc00b'), { code: 'INVALID_INPUT' });
  assert.throws(() => signer.pin({ source: 'x\ud800', model: 'm', vector }), { code: 'INVALID_INPUT' });
  assert.throws(() => signer.pin({ source: 'x', model: 'm\udfff', vector }), { code: 'INVALID_INPUT' });
  // A well-formed surrogate pair is an ordinary astral character.
  assert.equal(vp.hashText('\ud83d\ude00'), vp.hashText(Buffer.from('😀')));
});

test('an oversized pin is refused before parsing', () => {
  const big = goodJson.replace('"model":"model"', `"model":"${'m'.repeat(70 * 1024)}"`);
  assert.ok(big.length > 70 * 1024);
  const r = verifier.verify(big);
  assert.equal(r.error, 'PARSE_ERROR');
  // The detail never echoes unbounded attacker text.
  assert.ok(r.detail.length < 300, `detail is ${r.detail.length} characters`);
  assert.throws(() => Pin.parse(big), (err) => err.code === 'PARSE_ERROR' && err.message.length < 400);
});

test('NaN and infinities in vectors', () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    const v = Float32Array.from(vector);
    v[3] = bad;
    assert.throws(() => signer.pin({ source: 's', model: 'm', vector: v }), { code: 'INVALID_INPUT', status: 101 });
    assert.equal(outcome(good, { vector: v }), 'PARSE_ERROR');
    assert.equal(outcome(good, { vector: Float64Array.from(v) }), 'PARSE_ERROR');
    assert.throws(() => vp.hashVector(v), { code: 'INVALID_INPUT' });
  }
  // A double too large for f32 overflows when narrowed.
  assert.throws(() => signer.pin({ source: 's', model: 'm', vector: [1e300], dtype: 'f32' }), { code: 'INVALID_INPUT' });
});

test('wrong vector length gives SHAPE_MISMATCH', () => {
  assert.equal(outcome(good, { vector: vector.subarray(0, 7) }), 'SHAPE_MISMATCH');
  assert.equal(outcome(good, { vector: new Float32Array(9) }), 'SHAPE_MISMATCH');
  assert.equal(outcome(good, { vector: new Float32Array(0) }), 'SHAPE_MISMATCH');
  // Bytes that are not a whole number of elements are a usage error.
  assert.throws(() => verifier.verify(good, { vector: Buffer.alloc(30) }), { code: 'INVALID_ARGUMENT' });
  // Bytes read as f32 (the pin's dtype) by default.
  const bytes = Buffer.from(vector.buffer.slice(0));
  assert.equal(outcome(good, { vector: bytes }), 'OK');
  // ... also at an odd offset, where the library needs an aligned copy.
  const shifted = Buffer.alloc(bytes.length + 1);
  bytes.copy(shifted, 1);
  assert.equal(outcome(good, { vector: shifted.subarray(1) }), 'OK');
  assert.equal(outcome(goodJson, { vector: shifted.subarray(1) }), 'OK');
});

test('weak public keys are refused at registration', () => {
  const identity = Buffer.alloc(32);
  identity[0] = 1;
  for (const key of [Buffer.alloc(32), identity]) {
    assert.throws(() => new Verifier({ weak: key }), { code: 'INVALID_KEY', status: Status.INVALID_KEY });
    const v = new Verifier();
    assert.throws(() => v.addKey('weak', key), { code: 'INVALID_KEY' });
    assert.equal(v.keyCount, 0);
    assert.throws(() => Signer.external('weak', key, () => Buffer.alloc(64)), { code: 'INVALID_KEY' });
    v.close();
  }
  assert.throws(() => new Verifier({ short: Buffer.alloc(31) }), { code: 'INVALID_KEY' });
  assert.throws(() => new Verifier({ text: 'not a key' }), { code: 'INVALID_KEY' });
  assert.throws(() => new Verifier({ hostile: signer.publicKey, again: signer.publicKey }).addKey('hostile', signer.publicKey), {
    code: 'DUPLICATE_KEY_ID',
  });
});

test('use after close throws a clear error; double close is harmless', () => {
  const s = Signer.generate('closing');
  const p = s.pin({ source: 's', model: 'm', vector });
  const v = new Verifier({ closing: s.publicKey });
  for (const obj of [s, p, v]) {
    assert.equal(obj.closed, false);
    obj.close();
    obj.close();
    assert.equal(obj.closed, true);
  }
  const closed = { code: 'INVALID_ARGUMENT', status: Status.INVALID_ARGUMENT };
  assert.throws(() => s.pin({ source: 's', model: 'm', vector }), { ...closed, message: /Signer has been closed/ });
  assert.throws(() => s.kid, /closed/);
  assert.throws(() => s.publicKey, /closed/);
  assert.throws(() => s.save('/tmp'), /closed/);
  assert.throws(() => p.toString(), { ...closed, message: /Pin has been closed/ });
  assert.throws(() => p.signedBytes(), /closed/);
  assert.throws(() => p.extra, /closed/);
  assert.throws(() => p.version, /closed/);
  assert.throws(() => v.verify(goodJson), { ...closed, message: /Verifier has been closed/ });
  assert.throws(() => v.addKey('x', signer.publicKey), /closed/);
  assert.throws(() => v.keyCount, /closed/);
  assert.throws(() => v.legacyV1, /closed/);
  // A closed Pin given to another verifier.
  assert.throws(() => verifier.verify(p), /Pin has been closed/);
  assert.match(require('node:util').inspect(p), /closed/);
  const d = Signer.generate('disposable');
  d[Symbol.dispose ?? Symbol.for('nodejs.dispose')]();
  assert.equal(d.closed, true);
});

test('forged handles and wrong types are refused', () => {
  const { native } = vp._internal;
  assert.throws(() => native.pinToJson({}), { name: 'TypeError', code: 'INVALID_ARGUMENT' });
  assert.throws(() => native.signerPin(native.verifierNew(), 's', 'm', vector, 1, 0, 0, null, null, null), TypeError);
  assert.throws(() => native.verifierVerify(42), TypeError);
  assert.throws(() => native.close({}, 1), TypeError);
  assert.throws(() => native.close(native.pinParse(goodJson), 7), TypeError);
  assert.throws(() => new Pin(), TypeError);
  assert.throws(() => new Signer(), TypeError);
  assert.throws(() => verifier.verify(42), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => verifier.verify({ v: 2 }), /pin must be/);
  assert.throws(() => verifier.verify(good, { vector: new Int32Array(8) }), TypeError);
  assert.throws(() => verifier.verify(good, { vector: 'abc' }), TypeError);
  assert.throws(() => verifier.verify(good, { vector: [1, 'x'] }), /element 1/);
  assert.throws(() => verifier.verify(good, { source: 5 }), TypeError);
  assert.throws(() => verifier.verify(good, { expectedRecordID: 'r' }), /unknown option 'expectedRecordID'/);
  assert.throws(() => verifier.verify(good, { vectorDtype: 'f16' }), TypeError);
  assert.throws(() => signer.pin({ source: 's', model: 'm', vector, extra: { k: 1 } }), TypeError);
  assert.throws(() => signer.pin({ source: 's', model: 'm', vector, recordId: 'a', extra: { 'vectorpin.record_id': 'b' } }), /disagree/);
  assert.throws(() => signer.pin({ source: 's', model: 'm', vector, protocol: 3 }), { code: 'INVALID_INPUT' });
  assert.throws(() => signer.pin({ source: 's', model: 'm', vector, timestamp: new Date(NaN) }), TypeError);
  assert.throws(() => Signer.fromSeed('k', Buffer.alloc(31)), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => Signer.fromSeed('k', 'not bytes'), TypeError);
  assert.throws(() => Signer.load('/tmp/no-kid-here'), /key id/);
  assert.throws(() => Signer.load('/tmp/a\0b.priv'), { code: 'INVALID_ARGUMENT' });
});

test('external signer failures are contained', async () => {
  const pk = signer.publicKey;
  const boom = new Error('KMS unavailable');
  const throwing = Signer.external('ext', pk, () => {
    throw boom;
  });
  assert.throws(() => throwing.pin({ source: 's', model: 'm', vector }), (err) => {
    assert.equal(err.code, 'EXTERNAL_SIGNER_FAILED');
    assert.equal(err.status, Status.EXTERNAL_SIGNER_FAILED);
    assert.equal(err.cause, boom);
    return true;
  });
  const throwsString = Signer.external('ext', pk, () => {
    throw 'plain string'; // eslint-disable-line no-throw-literal
  });
  assert.throws(() => throwsString.pin({ source: 's', model: 'm', vector }), (err) => err.cause === 'plain string');

  for (const result of [Buffer.alloc(63), Buffer.alloc(65), 'sig', null, undefined, [1, 2]]) {
    const s = Signer.external('ext', pk, () => result);
    assert.throws(() => s.pin({ source: 's', model: 'm', vector }), { code: 'EXTERNAL_SIGNER_FAILED', message: /64 bytes/ });
    s.close();
  }
  // A Promise is refused (and its rejection does not go unhandled).
  let unhandled = 0;
  const onUnhandled = () => unhandled++;
  process.on('unhandledRejection', onUnhandled);
  const asyncSigner = Signer.external('ext', pk, async () => {
    throw new Error('late');
  });
  assert.throws(() => asyncSigner.pin({ source: 's', model: 'm', vector }), { code: 'EXTERNAL_SIGNER_FAILED', message: /Promise/ });
  await new Promise((resolve) => setTimeout(resolve, 20));
  process.off('unhandledRejection', onUnhandled);
  assert.equal(unhandled, 0);

  // A signature by another key is caught by the library.
  const other = crypto.generateKeyPairSync('ed25519').privateKey;
  const wrongKey = Signer.external('ext', pk, (m) => crypto.sign(null, m, other));
  assert.throws(() => wrongKey.pin({ source: 's', model: 'm', vector }), { code: 'EXTERNAL_SIGNER_FAILED', message: /does not verify/ });

  // Closing the signer, or detaching the vector, from inside the callback.
  let self;
  const v = Float32Array.from(vector);
  self = Signer.external('ext', pk, (message) => {
    self.close();
    structuredClone(v.buffer, { transfer: [v.buffer] });
    return seedSigner(message);
  });
  const pin = self.pin({ source: 's', model: 'm', vector: v });
  assert.equal(v.length, 0, 'the buffer was detached');
  assert.equal(self.closed, true);
  assert.throws(() => self.pin({ source: 's', model: 'm', vector }), /closed/);
  const check = new Verifier({ ext: pk });
  assert.equal(check.verify(pin, { vector }).ok, true);

  // Re-entrant use: the callback signs with another signer meanwhile.
  const inner = Signer.external('ext', pk, (message) => {
    const nested = Signer.external('ext', pk, seedSigner);
    nested.pin({ source: 'inner', model: 'm', vector }).close();
    nested.close();
    return seedSigner(message);
  });
  assert.equal(check.verify(inner.pin({ source: 'outer', model: 'm', vector }), { source: 'outer' }).ok, true);
  for (const s of [throwing, throwsString, asyncSigner, wrongKey, inner]) s.close();
  check.close();
  pin.close();
});

test('signing refuses what a verifier would refuse', () => {
  const bad = [
    { model: '' },
    { model: 'a\u0007b' },
    { model: 'a\u202eb' },
    { vector: new Float32Array(0) },
    { modelHash: 'sha256:XYZ' },
    { timestamp: '2026-02-30T00:00:00Z' },
    { timestamp: '2026-05-05T12:00:00.5Z' },
    { extra: { '': 'v' } },
    { extra: { k: 'line\nbreak' } },
    { extra: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'])) },
  ];
  for (const o of bad) {
    assert.throws(() => signer.pin({ source: 's', model: 'm', vector, ...o }), { code: 'INVALID_INPUT' }, JSON.stringify(o));
  }
  assert.throws(() => Signer.generate(''), { code: 'INVALID_INPUT' });
  assert.throws(() => Signer.generate('a\nb'), { code: 'INVALID_INPUT' });
});
