'use strict';
// The library's batch API through the binding: verifyBatch (one blocking
// call, vectorpin_verify_batch) and VerifyStream (vectorpin_batch_*). Every
// result must equal what verify() gives for the same item.

const test = require('node:test');
const assert = require('node:assert/strict');
const { vp, makeVector } = require('./helpers');

const { Signer, Verifier, VerifyStream, Pin } = vp;

const signer = Signer.generate('stream-key');
const dim = 32;
const records = Array.from({ length: 40 }, (_, i) => {
  const vector = makeVector(dim, 100 + i, i % 2 ? Float64Array : Float32Array);
  const source = `stream record ${i}`;
  const pin = signer.pin({ source, model: 'm', vector, recordId: `s${i}`, tenantId: 't' });
  return { vector, source, json: pin.toString(), pin };
});

// Items covering every input form and several outcomes.
function items(n) {
  return Array.from({ length: n }, (_, i) => {
    const r = records[i % records.length];
    switch (i % 7) {
      case 0:
        return { pin: r.pin, source: r.source, vector: r.vector, expectedRecordId: `s${i % records.length}` };
      case 1: {
        const bad = r.vector.slice();
        bad[i % dim] += 0.5;
        return { pin: r.json, vector: bad };
      }
      case 2:
        return { pin: Buffer.from(r.json), source: `${r.source}!` };
      case 3:
        // Raw bytes without a dtype: read as the pin's vec_dtype.
        return { pin: r.json, vector: Buffer.from(r.vector.buffer.slice(0)) };
      case 4:
        return { pin: r.pin, expectedTenantId: 'other', expectedModel: 'm' };
      case 5:
        return { pin: r.json.replace('"v":2', '"v":2.0'), vector: Buffer.alloc(3) };
      default:
        return { pin: r.json, vector: r.vector.subarray(1) };
    }
  });
}
const EXPECTED = ['OK', 'VECTOR_TAMPERED', 'SOURCE_MISMATCH', 'OK', 'TENANT_MISMATCH', 'PARSE_ERROR', 'SHAPE_MISMATCH'];

function oneAtATime(verifier, list) {
  return list.map(({ pin, ...opts }) => verifier.verify(pin, opts));
}

test('verifyBatch equals verify() item by item, for any thread count', () => {
  const verifier = new Verifier({ 'stream-key': signer.publicKey });
  const list = items(150);
  const one = oneAtATime(verifier, list);
  one.forEach((r, i) => assert.equal(r.error ?? 'OK', EXPECTED[i % 7], `verify item ${i}: ${r.detail}`));
  for (const threads of [undefined, 0, 1, 2, 7]) {
    assert.deepEqual(verifier.verifyBatch(list, { threads }), one, `threads=${threads}`);
  }
  assert.deepEqual(verifier.verifyBatch([]), []);
  assert.deepEqual(verifier.verifyBatch(new Set(list.slice(0, 3))), one.slice(0, 3));
  verifier.close();
});

test('verifyBatch refuses misuse with INVALID_ARGUMENT', () => {
  const verifier = new Verifier({ 'stream-key': signer.publicKey });
  const ok = [{ pin: records[0].json }];
  for (const threads of [-1, 1.5, vp.constants.BATCH_MAX_THREADS + 1, '2']) {
    assert.throws(() => verifier.verifyBatch(ok, { threads }), { code: 'INVALID_ARGUMENT' }, String(threads));
  }
  assert.throws(() => verifier.verifyBatch(ok, { thread: 2 }), /unknown option/);
  assert.throws(() => verifier.verifyBatch(null), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => verifier.verifyBatch([{ pin: 5 }]), /pin must be/);
  assert.throws(() => verifier.verifyBatch([{ pin: records[0].json, vector: {} }]), { code: 'INVALID_ARGUMENT' });
  // A closed Pin inside a batch is use after close.
  const closed = Pin.parse(records[0].json);
  closed.close();
  assert.throws(() => verifier.verifyBatch([{ pin: closed }]), /closed/);
  verifier.close();
  assert.throws(() => verifier.verifyBatch(ok), /closed/);
});

test('a stream delivers results in submission order, equal to verify()', async () => {
  const verifier = new Verifier({ 'stream-key': signer.publicKey });
  const list = items(300);
  const one = oneAtATime(verifier, list);
  const stream = verifier.stream({ threads: 3 });
  assert.ok(stream instanceof VerifyStream);
  assert.equal(stream.threads, 3);
  assert.equal(stream.pending, 0);
  assert.equal(stream.next(), null);
  assert.equal(await stream.nextAsync(), null);
  const ids = list.map(({ pin, ...opts }) => stream.submit(pin, opts));
  assert.deepEqual(ids, list.map((_, i) => i));
  assert.equal(stream.pending, list.length);
  const got = [];
  for await (const r of stream) got.push(r);
  assert.equal(stream.pending, 0);
  assert.equal(got.length, list.length);
  got.forEach((r, i) => {
    const { id, ...rest } = r;
    assert.equal(id, i);
    assert.deepEqual(rest, one[i], `item ${i}`);
  });
  stream.close();
  verifier.close();
});

