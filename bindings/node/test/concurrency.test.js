'use strict';
// verifyBatchAsync: thread-pool verification, one verifier shared by many
// batches at once, inputs kept alive and captured, the event loop kept free.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');
const { Worker } = require('node:worker_threads');
const { vp, makeVector } = require('./helpers');

const { Signer, Verifier, Pin } = vp;

function getGc() {
  if (typeof global.gc === 'function') return global.gc;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
}
const gc = getGc();

const signer = Signer.generate('batch-key');
const dim = 64;
const records = Array.from({ length: 50 }, (_, i) => {
  const vector = makeVector(dim, i + 1);
  const source = `record ${i}`;
  const pin = signer.pin({ source, model: 'm', vector, recordId: `r${i}` });
  return { vector, source, json: pin.toString(), pin };
});

// Item i: valid, or one of three kinds of failure, depending on i.
function item(i) {
  const r = records[i % records.length];
  switch (i % 4) {
    case 0:
      return { expect: 'OK', item: { pin: r.pin, source: r.source, vector: r.vector, expectedRecordId: `r${i % records.length}` } };
    case 1: {
      const tampered = Float32Array.from(r.vector);
      tampered[i % dim] += 1;
      return { expect: 'VECTOR_TAMPERED', item: { pin: r.json, vector: tampered } };
    }
    case 2:
      return { expect: 'SOURCE_MISMATCH', item: { pin: Buffer.from(r.json), source: `${r.source}?` } };
    default:
      return { expect: 'RECORD_MISMATCH', item: { pin: r.pin, expectedRecordId: 'nope' } };
  }
}

function batch(n, offset = 0) {
  const cases = Array.from({ length: n }, (_, i) => item(i + offset));
  return { items: cases.map((c) => c.item), expected: cases.map((c) => c.expect) };
}

function check(results, expected, label) {
  assert.equal(results.length, expected.length, label);
  results.forEach((r, i) => {
    assert.equal(r.error ?? 'OK', expected[i], `${label} item ${i}`);
    assert.equal(r.ok, expected[i] === 'OK');
  });
}

test('a batch gives the same outcomes as verify()', async () => {
  const verifier = new Verifier({ 'batch-key': signer.publicKey });
  const { items, expected } = batch(203);
  const one = items.map(({ pin, ...opts }) => verifier.verify(pin, opts));
  check(one, expected, 'verify');
  for (const threads of [undefined, 1, 3, 16]) {
    const results = await verifier.verifyBatchAsync(items, { threads });
    assert.deepEqual(results, one, `verifyBatchAsync threads=${threads}`);
  }
  assert.deepEqual(await verifier.verifyBatchAsync([]), []);
  verifier.close();
});

test('one verifier serves many concurrent batches on the thread pool', async () => {
  const verifier = new Verifier({ 'batch-key': signer.publicKey });
  const batches = Array.from({ length: 12 }, (_, k) => batch(150 + k * 7, k * 13));
  const results = await Promise.all(batches.map((b) => verifier.verifyBatchAsync(b.items)));
  results.forEach((r, k) => check(r, batches[k].expected, `batch ${k}`));
  // Mixed with synchronous calls on the same verifier while batches run.
  const pending = verifier.verifyBatchAsync(batches[0].items);
  for (let i = 0; i < 40; i++) {
    const c = item(i);
    const { pin, ...opts } = c.item;
    assert.equal(verifier.verify(pin, opts).error ?? 'OK', c.expect);
  }
  check(await pending, batches[0].expected, 'mixed');
  verifier.close();
});

test('the event loop keeps running while a large batch is verified', async () => {
  const verifier = new Verifier({ 'batch-key': signer.publicKey });
  const { items, expected } = batch(8000);
  let ticks = 0;
  let settled = false;
  const timer = setInterval(() => {
    ticks++;
  }, 1);
  const started = process.hrtime.bigint();
  const promise = verifier.verifyBatchAsync(items).then((r) => {
    settled = true;
    return r;
  });
  // Immediately after the call nothing has been settled: the work is queued.
  assert.equal(settled, false);
  let immediates = 0;
  await new Promise((resolve) => {
    const spin = () => {
      immediates++;
      if (settled) resolve();
      else setImmediate(spin);
    };
    setImmediate(spin);
  });
  const results = await promise;
  clearInterval(timer);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  check(results, expected, 'large batch');
  // Thousands of Ed25519 verifications take well over a few milliseconds;
  // the loop turned many times meanwhile instead of being blocked.
  assert.ok(immediates > 20, `only ${immediates} loop turns in ${ms.toFixed(0)} ms`);
  assert.ok(ticks > 2, `only ${ticks} timer ticks in ${ms.toFixed(0)} ms`);
  // And the results are those of synchronous verify(), item by item.
  items.forEach(({ pin, ...opts }, i) => assert.deepEqual(results[i], verifier.verify(pin, opts), `item ${i}`));
  verifier.close();
});

