// Every case of every fixture file in testvectors/ (and of upstream's files
// in testvectors/upstream/), run through the wasm package's public API.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import init, { Signer, Verifier, Pin, Status, hashText, hashVector } from '../lib/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const vectorsDir = process.env.VECTORPIN_TESTVECTORS ?? path.join(here, '../../../testvectors');
const read = (rel) => JSON.parse(fs.readFileSync(path.join(vectorsDir, rel), 'utf8'));
const b64 = (text) => new Uint8Array(Buffer.from(text, 'base64url'));
const b64text = (bytes) => Buffer.from(bytes).toString('base64url');

function vectorOf(text, dtype) {
  const bytes = b64(text);
  if (dtype === 'f32') return new Float32Array(bytes.buffer, 0, bytes.length / 4);
  if (dtype === 'f64') return new Float64Array(bytes.buffer, 0, bytes.length / 8);
  throw new Error(`unknown dtype ${dtype}`);
}

function outcome(fn) {
  try {
    fn();
    return 'OK';
  } catch (err) {
    if (typeof err.code !== 'string') throw err;
    return err.code;
  }
}

let casesRun = 0;
test.before(() => init());
test.after(() => console.log(`fixture cases run: ${casesRun}`));

function v1File(rel) {
  const doc = read(rel);
  const signer = Signer.fromSeed(doc.key_id, b64(doc.private_seed_b64));
  assert.equal(b64text(signer.publicKey), doc.public_key_b64);
  const legacy = new Verifier({ [doc.key_id]: doc.public_key_b64 }, { legacyV1: true });
  const strict = new Verifier({ [doc.key_id]: doc.public_key_b64 });
  assert.ok(doc.fixtures.length > 0);
  for (const f of doc.fixtures) {
    const { input, expected } = f;
    const vector = vectorOf(input.vector_b64, input.vec_dtype);
    const pin = signer.pin({ source: input.source, model: input.model, vector, protocol: 1, timestamp: input.timestamp });
    assert.equal(pin.toString(), expected.pin_json, `${f.name}: pin JSON`);
    assert.deepEqual(pin.signedBytes(), b64(expected.canonical_header_b64), `${f.name}: signed bytes`);
    assert.equal(pin.vecHash, expected.vec_hash);
    assert.equal(hashVector(vector), expected.vec_hash);
    assert.equal(hashText(input.source), expected.source_hash);
    assert.equal(legacy.verify(expected.pin_json, { source: input.source, vector }).ok, true, f.name);
    const parsed = Pin.parse(expected.pin_json);
    assert.equal(parsed.version, 1);
    assert.deepEqual(legacy.verify(parsed, { source: input.source, vector }), { ok: true, error: null, detail: null, status: 0 });
    assert.equal(strict.verify(expected.pin_json).error, 'UNSUPPORTED_VERSION');
    parsed.close();
    pin.close();
    casesRun++;
  }
  signer.close();
  legacy.close();
  strict.close();
}

function negativeV1File(rel) {
  const doc = read(rel);
  const pin = Pin.parse(doc.pin_json);
  const verifier = new Verifier({ [pin.kid]: 'A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg' }, { legacyV1: true });
  const r = verifier.verify(doc.pin_json, { vector: vectorOf(doc.tampered_vector_b64, 'f32') });
  assert.equal(r.ok, false);
  assert.equal(r.error, String(doc.expected_error).toUpperCase());
  assert.equal(verifier.verify(pin).ok, true);
  casesRun++;
  verifier.close();
  pin.close();
}

function v2File(rel) {
  const doc = read(rel);
  const signer = Signer.fromSeed(doc.key_id, b64(doc.private_key_b64));
  assert.equal(b64text(signer.publicKey), doc.public_key_b64);
  const verifier = new Verifier({ [doc.key_id]: b64(doc.public_key_b64) });
  const tag = b64(doc.domain_tag_b64);
  for (const f of doc.fixtures) {
    const input = f.input;
    const vector = vectorOf(input.vec_b64, input.vec_dtype);
    assert.equal(vector.length, input.vec_dim);
    const pin = signer.pin({
      source: input.source,
      model: input.model,
      vector,
      timestamp: input.timestamp,
      modelHash: input.model_hash,
      extra: input.extra,
    });
    assert.equal(pin.toString(), f.pin_json, `${f.name}: pin JSON`);
    const signed = pin.signedBytes();
    assert.deepEqual(signed, b64(f.expected_canonical_bytes_b64), `${f.name}: signed bytes`);
    assert.deepEqual(signed.subarray(0, tag.length), tag);
    assert.equal(pin.vecHash, f.expected_vec_hash);
    assert.equal(pin.sourceHash, f.expected_source_hash);
    assert.equal(pin.modelHash, input.model_hash ?? null);
    assert.deepEqual({ ...pin.extra }, input.extra ?? {});
    const r = verifier.verify(f.pin_json, { source: input.source, vector });
    assert.equal(r.ok, true, `${f.name}: ${r.error} ${r.detail}`);
    const rid = input.extra?.['vectorpin.record_id'];
    if (rid) {
      assert.equal(verifier.verify(pin, { expectedRecordId: rid }).ok, true);
      assert.equal(verifier.verify(pin, { expectedRecordId: `${rid}-other` }).error, 'RECORD_MISMATCH');
    }
    pin.close();
    casesRun++;
  }
  signer.close();
  verifier.close();
}

