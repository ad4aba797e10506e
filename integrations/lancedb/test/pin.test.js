'use strict';
// `vectorpin-lancedb pin`: pins written back with merge-insert, nothing
// lost when the run is killed, and nothing written when a row is bad.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers');

const N = 600;

async function setup(t, n = N) {
  const dir = h.tempDir(t);
  const keys = h.makeKeys(dir);
  const uri = path.join(dir, 'db');
  await h.makeSymbiontTable(uri, 'ctx', n);
  const pinArgs = ['pin', '--uri', uri, '--table', 'ctx', '--private-key', keys.priv, '--key-id', keys.kid, '--model', 'm',
    '--source-column', 'content', '--no-progress'];
  const audit = (...extra) => h.run(['audit', '--uri', uri, '--table', 'ctx', '--public-key', keys.pub, '--key-id', keys.kid,
    '--source-column', 'content', '--bind-record-id', '--collection-id', 'ctx', '--no-progress', ...extra]);
  return { dir, uri, keys, pinArgs, audit };
}

function waitForFile(file, child) {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (fs.existsSync(file)) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`pin ended (exit ${child.exitCode}) before the pause point`));
      }
    }, 5);
  });
}

function killed(child) {
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal)));
}

// Every row still there, unchanged apart from its pin, each pin verifying.
async function checkIntact(s, before, expectPinned) {
  const rows = await h.allRows(await h.openTable(s.uri, 'ctx'));
  assert.equal(rows.length, before.length, 'no row lost or duplicated');
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const b of before) {
    const r = byId.get(b.id);
    assert.ok(r, `row ${b.id} is present`);
    assert.equal(r.content, b.content);
    assert.deepEqual(Array.from(r.vector), Array.from(b.vector));
  }
  const a = s.audit();
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.summary.total, before.length);
  assert.equal(a.summary.verification_failed, 0, 'no pin is corrupted');
  assert.equal(a.summary.pinned + a.summary.unpinned, before.length);
  expectPinned(a.summary.pinned);
  return a.summary;
}

for (const mode of ['paused between commits', 'while writing']) {
  test(`kill -9 ${mode}: every row survives, pinned or unpinned; --only-unpinned finishes`, async (t) => {
    const s = await setup(t);
    const before = await h.allRows(await h.openTable(s.uri, 'ctx'));
    const pause = path.join(s.dir, 'paused');
    const child = h.runAsync([...s.pinArgs, '--batch-size', '50'], {
      VECTORPIN_TEST_PAUSE_AFTER_ROWS: '200',
      VECTORPIN_TEST_PAUSE_FILE: pause,
      // 0: carry on at once, so the kill lands in a later batch's signing or commit.
      VECTORPIN_TEST_PAUSE_SECONDS: mode === 'while writing' ? '0' : '300',
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await waitForFile(pause, child).catch((e) => assert.fail(`${e.message}: ${stderr}`));
    child.kill('SIGKILL');
    assert.equal(await killed(child), 'SIGKILL');
    const summary = await checkIntact(s, before, (pinned) => {
      if (mode === 'paused between commits') assert.equal(pinned, 200);
      else assert.ok(pinned >= 200 && pinned <= N, `pinned ${pinned}`);
    });
    assert.equal(summary.pinned % 50, 0, 'commits are whole batches');
    // A plain rerun refuses to touch a table that has pins.
    const refused = h.run(s.pinArgs);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--only-unpinned or --overwrite/);
    const rest = h.run([...s.pinArgs, '--only-unpinned']);
    assert.equal(rest.code, 0, rest.stderr);
    assert.equal(rest.summary.pinned, N - summary.pinned);
    assert.equal(rest.summary.skipped, summary.pinned);
    await checkIntact(s, before, (pinned) => assert.equal(pinned, N));
  });
}

test('a bad row stops the run before anything is written', async (t) => {
  const s = await setup(t, 20);
  const table = await h.openTable(s.uri, 'ctx');
  await table.update({ where: "id = 'ctx-00007'", valuesSql: { vector: 'NULL' } });
  const version = await table.version();
  const r = h.run(s.pinArgs);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /ctx-00007 \(no vector\)/);
  assert.match(r.stderr, /nothing was written/);
  const after = await h.openTable(s.uri, 'ctx');
  assert.equal(await after.version(), version, 'no new table version');
  const skip = h.run([...s.pinArgs, '--skip-invalid']);
  assert.equal(skip.code, 0, skip.stderr);
  assert.equal(skip.summary.pinned, 19);
  assert.equal(skip.summary.skipped, 1);
  assert.match(skip.stderr, /skipped record ctx-00007/);
});

test('duplicate ids are refused: a pin written by id could land on two rows', async (t) => {
  const s = await setup(t, 5);
  const table = await h.openTable(s.uri, 'ctx');
  await table.add([{ id: 'ctx-00002', content: 'again', source: 'x', vector: h.vectorFor(99, 16) }]);
  const version = await table.version();
  const r = h.run(s.pinArgs);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /ctx-00002' occurs more than once/);
  assert.equal(await (await h.openTable(s.uri, 'ctx')).version(), version);
});

test('--overwrite re-pins; bad settings are refused before the table is touched', async (t) => {
  const s = await setup(t, 5);
  assert.equal(h.run(s.pinArgs).code, 0);
  const version = await (await h.openTable(s.uri, 'ctx')).version();
  for (const [extra, pattern] of [
    [['--model-hash', 'md5:00'], /model/i],
    [['--timestamp', 'yesterday'], /timestamp|INVALID/i],
    [['--extra', 'vectorpin.record_id=x'], /reserved/],
    [['--no-source'], /exclude/],
    [['--protocol', '3'], /--protocol/],
  ]) {
    const r = h.run([...s.pinArgs, '--overwrite', ...extra]);
    assert.equal(r.code, 2, `${extra.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
  }
  assert.equal(await (await h.openTable(s.uri, 'ctx')).version(), version);
  const again = h.run([...s.pinArgs, '--overwrite', '--collection-id', 'other']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.summary.collection_id, 'other');
  assert.equal(s.audit().code, 1, 'the old collection id no longer matches');
  fs.chmodSync(s.keys.priv, 0o644);
  const loose = h.run([...s.pinArgs, '--overwrite']);
  assert.equal(loose.code, 3);
  assert.match(loose.stderr, /INSECURE_PERMISSIONS/);
});

test('pin adds the pin column when the table has none', async (t) => {
  const s = await setup(t, 4);
  const before = (await (await h.openTable(s.uri, 'ctx')).schema()).fields.map((f) => f.name);
  assert.equal(before.includes('vectorpin'), false);
  const r = h.run(s.pinArgs);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(Object.keys(r.summary), ['store', 'table', 'pinned', 'skipped', 'bind_record_id', 'collection_id', 'elapsed_seconds']);
  const field = (await (await h.openTable(s.uri, 'ctx')).schema()).fields.find((f) => f.name === 'vectorpin');
  assert.equal(String(field.type), 'Utf8');
  assert.equal(s.audit().summary.verified_ok, 4);
});
