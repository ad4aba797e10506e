'use strict';
// `vectorpin-lancedb audit` on real LanceDB tables: Symbiont's schema, f32
// and f64 vectors, unpinned rows, records with missing parts, and the
// options and exit codes shared with `vectorpin audit`.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers');

async function pinnedSymbiont(t, { dtype = 'f32', n = 40 } = {}) {
  const dir = h.tempDir(t);
  const keys = h.makeKeys(dir);
  const uri = path.join(dir, 'db');
  await h.makeSymbiontTable(uri, 'symbiont_context', n, { dtype });
  const p = h.run(['pin', '--uri', uri, '--table', 'symbiont_context', '--private-key', keys.priv, '--key-id', keys.kid,
    '--model', 'text-embedding-3-large', '--source-column', 'content', '--no-progress']);
  assert.equal(p.code, 0, p.stderr);
  assert.equal(p.summary.pinned, n);
  const audit = (...extra) => h.run(['audit', '--uri', uri, '--table', 'symbiont_context', '--public-key', keys.pub,
    '--key-id', keys.kid, '--no-progress', ...extra]);
  return { dir, uri, keys, audit };
}

test('Symbiont schema: content is the source, the source column is provenance', async (t) => {
  const s = await pinnedSymbiont(t);
  const ok = s.audit('--source-column', 'content', '--bind-record-id', '--collection-id', 'symbiont_context',
    '--expect-model', 'text-embedding-3-large', '--fail-on-unpinned');
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(Object.keys(ok.summary), h.SUMMARY_KEYS);
  assert.equal(ok.summary.store, 'lancedb');
  assert.equal(ok.summary.table, 'symbiont_context');
  assert.equal(ok.summary.total, 40);
  assert.equal(ok.summary.verified_ok, 40);
  assert.deepEqual(ok.summary.by_error, {});
  // Verifying against Symbiont's `source` column (a URL) fails every record.
  const wrong = s.audit('--source-column', 'source');
  assert.equal(wrong.code, 1);
  assert.deepEqual(wrong.summary.by_error, { SOURCE_MISMATCH: 40 });
  // Upstream's default: no --source-column, no source check (and a note on stderr).
  const none = s.audit();
  assert.equal(none.code, 0);
  assert.equal(none.summary.verified_ok, 40);
  assert.match(none.stderr, /source text is not verified/);
});

test('f64 vector columns are pinned and verified as f64', async (t) => {
  const s = await pinnedSymbiont(t, { dtype: 'f64', n: 12 });
  const table = await h.openTable(s.uri, 'symbiont_context');
  const pins = (await h.allRows(table)).map((r) => h.vp.Pin.parse(r.vectorpin));
  assert.ok(pins.every((p) => p.vecDtype === 'f64' && p.vecDim === 16));
  const r = s.audit('--source-column', 'content', '--bind-record-id');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.summary.verified_ok, 12);
});

test('f32 pins are f32, and a changed low bit is caught', async (t) => {
  const s = await pinnedSymbiont(t, { n: 10 });
  const table = await h.openTable(s.uri, 'symbiont_context');
  const rows = await h.allRows(table);
  assert.equal(h.vp.Pin.parse(rows[0].vectorpin).vecDtype, 'f32');
  const v = Float32Array.from(rows[3].vector);
  new Uint32Array(v.buffer)[5] ^= 1;
  await table.update({ where: `id = '${rows[3].id}'`, values: { vector: Array.from(v) } });
  const report = path.join(s.dir, 'report.jsonl');
  const r = s.audit('--source-column', 'content', '--report', report);
  assert.equal(r.code, 1);
  assert.deepEqual(r.summary.by_error, { VECTOR_TAMPERED: 1 });
  const lines = h.reportLines(report);
  assert.equal(lines.length, 1);
  assert.equal(lines[0].id, rows[3].id);
  assert.equal(lines[0].error, 'VECTOR_TAMPERED');
  assert.deepEqual(Object.keys(lines[0]), ['id', 'error', 'detail']);
});

