#!/usr/bin/env node
// The WebAssembly package's conformance shim: answers the JSON-lines
// requests of `vectorpin conformance` (docs/CONFORMANCE.md) through the
// package's public API only, as an application would call it. Node's own
// modules carry the lines and the base64url; everything else is the package.
import readline from 'node:readline';

import init, {
  Pin,
  Signer,
  Verifier,
  hashText,
  hashVector,
  publicKeyFingerprint,
  version,
} from '../lib/index.js';

const bytes = (b64) => new Uint8Array(Buffer.from(b64, 'base64url'));
const b64 = (data) => Buffer.from(data).toString('base64url');
const utf8 = (text) => new TextEncoder().encode(text);

function failed(err) {
  if (err && typeof err.code === 'string' && /^[A-Z_]+$/.test(err.code)) {
    return { status: err.code, detail: err.detail ?? err.message };
  }
  return { status: 'ERROR', detail: String(err && err.message) };
}

// The vector as raw little-endian bytes plus their element type: the
// package copies them into the module's memory as they are.
const vectorOf = (v) => ({ vector: bytes(v.data_b64), vectorDtype: v.dtype });

const keyOptions = (k) => ({ validFrom: k.valid_from ?? null, validUntil: k.valid_until ?? null });

// Closes a handle whatever happens in between.
function using(handle, fn) {
  try {
    return fn(handle);
  } finally {
    handle.close();
  }
}

const ops = {
  hash_text: (i) => ({ status: 'OK', hash: hashText(bytes(i.text_b64)) }),
  hash_vector: (i) => {
    const v = vectorOf(i.vector);
    return { status: 'OK', hash: hashVector(v.vector, { dtype: i.hash_dtype, vectorDtype: v.vectorDtype }) };
  },
  parse: (i) =>
    using(Pin.parse(bytes(i.pin_b64)), (pin) => ({
      status: 'OK',
      signed_bytes_b64: b64(pin.signedBytes()),
      pin_b64: b64(utf8(pin.toString())),
    })),
  sign: (i) =>
    using(Signer.fromSeed(i.kid, bytes(i.seed_b64)), (signer) => {
      const options = { source: bytes(i.source_b64), model: i.model, ...vectorOf(i.vector), protocol: i.protocol ?? 2 };
      if (i.dtype !== undefined) options.dtype = i.dtype;
      if (i.model_hash !== undefined) options.modelHash = i.model_hash;
      if (i.timestamp !== undefined) options.timestamp = i.timestamp;
      if (i.extra !== undefined) options.extra = i.extra;
      return using(signer.pin(options), (pin) => ({ status: 'OK', pin_b64: b64(utf8(pin.toString())) }));
    }),
  verify: (i) =>
    using(new Verifier(null, { legacyV1: i.legacy_v1 === true }), (verifier) => {
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
    }),
  add_key: (i) =>
    using(new Verifier(), (verifier) => {
      verifier.addKey(i.kid, bytes(i.public_key_b64), keyOptions(i));
      return { status: 'OK' };
    }),
  fingerprint: (i) => ({ status: 'OK', fingerprint: publicKeyFingerprint(bytes(i.public_key_b64)) }),
};

function answer(request) {
  if (request.op === 'hello') {
    return { status: 'OK', protocol: 1, name: 'wasm', implementation: `vectorpin-wasm on libvectorpin ${version()}` };
  }
  const op = ops[request.op];
  if (!op) return { status: 'unsupported' };
  try {
    return op(request.input || {});
  } catch (err) {
    return failed(err);
  }
}

await init();
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
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
}
