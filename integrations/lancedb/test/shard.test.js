'use strict';
// `vectorpin-lancedb audit --shard I/N`: the shards of a LanceDB table are
// disjoint, cover every record, are the same records `vectorpin audit
// --shard` picks from the same ids, and `vectorpin audit-merge` adds them up
// to the unsharded audit.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');

const N = 3;

function cli(args) {
  const bin = process.env.VECTORPIN_CLI;
  assert.ok(bin, 'VECTORPIN_CLI names the built vectorpin (ctest sets it)');
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 120000 });
  let summary = null;
  try {
    summary = JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    summary = null;
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, summary };
}

const COUNTS = ['total', 'pinned', 'verified_ok', 'verification_failed', 'unpinned'];

test('shards are disjoint, complete, the CLI\'s own, and merge to the unsharded audit', async (t) => {
  const dir = h.tempDir(t);
  const keys = h.makeKeys(dir);
  const uri = path.join(dir, 'db');
  await h.makeSymbiontTable(uri, 'ctx', 90);
  const p = h.run(['pin', '--uri', uri, '--table', 'ctx', '--private-key', keys.priv, '--key-id', keys.kid,
    '--model', 'm', '--source-column', 'content', '--no-progress']);
  assert.equal(p.code, 0, p.stderr);
  const table = await h.openTable(uri, 'ctx');
  const rows = await h.allRows(table);
  for (const r of rows.slice(0, 7)) await table.update({ where: `id = '${r.id}'`, values: { content: 'edited' } });
  for (const r of rows.slice(7, 11)) await table.update({ where: `id = '${r.id}'`, valuesSql: { vectorpin: 'NULL' } });

  const audit = (report, ...extra) => h.run(['audit', '--uri', uri, '--table', 'ctx', '--public-key', keys.pub,
    '--key-id', keys.kid, '--source-column', 'content', '--fail-on-unpinned', '--no-progress', '--report', report, ...extra]);
  const whole = audit(path.join(dir, 'whole.jsonl'));
  assert.equal(whole.code, 1, whole.stderr);
  assert.equal(whole.summary.total, 90);
  assert.deepEqual(whole.summary.by_error, { SOURCE_MISMATCH: 7 });
  assert.equal(whole.summary.unpinned, 4);
  assert.equal(whole.summary.shard, undefined);

  // The same records as JSON Lines, for `vectorpin audit --shard` on the same ids.
  const current = await h.allRows(await h.openTable(uri, 'ctx'));
  const jsonl = path.join(dir, 'export.jsonl');
  fs.writeFileSync(jsonl, current.map((r) => JSON.stringify({ id: r.id, vector: Array.from(r.vector), source: r.content,
    vectorpin: r.vectorpin })).join('\n') + '\n');

  const files = [];
  const reported = [];
  for (let i = 0; i < N; i += 1) {
    const part = audit(path.join(dir, `report-${i}.jsonl`), '--shard', `${i}/${N}`);
    assert.ok(part.code === 0 || part.code === 1, part.stderr);
    assert.equal(part.summary.shard, `${i}/${N}`);
    assert.equal(part.summary.location, path.resolve(uri));
    assert.ok(part.summary.total > 0, `shard ${i} of 90 records is not empty`);
    reported.push(...h.reportLines(path.join(dir, `report-${i}.jsonl`)).map((l) => l.id));
    const file = path.join(dir, `summary-${i}.json`);
    fs.writeFileSync(file, part.stdout);
    files.push(file);
    const viaCli = cli(['audit', '--store', `jsonl:${jsonl}`, '--public-key', keys.pub, '--key-id', keys.kid,
      '--fail-on-unpinned', '--no-progress', '--report', path.join(dir, `cli-report-${i}.jsonl`), '--shard', `${i}/${N}`]);
    for (const k of COUNTS) assert.equal(viaCli.summary[k], part.summary[k], `shard ${i}: ${k} as vectorpin audit counts it`);
    assert.deepEqual(viaCli.summary.by_error, part.summary.by_error);
  }
  // Every failing record reported by exactly one shard.
  const whole_ids = h.reportLines(path.join(dir, 'whole.jsonl')).map((l) => l.id).sort();
  assert.deepEqual(reported.sort(), whole_ids);

  const merged = cli(['audit-merge', ...files]);
  assert.equal(merged.code, 1, merged.stderr);
  for (const k of COUNTS) assert.equal(merged.summary[k], whole.summary[k], k);
  assert.deepEqual(merged.summary.by_error, whole.summary.by_error);
  assert.equal(merged.summary.shards, N);
  assert.equal(merged.summary.store, 'lancedb');
});

test('--shard is I/N in plain decimal, 0 <= I < N <= 65536', async (t) => {
  const dir = h.tempDir(t);
  const keys = h.makeKeys(dir);
  const uri = path.join(dir, 'db');
  await h.makeSymbiontTable(uri, 'ctx', 3, { withPinColumn: true });
  for (const bad of ['3/3', '01/3', '0/0', '-1/3', '0/65537', '1', '0/3 ', '+0/3']) {
    const r = h.run(['audit', '--uri', uri, '--table', 'ctx', '--public-key', keys.pub, '--key-id', keys.kid,
      '--no-source', '--no-progress', `--shard=${bad}`]);
    assert.equal(r.code, 2, `--shard '${bad}' is a usage error`);
    assert.match(r.stderr, /--shard takes I\/N/);
  }
  const ok = h.run(['audit', '--uri', uri, '--table', 'ctx', '--public-key', keys.pub, '--key-id', keys.kid,
    '--no-source', '--no-progress', '--shard', '0/65536']);
  assert.ok(ok.code === 0, ok.stderr);
});