test('unpinned rows: counted, allowed by default, failures with --fail-on-unpinned', async (t) => {
  const dir = h.tempDir(t);
  const keys = h.makeKeys(dir);
  const uri = path.join(dir, 'db');
  const table = await h.makeSymbiontTable(uri, 'docs', 30, { withPinColumn: true });
  // Pin the first 20 rows only, as a partial backfill leaves a table.
  const signer = h.vp.Signer.load(keys.priv, keys.kid);
  const rows = (await h.allRows(table)).slice(0, 20);
  for (const r of rows) {
    const pin = signer.pin({ source: r.content, model: 'm', vector: Float32Array.from(r.vector), recordId: r.id });
    await table.update({ where: `id = '${r.id}'`, values: { vectorpin: pin.toString() } });
  }
  const base = ['audit', '--uri', uri, '--table', 'docs', '--public-key', keys.pub, '--key-id', keys.kid,
    '--source-column', 'content', '--no-progress'];
  const r = h.run(base);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.summary.total, 30);
  assert.equal(r.summary.pinned, 20);
  assert.equal(r.summary.unpinned, 10);
  assert.equal(r.stderr.includes('UNPINNED'), false);
  const report = path.join(dir, 'r.jsonl');
  const f = h.run([...base, '--fail-on-unpinned', '--report', report]);
  assert.equal(f.code, 1);
  assert.equal(f.summary.unpinned, 10);
  assert.equal(f.summary.verification_failed, 0);
  const lines = h.reportLines(report);
  assert.equal(lines.length, 10);
  assert.ok(lines.every((l) => l.error === 'UNPINNED'));
});

test('records with missing parts: VECTOR_MISSING, SOURCE_MISSING, and a forgery still called a forgery', async (t) => {
  const s = await pinnedSymbiont(t, { n: 10 });
  const table = await h.openTable(s.uri, 'symbiont_context');
  await table.update({ where: "id = 'ctx-00001'", valuesSql: { vector: 'NULL' } });
  await table.update({ where: "id = 'ctx-00002'", valuesSql: { content: 'NULL' } });
  const rows = await h.allRows(table);
  const forged = JSON.parse(rows.find((r) => r.id === 'ctx-00003').vectorpin);
  forged.sig = forged.sig.startsWith('A') ? 'B' + forged.sig.slice(1) : 'A' + forged.sig.slice(1);
  await table.update({ where: "id = 'ctx-00003'", values: { vectorpin: JSON.stringify(forged) }, valuesSql: { vector: 'NULL' } });
  await table.update({ where: "id = 'ctx-00004'", values: { vectorpin: '{"not": "a pin"' } });
  const report = path.join(s.dir, 'r.jsonl');
  const r = s.audit('--source-column', 'content', '--report', report);
  assert.equal(r.code, 1);
  const byId = Object.fromEntries(h.reportLines(report).map((l) => [l.id, l.error]));
  assert.deepEqual(byId, {
    'ctx-00001': 'VECTOR_MISSING',
    'ctx-00002': 'SOURCE_MISSING',
    'ctx-00003': 'SIGNATURE_INVALID',
    'ctx-00004': 'PARSE_ERROR',
  });
  assert.equal(r.summary.pinned, 10);
  assert.equal(r.summary.verified_ok, 6);
  // --no-source skips the source, so the record without one verifies.
  const n = s.audit('--no-source', '--report', report);
  assert.equal(n.summary.by_error.SOURCE_MISSING, undefined);
});

test('integer ids are bound as decimal text; registry windows give KEY_EXPIRED', async (t) => {
  const dir = h.tempDir(t);
  const uri = path.join(dir, 'db');
  const db = await h.lancedb.connect(uri);
  const schema = new h.arrow.Schema([
    new h.arrow.Field('id', new h.arrow.Int64(), false),
    new h.arrow.Field('text', new h.arrow.Utf8(), true),
    new h.arrow.Field('vector', new h.arrow.FixedSizeList(4, new h.arrow.Field('item', new h.arrow.Float32(), true)), true),
  ]);
  await db.createTable('ints', Array.from({ length: 8 }, (_, i) => ({ id: BigInt(1000 + i), text: `t${i}`, vector: [i, 1, 2, 3] })), { schema });
  const keys = h.makeKeys(dir);
  const p = h.run(['pin', '--uri', uri, '--table', 'ints', '--private-key', keys.priv, '--key-id', keys.kid, '--model', 'm',
    '--source-column', 'text', '--timestamp', '2026-01-10T00:00:00Z', '--no-progress']);
  assert.equal(p.code, 0, p.stderr);
  const rows = await h.allRows(await h.openTable(uri, 'ints'));
  assert.equal(h.vp.Pin.parse(rows.find((r) => Number(r.id) === 1003).vectorpin).recordId, '1003');
  const pub = h.vp.base64urlEncode(h.vp.decodePublicKey(fs.readFileSync(keys.pub)));
  const registry = path.join(dir, 'registry.json');
  const audit = (from, until) => {
    fs.writeFileSync(registry, JSON.stringify({ [keys.kid]: { public_key: pub, valid_from: from, valid_until: until } }));
    return h.run(['audit', '--uri', uri, '--table', 'ints', '--registry', registry, '--source-column', 'text',
      '--bind-record-id', '--collection-id', 'ints', '--no-progress']);
  };
  const ok = audit('2026-01-01T00:00:00Z', null);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.summary.verified_ok, 8);
  const expired = audit('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
  assert.equal(expired.code, 1);
  assert.deepEqual(expired.summary.by_error, { KEY_EXPIRED: 8 });
});

