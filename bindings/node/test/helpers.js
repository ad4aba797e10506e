'use strict';
// Shared by the test files: fixture loading and small conversions.

const fs = require('node:fs');
const path = require('node:path');
const vp = require('../lib');

const testvectorsDir = process.env.VECTORPIN_TESTVECTORS || path.join(__dirname, '..', '..', '..', 'testvectors');

function readFixture(rel) {
  return JSON.parse(fs.readFileSync(path.join(testvectorsDir, rel), 'utf8'));
}

// Decoded with the library's strict decoder, so a malformed fixture fails
// loudly instead of being read leniently.
function b64(text) {
  return vp.base64urlDecode(text);
}

// Copies into a fresh ArrayBuffer so the typed array is aligned whatever the
// Buffer pool offset was.
function vectorFromB64(text, dtype) {
  const bytes = b64(text);
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  if (dtype === 'f64') return new Float64Array(copy.buffer);
  if (dtype === 'f32') return new Float32Array(copy.buffer);
  throw new Error(`unknown dtype ${dtype}`);
}

const TEST_SEED = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const TEST_PUBLIC_KEY_B64 = 'A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg';

function statusOf(fn) {
  try {
    fn();
    return 'OK';
  } catch (err) {
    if (typeof err.code !== 'string') throw err;
    return err.code;
  }
}

// A deterministic pseudo-random vector.
function makeVector(dim, seed, Type = Float32Array) {
  const v = new Type(dim);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < dim; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    v[i] = x / 4294967296 - 0.5;
  }
  return v;
}

module.exports = { vp, testvectorsDir, readFixture, b64, vectorFromB64, TEST_SEED, TEST_PUBLIC_KEY_B64, statusOf, makeVector };
