'use strict';
// Every case of every fixture file, run through the binding's public API.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { vp, testvectorsDir, readFixture, b64, vectorFromB64, statusOf } = require('./helpers');

const { Signer, Verifier, Pin } = vp;
let casesRun = 0;

test.after(() => {
  console.log(`fixture cases run: ${casesRun}`);
});

function upper(name) {
  return String(name).toUpperCase();
}

// ---- upstream schemas (used for upstream/*.json and our regenerated copies)

function runV1(t, rel) {
  const doc = readFixture(rel);
  const seed = b64(doc.private_seed_b64);
  const signer = Signer.fromSeed(doc.key_id, seed);
  assert.equal(vp.base64urlEncode(signer.publicKey), doc.public_key_b64);
  const legacy = new Verifier({ [doc.key_id]: doc.public_key_b64 }, { legacyV1: true });
  const strict = new Verifier({ [doc.key_id]: doc.public_key_b64 });
  assert.ok(doc.fixtures.length > 0);
  for (const f of doc.fixtures) {
    const input = f.input;
    const vector = vectorFromB64(input.vector_b64, input.vec_dtype);
    assert.equal(vector.length, input.vec_dim, `${f.name}: vec_dim`);
    const pin = signer.pin({
      source: input.source,
      model: input.model,
      vector,
      protocol: 1,
      timestamp: input.timestamp,
    });
    assert.equal(pin.toString(), f.expected.pin_json, `${f.name}: pin JSON`);
    assert.deepEqual(pin.signedBytes(), b64(f.expected.canonical_header_b64), `${f.name}: signed bytes`);
    assert.equal(pin.vecHash, f.expected.vec_hash);
    assert.equal(pin.sourceHash, f.expected.source_hash);
    assert.equal(vp.hashVector(vector), f.expected.vec_hash);
    assert.equal(vp.hashText(input.source), f.expected.source_hash);

    const parsed = Pin.parse(f.expected.pin_json);
    assert.equal(parsed.version, 1);
    assert.deepEqual(legacy.verify(parsed, { source: input.source, vector }), {
      ok: true,
      error: null,
      detail: null,
      status: 0,
    });
    assert.equal(legacy.verify(f.expected.pin_json, { source: input.source, vector }).ok, true);
    // Without the legacy opt-in a v1 pin is refused.
    assert.equal(strict.verify(f.expected.pin_json).error, 'UNSUPPORTED_VERSION');
    parsed.close();
    pin.close();
    casesRun++;
  }
  t.diagnostic(`${rel}: ${doc.fixtures.length} cases`);
  signer.close();
  legacy.close();
  strict.close();
}

function runNegativeV1(t, rel) {
  const doc = readFixture(rel);
  const pin = Pin.parse(doc.pin_json);
  const verifier = new Verifier({ [pin.kid]: 'A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg' }, { legacyV1: true });
  const tampered = vectorFromB64(doc.tampered_vector_b64, 'f32');
  const r = verifier.verify(doc.pin_json, { vector: tampered });
  assert.equal(r.ok, false);
  assert.equal(r.error, upper(doc.expected_error));
  // The untampered pin still verifies on its own (signature check passes).
  assert.equal(verifier.verify(pin).ok, true);
  casesRun++;
  verifier.close();
  pin.close();
}

function runV2(t, rel) {
  const doc = readFixture(rel);
  const signer = Signer.fromSeed(doc.key_id, b64(doc.private_key_b64));
  assert.equal(vp.base64urlEncode(signer.publicKey), doc.public_key_b64);
  const verifier = new Verifier({ [doc.key_id]: b64(doc.public_key_b64) });
  const tag = b64(doc.domain_tag_b64);
  for (const f of doc.fixtures) {
    const input = f.input;
    const vector = vectorFromB64(input.vec_b64, input.vec_dtype);
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
    if (input.extra && input.extra['vectorpin.record_id']) {
      const rid = input.extra['vectorpin.record_id'];
      assert.equal(verifier.verify(pin, { expectedRecordId: rid }).ok, true);
      assert.equal(verifier.verify(pin, { expectedRecordId: `${rid}-other` }).error, 'RECORD_MISMATCH');
    }
    pin.close();
    casesRun++;
  }
  t.diagnostic(`${rel}: ${doc.fixtures.length} cases`);
  signer.close();
  verifier.close();
}