test('usage and runtime errors have their exit codes', async (t) => {
  const s = await pinnedSymbiont(t, { n: 3 });
  const base = ['--uri', s.uri, '--table', 'symbiont_context'];
  const keys = ['--public-key', s.keys.pub, '--key-id', s.keys.kid];
  const cases = [
    [['audit', ...base], 2, /trusted keys are missing/],
    [['audit', ...base, ...keys, '--table', 'x'], 2, /more than once/],
    [['audit', '--uri', s.uri, '--table', 'nope', ...keys], 2, /no table 'nope'/],
    [['audit', ...base, ...keys, '--source-column', 'missing'], 2, /no column 'missing'/],
    [['audit', ...base, ...keys, '--vector-column', 'content'], 2, /must be a list of float32 or float64/],
    [['audit', ...base, ...keys, '--pin-column', 'bad name'], 2, /must be an identifier/],
    [['audit', ...base, ...keys, '--threads', '9999'], 2, /--threads/],
    [['audit', ...base, ...keys, '--bogus'], 2, /bogus/],
    [['audit', '--uri', path.join(s.dir, 'absent'), '--table', 't', ...keys], 3, /no LanceDB database/],
    [['audit', ...base, '--public-key', path.join(s.dir, 'absent.pub'), '--key-id', 'k'], 3, /cannot read public key/],
    [['audit', ...base, ...keys, '--report', path.join(s.dir, 'no', 'dir', 'r')], 3, /cannot create/],
    [['frobnicate'], 2, /unknown command/],
  ];
  for (const [args, code, pattern] of cases) {
    const r = h.run(args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(' '));
    assert.equal(r.stdout, '', 'no summary when the audit could not run');
  }
  assert.equal(fs.existsSync(path.join(s.dir, 'absent')), false, 'audit never creates a database');
});

test('report lines go to stderr by default and hostile ids stay escaped', async (t) => {
  const dir = h.tempDir(t);
  const uri = path.join(dir, 'db');
  const keys = h.makeKeys(dir);
  const signer = h.vp.Signer.load(keys.priv, keys.kid);
  const evil = 'x\u001b[31m\nred' + 'y'.repeat(2000);
  const pin = signer.pin({ source: 's', model: 'm', vector: new Float32Array([1, 2]) }).toString();
  const db = await h.lancedb.connect(uri);
  const schema = new h.arrow.Schema([
    new h.arrow.Field('id', new h.arrow.Utf8(), true),
    new h.arrow.Field('vector', new h.arrow.FixedSizeList(2, new h.arrow.Field('item', new h.arrow.Float32(), true)), true),
    new h.arrow.Field('vectorpin', new h.arrow.Utf8(), true),
  ]);
  await db.createTable('t', [{ id: evil, vector: [1, 3], vectorpin: pin }, { id: null, vector: [1, 2], vectorpin: pin }], { schema });
  const r = h.run(['audit', '--uri', uri, '--table', 't', '--public-key', keys.pub, '--key-id', keys.kid, '--no-source',
    '--bind-record-id', '--no-progress']);
  assert.equal(r.code, 1);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  assert.equal(lines[0].error, 'VECTOR_TAMPERED');
  assert.equal(lines[0].id_truncated, true);
  assert.equal(Buffer.byteLength(lines[0].id), 1024);
  assert.ok(!r.stderr.includes('\u001b'), 'no raw escape reaches the terminal');
  assert.equal(lines[1].id, null);
  assert.equal(lines[1].error, 'RECORD_MISMATCH');
});
