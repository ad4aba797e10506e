'use strict';
// Every attack of the demo, played on real LanceDB tables (f32 and f64), is
// caught with its expected code, and no untouched record fails.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const h = require('./helpers');
const { attackTable } = require('../lib/attacks');

for (const dtype of ['f32', 'f64']) {
  test(`every demo attack is caught with its expected code (${dtype})`, async (t) => {
    const dir = h.tempDir(t);
    const keys = h.makeKeys(dir);
    const uri = path.join(dir, 'db');
    const n = 150;
    await h.makeSymbiontTable(uri, 'rag', n, { dtype, dim: 32 });
    const p = h.run(['pin', '--uri', uri, '--table', 'rag', '--private-key', keys.priv, '--key-id', keys.kid,
      '--model', 'text-embedding-3-large', '--source-column', 'content', '--no-progress']);
    assert.equal(p.code, 0, p.stderr);
    const plan = await attackTable(await h.openTable(uri, 'rag'), { id: 'id', vector: 'vector', source: 'content', pin: 'vectorpin' });
    assert.equal(new Set(plan.map((a) => a.attack)).size, 11, 'the demo has eleven attacks');
    const report = path.join(dir, 'report.jsonl');
    const r = h.run(['audit', '--uri', uri, '--table', 'rag', '--public-key', keys.pub, '--key-id', keys.kid,
      '--source-column', 'content', '--expect-model', 'text-embedding-3-large', '--bind-record-id',
      '--collection-id', 'rag', '--fail-on-unpinned', '--report', report, '--no-progress', '--batch-size', '64']);
    assert.equal(r.code, 1);
    const found = new Map(h.reportLines(report).map((l) => [l.id, l.error]));
    for (const a of plan) assert.equal(found.get(a.id), a.code, `${a.attack} on ${a.id}`);
    assert.equal(found.size, plan.length, 'no untouched record is reported');
    const unpinned = plan.filter((a) => a.code === 'UNPINNED').length;
    assert.equal(r.summary.total, n);
    assert.equal(r.summary.unpinned, unpinned);
    assert.equal(r.summary.verification_failed, plan.length - unpinned);
    assert.equal(r.summary.verified_ok, n - plan.length);
    assert.equal(r.summary.total, r.summary.verified_ok + r.summary.verification_failed + r.summary.unpinned);
  });
}