function runNegativeV2(t, rel) {
  const doc = readFixture(rel);
  const verifier = new Verifier({ [doc.key_id]: doc.public_key_b64 });
  for (const f of doc.fixtures) {
    const opts = {};
    if (f.tampered_vec_b64) opts.vector = vectorFromB64(f.tampered_vec_b64, f.vec_dtype);
    if (f.nan_vec_b64) opts.vector = vectorFromB64(f.nan_vec_b64, f.vec_dtype);
    if (f.tampered_source !== undefined) opts.source = f.tampered_source;
    if (f.expected_model !== undefined) opts.expectedModel = f.expected_model;
    if (f.expected_record_id !== undefined) opts.expectedRecordId = f.expected_record_id;
    const r = verifier.verify(f.pin_json, opts);
    assert.equal(r.error, f.expected_failure, `${f.name}: got ${r.error} (${r.detail})`);
    assert.equal(r.ok, false);
    assert.equal(typeof r.detail, 'string');
    casesRun++;
  }
  t.diagnostic(`${rel}: ${doc.fixtures.length} cases`);
  verifier.close();
}

for (const dir of ['upstream', '.']) {
  const label = dir === '.' ? 'regenerated' : 'upstream';
  test(`${label} v1.json`, (t) => runV1(t, path.join(dir, 'v1.json')));
  test(`${label} negative_v1.json`, (t) => runNegativeV1(t, path.join(dir, 'negative_v1.json')));
  test(`${label} v2.json`, (t) => runV2(t, path.join(dir, 'v2.json')));
  test(`${label} negative_v2.json`, (t) => runNegativeV2(t, path.join(dir, 'negative_v2.json')));
}

// ---- extended.json

const extended = readFixture('extended.json');

function verifierFor(c) {
  const keys = new Map();
  for (const k of c.keys) {
    keys.set(k.kid, { publicKey: b64(k.public_key_b64), validFrom: k.valid_from, validUntil: k.valid_until });
  }
  return new Verifier(keys, { legacyV1: c.legacy_v1 === true });
}

function verifyOptions(c) {
  const o = {};
  if (c.source !== undefined) o.source = c.source;
  if (c.source_b64 !== undefined) o.source = b64(c.source_b64);
  if (c.vector_b64 !== undefined) o.vector = vectorFromB64(c.vector_b64, c.vector_dtype);
  if (c.expected_model !== undefined) o.expectedModel = c.expected_model;
  if (c.expected_record_id !== undefined) o.expectedRecordId = c.expected_record_id;
  if (c.expected_collection_id !== undefined) o.expectedCollectionId = c.expected_collection_id;
  if (c.expected_tenant_id !== undefined) o.expectedTenantId = c.expected_tenant_id;
  return o;
}

function pinInput(c) {
  return c.pin_json_b64 !== undefined ? b64(c.pin_json_b64) : c.pin_json;
}

test('extended.json verify_cases (from JSON, from a parsed Pin, as raw bytes)', () => {
  assert.ok(extended.verify_cases.length > 0);
  for (const c of extended.verify_cases) {
    const verifier = verifierFor(c);
    const opts = verifyOptions(c);
    const input = pinInput(c);
    const r = verifier.verify(input, opts);
    assert.equal(r.error ?? 'OK', c.expected, `${c.name}: got ${r.error} (${r.detail})`);
    assert.equal(r.ok, c.expected === 'OK');
    assert.equal(r.status, vp.Status[c.expected]);

    // The same outcome through Pin.parse: a parse-level refusal throws with
    // that code, otherwise verifying the Pin object agrees.
    let pin = null;
    try {
      pin = Pin.parse(input);
    } catch (err) {
      assert.equal(err.code, c.expected, `${c.name}: Pin.parse threw ${err.code}`);
      assert.equal(err.status, vp.Status[c.expected]);
    }
    if (pin) {
      assert.equal(verifier.verify(pin, opts).error ?? 'OK', c.expected, `${c.name} via Pin`);
      pin.close();
    }

    // A vector given as raw little-endian bytes is read as the pin's dtype.
    if (opts.vector) {
      const bytes = Buffer.from(opts.vector.buffer, opts.vector.byteOffset, opts.vector.byteLength);
      const rr = verifier.verify(input, { ...opts, vector: bytes, vectorDtype: c.vector_dtype });
      assert.equal(rr.error ?? 'OK', c.expected, `${c.name} with vector bytes`);
    }
    verifier.close();
    casesRun++;
  }
});