function negativeV2File(rel) {
  const doc = read(rel);
  const verifier = new Verifier({ [doc.key_id]: doc.public_key_b64 });
  for (const f of doc.fixtures) {
    const opts = {};
    if (f.tampered_vec_b64) opts.vector = vectorOf(f.tampered_vec_b64, f.vec_dtype);
    if (f.nan_vec_b64) opts.vector = vectorOf(f.nan_vec_b64, f.vec_dtype);
    if (f.tampered_source !== undefined) opts.source = f.tampered_source;
    if (f.expected_model !== undefined) opts.expectedModel = f.expected_model;
    if (f.expected_record_id !== undefined) opts.expectedRecordId = f.expected_record_id;
    const r = verifier.verify(f.pin_json, opts);
    assert.equal(r.error, f.expected_failure, `${f.name}: got ${r.error} (${r.detail})`);
    assert.equal(r.ok, false);
    assert.equal(typeof r.detail, 'string');
    casesRun++;
  }
  verifier.close();
}

for (const dir of ['upstream', '.']) {
  const label = dir === '.' ? 'regenerated' : 'upstream';
  test(`${label} v1.json`, () => v1File(path.join(dir, 'v1.json')));
  test(`${label} negative_v1.json`, () => negativeV1File(path.join(dir, 'negative_v1.json')));
  test(`${label} v2.json`, () => v2File(path.join(dir, 'v2.json')));
  test(`${label} negative_v2.json`, () => negativeV2File(path.join(dir, 'negative_v2.json')));
}

// ---- extended.json

const extended = read('extended.json');

function verifierFor(c) {
  const keys = new Map();
  for (const k of c.keys) keys.set(k.kid, { publicKey: b64(k.public_key_b64), validFrom: k.valid_from, validUntil: k.valid_until });
  return new Verifier(keys, { legacyV1: c.legacy_v1 === true });
}

function verifyOptions(c) {
  const o = {};
  if (c.source !== undefined) o.source = c.source;
  if (c.source_b64 !== undefined) o.source = b64(c.source_b64);
  if (c.vector_b64 !== undefined) o.vector = vectorOf(c.vector_b64, c.vector_dtype);
  if (c.expected_model !== undefined) o.expectedModel = c.expected_model;
  if (c.expected_record_id !== undefined) o.expectedRecordId = c.expected_record_id;
  if (c.expected_collection_id !== undefined) o.expectedCollectionId = c.expected_collection_id;
  if (c.expected_tenant_id !== undefined) o.expectedTenantId = c.expected_tenant_id;
  return o;
}

test('extended.json verify_cases (JSON text, parsed Pin, raw bytes, vector bytes)', () => {
  assert.ok(extended.verify_cases.length > 0);
  for (const c of extended.verify_cases) {
    const verifier = verifierFor(c);
    const opts = verifyOptions(c);
    const input = c.pin_json_b64 !== undefined ? b64(c.pin_json_b64) : c.pin_json;
    const r = verifier.verify(input, opts);
    assert.equal(r.error ?? 'OK', c.expected, `${c.name}: got ${r.error} (${r.detail})`);
    assert.equal(r.ok, c.expected === 'OK');
    assert.equal(r.status, Status[c.expected]);
    let pin = null;
    try {
      pin = Pin.parse(input);
    } catch (err) {
      assert.equal(err.code, c.expected, `${c.name}: Pin.parse threw ${err.code}`);
      assert.equal(err.status, Status[c.expected]);
    }
    if (pin) {
      assert.equal(verifier.verify(pin, opts).error ?? 'OK', c.expected, `${c.name} via Pin`);
      pin.close();
    }
    if (opts.vector) {
      const bytes = new Uint8Array(opts.vector.buffer, opts.vector.byteOffset, opts.vector.byteLength);
      const rr = verifier.verify(input, { ...opts, vector: bytes, vectorDtype: c.vector_dtype });
      assert.equal(rr.error ?? 'OK', c.expected, `${c.name} with vector bytes`);
    }
    verifier.close();
    casesRun++;
  }
});

