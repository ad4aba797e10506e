#!/usr/bin/env node
'use strict';
// The Node binding's conformance shim: answers the JSON-lines requests of
// `vectorpin conformance` (docs/CONFORMANCE.md) through the package's API.

const readline = require('node:readline');
const vp = require('../lib');

const bytes = (b64) => vp.base64urlDecode(b64);
const b64 = (buf) => vp.base64urlEncode(buf);

function failed(err) {
  if (err && typeof err.code === 'string' && /^[A-Z_]+$/.test(err.code)) {
    return { status: err.code, detail: err.detail ?? err.message };
  }
  return { status: 'ERROR', detail: String(err && err.message) };
}

// The vector as raw little-endian bytes plus their element type: the
// binding reads them in place.
const vectorOf = (v) => ({ vector: bytes(v.data_b64), vectorDtype: v.dtype });

function keyOptions(k) {
  return { validFrom: k.valid_from ?? null, validUntil: k.valid_until ?? null };
}

const ops = {
  hash_text: (i) => ({ status: 'OK', hash: vp.hashText(bytes(i.text_b64)) }),
  hash_vector: (i) => {
    const v = vectorOf(i.vector);
    return { status: 'OK', hash: vp.hashVector(v.vector, { dtype: i.hash_dtype, vectorDtype: v.vectorDtype }) };
  },
  parse: (i) => {
    const pin = vp.Pin.parse(bytes(i.pin_b64));
    try {
      return { status: 'OK', signed_bytes_b64: b64(pin.signedBytes()), pin_b64: b64(Buffer.from(pin.toString(), 'utf8')) };
    } finally {
      pin.close();
    }
  },
  sign: (i) => {
    const signer = vp.Signer.fromSeed(i.kid, bytes(i.seed_b64));
    try {
      const options = { source: bytes(i.source_b64), model: i.model, ...vectorOf(i.vector), protocol: i.protocol ?? 2 };
      if (i.dtype !== undefined) options.dtype = i.dtype;
      if (i.model_hash !== undefined) options.modelHash = i.model_hash;
      if (i.timestamp !== undefined) options.timestamp = i.timestamp;
      if (i.extra !== undefined) options.extra = i.extra;
      const pin = signer.pin(options);
      try {
        return { status: 'OK', pin_b64: b64(Buffer.from(pin.toString(), 'utf8')) };
      } finally {
        pin.close();
      }
    } finally {
      signer.close();
    }
  },
  verify: (i) => {
    const verifier = new vp.Verifier(null, { legacyV1: i.legacy_v1 === true });
    try {
      for (const k of i.keys) verifier.addKey(k.kid, bytes(k.public_key_b64), keyOptions(k));
      const options = {};
      if (i.source_b64 !== undefined) options.source = bytes(i.source_b64);
      if (i.vector !== undefined) Object.assign(options, vectorOf(i.vector));
      if (i.expect_model !== undefined) options.expectedModel = i.expect_model;
      if (i.expect_record_id !== undefined) options.expectedRecordId = i.expect_record_id;
      if (i.expect_collection_id !== undefined) options.expectedCollectionId = i.expect_collection_id;
      if (i.expect_tenant_id !== undefined) options.expectedTenantId = i.expect_tenant_id;
      const result = verifier.verify(bytes(i.pin_b64), options);
      return result.ok ? { status: 'OK' } : { status: result.error, detail: result.detail };
    } finally {
      verifier.close();
    }
  },
  add_key: (i) => {
    const verifier = new vp.Verifier();
    try {
      verifier.addKey(i.kid, bytes(i.public_key_b64), keyOptions(i));
      return { status: 'OK' };
    } finally {
      verifier.close();
    }
  },
  fingerprint: (i) => ({ status: 'OK', fingerprint: vp.publicKeyFingerprint(bytes(i.public_key_b64)) }),
};

function answer(request) {
  if (request.op === 'hello') {
    return { status: 'OK', protocol: 1, name: 'node', implementation: `Node.js binding on libvectorpin ${vp.version}` };
  }
  const op = ops[request.op];
  if (!op) return { status: 'unsupported' };
  try {
    return op(request.input || {});
  } catch (err) {
    return failed(err);
  }
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  let request;
  let reply;
  try {
    request = JSON.parse(line);
    reply = answer(request);
  } catch (err) {
    reply = { status: 'BAD_REQUEST', detail: String(err.message) };
  }
  reply.id = request ? request.id : null;
  process.stdout.write(`${JSON.stringify(reply)}\n`);
});