test('extended.json verify_cases through verifyBatchAsync', async () => {
  // Cases sharing a registry run in one batch; the results must equal the
  // synchronous ones case by case.
  const groups = new Map();
  for (const c of extended.verify_cases) {
    const key = JSON.stringify([c.keys, c.legacy_v1 === true]);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(c);
  }
  for (const cases of groups.values()) {
    const verifier = verifierFor(cases[0]);
    const results = await verifier.verifyBatchAsync(cases.map((c) => ({ pin: pinInput(c), ...verifyOptions(c) })));
    assert.equal(results.length, cases.length);
    cases.forEach((c, i) => assert.equal(results[i].error ?? 'OK', c.expected, `${c.name} (batch)`));
    verifier.close();
  }
});

test('extended.json registry_cases', () => {
  assert.ok(extended.registry_cases.length > 0);
  for (const c of extended.registry_cases) {
    const verifier = new Verifier();
    const got = statusOf(() =>
      verifier.addKey(c.name, b64(c.public_key_b64), { validFrom: c.valid_from, validUntil: c.valid_until }),
    );
    assert.equal(got, c.expected, c.name);
    assert.equal(verifier.keyCount, c.expected === 'OK' ? 1 : 0);
    // The same key given as base64url text.
    const again = new Verifier();
    assert.equal(
      statusOf(() => again.addKey(c.name, c.public_key_b64, { validFrom: c.valid_from, validUntil: c.valid_until })),
      c.expected,
      `${c.name} (text key)`,
    );
    verifier.close();
    again.close();
    casesRun++;
  }
});

test('extended.json hash_text_cases', () => {
  for (const c of extended.hash_text_cases) {
    const text = b64(c.text_b64);
    if (c.expected === null) {
      assert.equal(statusOf(() => vp.hashText(text)), 'INVALID_INPUT', c.name);
    } else {
      assert.equal(vp.hashText(text), c.expected, c.name);
      // As a JavaScript string too, when the bytes are valid UTF-8.
      assert.equal(vp.hashText(text.toString('utf8')), c.expected, `${c.name} (string)`);
    }
    casesRun++;
  }
});

test('extended.json hash_vector_cases', () => {
  for (const c of extended.hash_vector_cases) {
    const vector = vectorFromB64(c.vector_b64, c.input_dtype);
    const got = statusOf(() => vp.hashVector(vector, c.hash_dtype));
    if (c.expected === null) {
      assert.equal(got, 'INVALID_INPUT', c.name);
    } else {
      assert.equal(vp.hashVector(vector, { dtype: c.hash_dtype }), c.expected, c.name);
      const bytes = b64(c.vector_b64);
      assert.equal(vp.hashVector(bytes, { dtype: c.hash_dtype, vectorDtype: c.input_dtype }), c.expected);
    }
    casesRun++;
  }
});

test('extended.json sign_cases', () => {
  const seed = b64(extended.private_seed_b64);
  const verifier = new Verifier({ [extended.key_id]: extended.public_key_b64 }, { legacyV1: true });
  for (const c of extended.sign_cases) {
    const o = c.options || {};
    let pin = null;
    const got = statusOf(() => {
      const signer = Signer.fromSeed(c.kid, seed);
      try {
        pin = signer.pin({
          source: c.source,
          model: c.model,
          vector: vectorFromB64(c.vector_b64, c.input_dtype),
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
      if (pin.kid === extended.key_id || pin.kid === 'test-vectors-2026-05') {
        const v = new Verifier({ [pin.kid]: extended.public_key_b64 }, { legacyV1: true });
        assert.equal(v.verify(pin, { source: c.source }).ok, true, `${c.name} verifies`);
        v.close();
      }
      pin.close();
    }
    casesRun++;
  }
  verifier.close();
});

test('every fixture file was found and cases ran', () => {
  for (const f of ['v1.json', 'v2.json', 'negative_v1.json', 'negative_v2.json', 'extended.json']) {
    assert.ok(fs.existsSync(path.join(testvectorsDir, f)), f);
    assert.ok(fs.existsSync(path.join(testvectorsDir, 'upstream', f === 'extended.json' ? 'v1.json' : f)), f);
  }
  assert.ok(casesRun > 0, 'no fixture case ran');
});