test('extended.json registry_cases', () => {
  assert.ok(extended.registry_cases.length > 0);
  for (const c of extended.registry_cases) {
    for (const key of [b64(c.public_key_b64), c.public_key_b64]) {
      const verifier = new Verifier();
      const got = outcome(() => verifier.addKey(c.name, key, { validFrom: c.valid_from, validUntil: c.valid_until }));
      assert.equal(got, c.expected, c.name);
      assert.equal(verifier.keyCount, c.expected === 'OK' ? 1 : 0);
      verifier.close();
    }
    casesRun++;
  }
});

test('extended.json hash_text_cases', () => {
  for (const c of extended.hash_text_cases) {
    const bytes = b64(c.text_b64);
    if (c.expected === null) {
      assert.equal(outcome(() => hashText(bytes)), 'INVALID_INPUT', c.name);
    } else {
      assert.equal(hashText(bytes), c.expected, c.name);
      assert.equal(hashText(Buffer.from(bytes).toString('utf8')), c.expected, `${c.name} (string)`);
    }
    casesRun++;
  }
});

test('extended.json hash_vector_cases', () => {
  for (const c of extended.hash_vector_cases) {
    const vector = vectorOf(c.vector_b64, c.input_dtype);
    if (c.expected === null) {
      assert.equal(outcome(() => hashVector(vector, c.hash_dtype)), 'INVALID_INPUT', c.name);
    } else {
      assert.equal(hashVector(vector, { dtype: c.hash_dtype }), c.expected, c.name);
      assert.equal(hashVector(b64(c.vector_b64), { dtype: c.hash_dtype, vectorDtype: c.input_dtype }), c.expected);
    }
    casesRun++;
  }
});

test('extended.json sign_cases', () => {
  const seed = b64(extended.private_seed_b64);
  for (const c of extended.sign_cases) {
    const o = c.options || {};
    let pin = null;
    const got = outcome(() => {
      const signer = Signer.fromSeed(c.kid, seed);
      try {
        pin = signer.pin({
          source: c.source,
          model: c.model,
          vector: vectorOf(c.vector_b64, c.input_dtype),
          protocol: o.protocol,
          dtype: o.dtype,
          modelHash: o.model_hash,
          timestamp: o.timestamp,
          extra: o.extra,
        });
      } finally {
        signer.close();
      }
    });
    assert.equal(got, c.expected, c.name);
    if (c.expected === 'OK') {
      assert.equal(pin.toString(), c.pin_json, c.name);
      const v = new Verifier({ [pin.kid]: extended.public_key_b64 }, { legacyV1: true });
      assert.equal(v.verify(pin, { source: c.source }).ok, true, `${c.name} verifies`);
      v.close();
      pin.close();
    }
    casesRun++;
  }
});

// ---- crosslang.json: every record pins and verifies (with its vector and source).

test('crosslang.json records pin and verify', () => {
  const doc = read('crosslang.json');
  const signer = Signer.fromSeed('crosslang', b64(doc.seed_b64));
  const verifier = new Verifier({ crosslang: signer.publicKey });
  for (const rec of doc.records) {
    const vector = vectorOf(rec.vector_b64, rec.dtype);
    const pin = signer.pin({ source: rec.source, model: rec.model, vector, extra: rec.extra });
    assert.equal(verifier.verify(pin.toString(), { source: rec.source, vector, expectedModel: rec.model }).ok, true, rec.name);
    const changed = vector.slice();
    changed[0] = changed[0] + 1;
    assert.equal(verifier.verify(pin, { vector: changed }).error, 'VECTOR_TAMPERED', rec.name);
    pin.close();
    casesRun++;
  }
  signer.close();
  verifier.close();
});

test('every fixture file was found and cases ran', () => {
  for (const f of ['v1.json', 'v2.json', 'negative_v1.json', 'negative_v2.json', 'extended.json', 'crosslang.json']) {
    assert.ok(fs.existsSync(path.join(vectorsDir, f)), f);
  }
  assert.ok(casesRun > 0, 'no fixture case ran');
});
