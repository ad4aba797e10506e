// The ES module entry point and the package's `exports` map.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as esm from '../lib/index.mjs';
import byName, { Signer, Verifier, Status } from 'vectorpin-native';

const require = createRequire(import.meta.url);

test('import and require give the same objects', () => {
  const cjs = require('vectorpin-native');
  assert.equal(byName, cjs);
  assert.equal(esm.default, cjs);
  assert.equal(Signer, cjs.Signer);
  assert.equal(esm.Verifier, cjs.Verifier);
  // Every public CommonJS export is also a named ES export.
  for (const key of Object.keys(cjs)) assert.ok(key in esm, `missing named export ${key}`);
  assert.equal(require('vectorpin-native/package.json').name, 'vectorpin-native');
});

test('sign and verify through the ES module', () => {
  const signer = Signer.generate('esm');
  const vector = new Float32Array([0.1, 0.2, 0.3]);
  const pin = signer.pin({ source: 'esm source', model: 'm', vector });
  const verifier = new Verifier({ [signer.kid]: signer.publicKey });
  assert.deepEqual(verifier.verify(pin, { source: 'esm source', vector }), { ok: true, error: null, detail: null, status: Status.OK });
  for (const h of [pin, signer, verifier]) h.close();
});