test('a stream is fed and drained at the same time', async () => {
  const verifier = new Verifier({ 'stream-key': signer.publicKey });
  const list = items(500);
  const one = oneAtATime(verifier, list);
  const stream = verifier.stream();
  assert.ok(stream.threads >= 1);
  const got = [];
  let next = 0;
  // Keep at most 16 in flight: the caller bounds the memory a stream uses.
  while (next < list.length || stream.pending > 0) {
    while (next < list.length && stream.pending < 16) {
      const { pin, ...opts } = list[next++];
      stream.submit(pin, opts);
    }
    const r = next % 3 === 0 ? stream.next({ wait: true }) : await stream.nextAsync();
    assert.notEqual(r, null);
    got.push(r);
  }
  assert.deepEqual(
    got.map(({ id, ...rest }) => [id, rest]),
    one.map((r, i) => [i, r]),
  );
  // Several nextAsync() calls at once are answered in order.
  for (let i = 0; i < 10; i++) stream.submit(list[i].pin, { source: list[i].source, vector: list[i].vector });
  const parallel = await Promise.all(Array.from({ length: 12 }, () => stream.nextAsync()));
  assert.deepEqual(parallel.slice(0, 10).map((r) => r.id), Array.from({ length: 10 }, (_, i) => 500 + i));
  assert.deepEqual(parallel.slice(10), [null, null]);
  stream.close();
  verifier.close();
});

test('inputs are copied at submit; a stream keeps its verifier alive and locked', async () => {
  const verifier = new Verifier({ 'stream-key': signer.publicKey });
  const stream = verifier.stream({ threads: 2 });
  const r = records[0];
  const vector = r.vector.slice();
  const source = Buffer.from(r.source);
  const pin = Pin.parse(r.json);
  stream.submit(pin, { source, vector });
  // Changing or freeing what was submitted does not change the result.
  vector.fill(0);
  source.fill(0x41);
  pin.close();
  assert.throws(() => verifier.addKey('other', Signer.generate('other').publicKey), /in use/);
  verifier.close();
  assert.equal(verifier.closed, true);
  assert.equal((await stream.nextAsync()).ok, true);
  // The closed verifier still serves the stream until the stream goes.
  stream.submit(r.json, { source: r.source });
  assert.equal(stream.next({ wait: true }).ok, true);
  stream.close();
  // Another verifier accepts new keys once its stream is closed.
  const v2 = new Verifier({ 'stream-key': signer.publicKey });
  v2.stream().close();
  v2.addKey('other', Signer.generate('other').publicKey);
  assert.equal(v2.keyCount, 2);
  v2.close();
});

test('stream misuse and use after close', async () => {
  const verifier = new Verifier({ 'stream-key': signer.publicKey });
  assert.throws(() => verifier.stream({ threads: -1 }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => verifier.stream({ threads: vp.constants.BATCH_MAX_THREADS + 1 }), { code: 'INVALID_ARGUMENT' });
  const stream = verifier.stream({ threads: 1 });
  assert.throws(() => stream.submit(7), /pin must be/);
  assert.throws(() => stream.submit(records[0].json, { expectedRecordID: 'x' }), /unknown option/);
  assert.equal(stream.pending, 0, 'a refused submit queues nothing');
  // While a nextAsync() waits, a synchronous next() would be a second consumer.
  for (let i = 0; i < 50; i++) stream.submit(records[i % records.length].json);
  const waiting = stream.nextAsync();
  assert.throws(() => stream.next(), { code: 'INVALID_ARGUMENT', message: /nextAsync/ });
  // Closing while it waits: the wait still settles, later use throws.
  stream.close();
  stream.close();
  assert.equal(stream.closed, true);
  const first = await waiting;
  assert.equal(first.id, 0);
  assert.equal(first.ok, true);
  assert.throws(() => stream.submit(records[0].json), { code: 'INVALID_ARGUMENT', message: /closed/ });
  assert.throws(() => stream.next(), /closed/);
  assert.throws(() => stream.pending, /closed/);
  await assert.rejects(stream.nextAsync(), /closed/);
  assert.throws(() => new VerifyStream(), { code: 'INVALID_ARGUMENT' });
  verifier.close();
  assert.throws(() => verifier.stream(), /closed/);
});
