'use strict';
// Pin.parse checks the text in one native call and reads fields from the
// text when asked: the fields must be exactly what the library's own
// getters give, for every pin the fixtures hold.

const test = require('node:test');
const assert = require('node:assert/strict');
const { vp, readFixture, makeVector } = require('./helpers');

const { Signer, Verifier, Pin } = vp;
const native = vp._internal.native;
const FIELD = { kid: 1, model: 2, modelHash: 3, sourceHash: 4, vecHash: 5, vecDtype: 6, ts: 7, sig: 8 };

// Every pin the library parses, from the fixture files.
function fixturePins() {
  const texts = [];
  for (const f of readFixture('v2.json').fixtures) texts.push(f.pin_json);
  for (const f of readFixture('v1.json').fixtures) texts.push(f.expected.pin_json);
  for (const c of readFixture('extended.json').verify_cases) texts.push(c.pin_json);
  return texts.filter((t) => {
    try {
      native.pinCheck(t);
      return true;
    } catch {
      return false;
    }
  });
}

function assertSameAsLibrary(text) {
  const pin = Pin.parse(text);
  const h = native.pinParse(text);
  try {
    for (const [name, field] of Object.entries(FIELD)) {
      assert.equal(pin[name], native.pinGet(h, field), `${name} of ${text.slice(0, 80)}`);
    }
    const numbers = native.pinNumbers(h);
    assert.equal(pin.version, numbers.version);
    assert.equal(pin.vecDim, numbers.vecDim);
    assert.deepEqual(pin.signature, native.pinSignature(h));
    const libraryExtras = native.pinExtras(h);
    // An object built in the library's order (JavaScript still lists
    // integer-like keys first in any object).
    const inLibraryOrder = Object.create(null);
    for (const [k, v] of libraryExtras) inLibraryOrder[k] = v;
    assert.deepEqual(Object.entries(pin.extra), Object.entries(inLibraryOrder), `extra order of ${text.slice(0, 80)}`);
    for (const [k, v] of libraryExtras) assert.equal(pin.getExtra(k), v);
    assert.equal(pin.getExtra('not-there'), native.pinExtraGet(h, 'not-there'));
    assert.deepEqual(pin.signedBytes(), native.pinSignedBytes(h));
    assert.equal(pin.toString(), native.pinToJson(h));
  } finally {
    native.close(h, 2);
  }
}

test('parsed fields equal the library getters for every fixture pin', () => {
  const texts = fixturePins();
  assert.ok(texts.length >= 20, `only ${texts.length} fixture pins parse`);
  for (const text of texts) assertSameAsLibrary(text);
});

test('extra keys come in UTF-8 byte order, not UTF-16 order', () => {
  const signer = Signer.fromSeed('order', Buffer.alloc(32, 7));
  // An astral character sorts before U+FFFD in UTF-16 but after it in UTF-8.
  // (Integer-like keys come first in any JavaScript object.)
  const extra = { 10: 'a', 9: 'b', z: 'c', '\u{1F600}': 'd', '\uFFFD': 'e', __proto__x: 'f' };
  const made = signer.pin({ source: 's', model: 'm', vector: makeVector(4), extra });
  const text = made.toString();
  assertSameAsLibrary(text);
  assert.deepEqual(Object.keys(Pin.parse(text).extra), ['9', '10', '__proto__x', 'z', '\uFFFD', '\u{1F600}']);
  // The same pin with its extra keys written in another order: the order
  // still comes from the keys, not from the text.
  // (Written by hand: JSON.stringify would put integer-like keys first.)
  const pairs = native.pinExtras(native.pinParse(text));
  const inText = (list) => `"extra":{${list.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
  const shuffled = text.replace(inText(pairs), inText([...pairs].reverse()));
  assert.notEqual(shuffled, text);
  assertSameAsLibrary(shuffled);
  assert.deepEqual(Object.keys(Pin.parse(shuffled).extra), ['9', '10', '__proto__x', 'z', '\uFFFD', '\u{1F600}']);
  signer.close();
});

test('an extra key named __proto__ is an ordinary entry', () => {
  const signer = Signer.fromSeed('proto', Buffer.alloc(32, 8));
  const extra = new Map([['__proto__', 'p']]);
  const text = signer.pin({ source: 's', model: 'm', vector: makeVector(2), extra }).toString();
  const pin = Pin.parse(text);
  assert.equal(pin.getExtra('__proto__'), 'p');
  assert.deepEqual(Object.entries(pin.extra), [['__proto__', 'p']]);
  assert.equal(pin.getExtra('constructor'), null);
  signer.close();
});

test('pins as bytes are copied at parse time', () => {
  const text = readFixture('v2.json').fixtures[0].pin_json;
  const bytes = Buffer.from(text);
  const view = new Uint8Array(bytes.buffer.slice(0), bytes.byteOffset, bytes.length);
  const fromBuffer = Pin.parse(bytes);
  const fromView = Pin.parse(view);
  const fromArrayBuffer = Pin.parse(new Uint8Array(Buffer.from(text)).buffer);
  bytes.fill(0x20);
  view.fill(0x20);
  for (const pin of [fromBuffer, fromView, fromArrayBuffer]) {
    assert.equal(pin.model, JSON.parse(text).model);
    assert.equal(pin.toString(), Pin.parse(text).toString());
  }
});

test('large pins and pins holding U+FFFD take the general path and still parse', () => {
  const signer = Signer.fromSeed('big', Buffer.alloc(32, 9));
  const extra = {};
  for (let i = 0; i < 20; i++) extra[`note${i}`] = 'x'.repeat(1000);
  const big = signer.pin({ source: 's', model: 'm', vector: makeVector(2), extra });
  assert.ok(Buffer.byteLength(big.toString()) > 16384);
  assertSameAsLibrary(big.toString());
  const replacement = signer.pin({ source: 's', model: 'm\uFFFD', vector: makeVector(2) });
  assertSameAsLibrary(replacement.toString());
  assert.equal(Pin.parse(replacement.toString()).model, 'm\uFFFD');
  // A lone surrogate where the U+FFFD was is refused, not replaced.
  assert.throws(() => Pin.parse(replacement.toString().replace('\uFFFD', '\uD800')), { code: 'PARSE_ERROR' });
  signer.close();
});

test('a parsed pin verifies, and once closed it refuses every use', () => {
  const signer = Signer.fromSeed('life', Buffer.alloc(32, 10));
  const vector = makeVector(3);
  const text = signer.pin({ source: 'text', model: 'm', vector }).toString();
  const verifier = new Verifier({ life: signer.publicKey });
  const pin = Pin.parse(text);
  assert.equal(verifier.verify(pin, { source: 'text', vector }).ok, true);
  assert.equal(verifier.verify(pin, { source: 'other', vector }).error, 'SOURCE_MISMATCH');
  const unused = Pin.parse(text);
  for (const p of [pin, unused]) {
    p.close();
    p.close();
    assert.equal(p.closed, true);
    assert.throws(() => p.kid, { code: 'INVALID_ARGUMENT', message: /Pin has been closed/ });
    assert.throws(() => p.toString(), /Pin has been closed/);
    assert.throws(() => verifier.verify(p), /Pin has been closed/);
  }
  verifier.close();
  signer.close();
});