test('inputs stay alive and are captured when the batch starts', async () => {
  const verifier = new Verifier({ 'batch-key': signer.publicKey });
  // Pins referenced only by the batch: collectable by JavaScript, yet the
  // batch keeps them (and their native memory) until it is done.
  let items = records.map((r, i) => ({
    pin: Pin.parse(r.json),
    source: r.source,
    vector: Float32Array.from(r.vector),
    expectedRecordId: `r${i}`,
  }));
  const vectors = items.map((it) => it.vector);
  const pins = items.map((it) => new WeakRef(it.pin));
  const promise = verifier.verifyBatchAsync(items);
  items = null;
  // Rewriting the vectors after the call does not change what is verified.
  for (const v of vectors) v.fill(0);
  for (let i = 0; i < 5; i++) gc();
  const results = await promise;
  results.forEach((r, i) => assert.equal(r.ok, true, `item ${i}: ${r.error}`));
  // The pins were only kept alive for the batch's duration.
  await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 5; i++) gc();
  await new Promise((resolve) => setTimeout(resolve, 10));
  gc();
  const alive = pins.filter((w) => w.deref() !== undefined).length;
  assert.ok(alive < pins.length, `all ${alive} pins still alive after the batch`);
  verifier.close();
});

test('closing the verifier and pins while a batch runs defers the free', async () => {
  const verifier = new Verifier({ 'batch-key': signer.publicKey });
  const pins = records.map((r) => Pin.parse(r.json));
  const items = [];
  for (let k = 0; k < 20; k++) pins.forEach((pin, i) => items.push({ pin, vector: records[i].vector }));
  const promise = verifier.verifyBatchAsync(items);
  // The batch holds the verifier; pins were captured as their wire JSON.
  assert.ok(vp._internal.busyCount(verifier) > 0);
  assert.equal(vp._internal.busyCount(pins[0]), 0);
  verifier.close();
  pins.forEach((p) => p.close());
  // Closed for JavaScript at once ...
  assert.equal(verifier.closed, true);
  assert.throws(() => verifier.verify(records[0].json), { code: 'INVALID_ARGUMENT', message: /closed/ });
  assert.throws(() => pins[0].kid, /closed/);
  // ... while the batch finishes on the native verifier it holds.
  const results = await promise;
  assert.equal(results.length, items.length);
  results.forEach((r, i) => assert.equal(r.ok, true, `item ${i}: ${r.error}`));
  verifier.close();
});

test('the registry cannot change while a batch uses the verifier', async () => {
  const verifier = new Verifier({ 'batch-key': signer.publicKey });
  const promise = verifier.verifyBatchAsync(batch(400).items);
  const other = Signer.generate('other');
  assert.throws(() => verifier.addKey('other', other.publicKey), { code: 'INVALID_ARGUMENT', message: /in use/ });
  assert.throws(() => {
    verifier.legacyV1 = true;
  }, /in use/);
  await promise;
  verifier.addKey('other', other.publicKey);
  assert.equal(verifier.keyCount, 2);
  other.close();
  verifier.close();
});

test('bad batch input rejects the promise instead of throwing', async () => {
  const verifier = new Verifier({ 'batch-key': signer.publicKey });
  await assert.rejects(verifier.verifyBatchAsync(42), { name: 'TypeError', code: 'INVALID_ARGUMENT' });
  await assert.rejects(verifier.verifyBatchAsync([{ pin: records[0].json }, { pin: 7 }]), /pin must be/);
  await assert.rejects(verifier.verifyBatchAsync([{ pin: records[0].json, vector: 'x' }]), { code: 'INVALID_ARGUMENT' });
  await assert.rejects(verifier.verifyBatchAsync([{ pin: records[0].json, expectedRecordID: 'r0' }]), /unknown option/);
  // Iterables other than arrays are accepted.
  const set = new Set([{ pin: records[0].json }]);
  assert.equal((await verifier.verifyBatchAsync(set))[0].ok, true);
  verifier.close();
  await assert.rejects(verifier.verifyBatchAsync([{ pin: records[0].json }]), /closed/);
});

test('the addon works in worker threads, each with its own verifiers', async () => {
  const script = `
    const { parentPort, workerData } = require('node:worker_threads');
    const vp = require(${JSON.stringify(path.join(__dirname, '..', 'lib'))});
    const v = new vp.Verifier({ 'batch-key': Buffer.from(workerData.pk) });
    const items = workerData.jsons.map((pin, i) => ({ pin, source: 'record ' + i }));
    v.verifyBatchAsync(items).then((r) => {
      const sync = workerData.jsons.map((pin, i) => v.verify(pin, { source: 'record ' + i }).ok);
      parentPort.postMessage({ async: r.map((x) => x.ok), sync });
      v.close();
    });
  `;
  const jsons = records.map((r) => r.json);
  const runs = Array.from({ length: 3 }, () =>
    new Promise((resolve, reject) => {
      const w = new Worker(script, { eval: true, workerData: { pk: signer.publicKey, jsons } });
      w.once('message', resolve);
      w.once('error', reject);
    }),
  );
  for (const out of await Promise.all(runs)) {
    assert.equal(out.async.length, records.length);
    assert.ok(out.async.every(Boolean));
    assert.ok(out.sync.every(Boolean));
  }
});
