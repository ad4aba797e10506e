'use strict';
// Shared pieces of the tests: real LanceDB tables made with @lancedb/lancedb,
// keys made with the Node binding, and the tool run as a user runs it.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync, spawn } = require('node:child_process');
const deps = require('../lib/deps');

const TOOL = path.join(__dirname, '..', 'vectorpin-lancedb.js');
const vp = deps.vectorpin();
const lancedb = deps.lancedb();
const arrow = deps.arrow();

function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorpin-lancedb-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// A key pair saved as <dir>/<kid>.priv (0600) and <dir>/<kid>.pub.
function makeKeys(dir, kid = 'prod-2026-05') {
  const signer = vp.Signer.generate(kid);
  signer.save(dir);
  signer.close();
  return { kid, priv: path.join(dir, `${kid}.priv`), pub: path.join(dir, `${kid}.pub`) };
}

// Deterministic unit-ish vectors.
function vectorFor(i, dim) {
  return Array.from({ length: dim }, (_, k) => Math.sin(i * 7.3 + k * 0.91) / Math.sqrt(dim));
}

function floatField(dtype) {
  return dtype === 'f64' ? new arrow.Float64() : new arrow.Float32();
}

// Symbiont's schema: `content` is the text the embedding was made from;
// `source` is provenance (a URL), not VectorPin's source.
async function makeSymbiontTable(dir, name, n, { dtype = 'f32', dim = 16, withPinColumn = false } = {}) {
  const fields = [
    new arrow.Field('id', new arrow.Utf8(), false),
    new arrow.Field('content', new arrow.Utf8(), true),
    new arrow.Field('source', new arrow.Utf8(), true),
    new arrow.Field('vector', new arrow.FixedSizeList(dim, new arrow.Field('item', floatField(dtype), true)), true),
  ];
  if (withPinColumn) fields.push(new arrow.Field('vectorpin', new arrow.Utf8(), true));
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `ctx-${String(i).padStart(5, '0')}`,
    content: `Context entry ${i}: the agent stored fact number ${i * 17}.`,
    source: `https://kb.example.org/page/${i}`,
    vector: vectorFor(i, dim),
    ...(withPinColumn ? { vectorpin: null } : {}),
  }));
  const db = await lancedb.connect(dir);
  return db.createTable(name, rows, { schema: new arrow.Schema(fields), mode: 'overwrite' });
}

async function openTable(dir, name) {
  return (await lancedb.connect(dir)).openTable(name);
}

async function allRows(table) {
  return (await table.query().toArray()).map((r) => r.toJSON());
}

function run(args, { env = {}, input } = {}) {
  const r = spawnSync(process.execPath, [TOOL, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    input,
    timeout: 300000,
  });
  let summary = null;
  try {
    summary = JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    summary = null;
  }
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, summary };
}

function runAsync(args, env = {}) {
  return spawn(process.execPath, [TOOL, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function reportLines(file) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

const SUMMARY_KEYS = ['store', 'table', 'total', 'pinned', 'verified_ok', 'verification_failed', 'unpinned', 'by_error',
  'threads', 'elapsed_seconds'];

module.exports = { TOOL, vp, lancedb, arrow, tempDir, makeKeys, vectorFor, makeSymbiontTable, openTable, allRows, run,
  runAsync, reportLines, SUMMARY_KEYS };
