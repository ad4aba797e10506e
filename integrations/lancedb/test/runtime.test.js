'use strict';
// How the audit runs: through the binding's libuv-pool batch API (never the
// blocking one), with the summary fields of `vectorpin audit`, and with a
// progress bar only on a terminal.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');

test('verification goes through verifyBatchAsync, batch by batch, and the event loop keeps turning', async (t) => {
  const dir = h.tempDir(t);
  const keys = h.makeKeys(dir);
  const uri = path.join(dir, 'db');
  await h.makeSymbiontTable(uri, 'ctx', 250);
  assert.equal(h.run(['pin', '--uri', uri, '--table', 'ctx', '--private-key', keys.priv, '--key-id', keys.kid,
    '--model', 'm', '--source-column', 'content', '--no-progress']).code, 0);
  const proto = h.vp.Verifier.prototype;
  const calls = { async: 0, sync: 0, items: 0 };
  const { verifyBatchAsync, verifyBatch, verify } = proto;
  proto.verifyBatchAsync = function (items, options) {
    calls.async += 1;
    calls.items += items.length;
    return verifyBatchAsync.call(this, items, options);
  };
  proto.verifyBatch = function (...a) {
    calls.sync += 1;
    return verifyBatch.apply(this, a);
  };
  proto.verify = function (...a) {
    calls.sync += 1;
    return verify.apply(this, a);
  };
  t.after(() => Object.assign(proto, { verifyBatchAsync, verifyBatch, verify }));
  let ticks = 0;
  let spinning = true;
  const spin = () => {
    ticks += 1;
    if (spinning) setImmediate(spin);
  };
  setImmediate(spin);
  const out = [];
  const { runAudit } = require('../lib/audit');
  const code = await runAudit({
    uri, table: 'ctx', columns: { id: 'id', vector: 'vector', source: 'content', pin: 'vectorpin' }, useSource: true,
    batchRows: 50, progress: false, keys: { 'public-key': keys.pub, 'key-id': keys.kid }, bindRecord: true,
    failOnUnpinned: false, threads: 2,
  }, { write: (s) => out.push(s) });
  spinning = false;
  assert.equal(code, 0);
  assert.equal(JSON.parse(out.join('')).verified_ok, 250);
  assert.equal(calls.sync, 0, 'no blocking verification');
  assert.equal(calls.items, 250);
  assert.ok(calls.async >= 5, `one call per batch of at most 50 rows (${calls.async})`);
  assert.ok(ticks > calls.async, `the event loop ran while verifying (${ticks} turns)`);
});

test('the summary has the fields of `vectorpin audit`, in its order', async (t) => {
  const cli = process.env.VECTORPIN_CLI;
  assert.ok(cli, 'VECTORPIN_CLI names the built vectorpin (ctest sets it)');
  const dir = h.tempDir(t);
  const keys = h.makeKeys(dir);
  const r = spawnSync(cli, ['audit', '--store', 'jsonl:-', '--public-key', keys.pub, '--key-id', keys.kid, '--no-progress'],
    { input: '{"id":"a","vector":[1],"source":"s","vectorpin":null}\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const theirs = Object.keys(JSON.parse(r.stdout));
  // A JSONL store has no table; everything else matches field for field.
  assert.deepEqual(theirs, h.SUMMARY_KEYS.filter((k) => k !== 'table'));
});

test('progress is drawn on a terminal only', async (t) => {
  const dir = h.tempDir(t);
  const keys = h.makeKeys(dir);
  const uri = path.join(dir, 'db');
  await h.makeSymbiontTable(uri, 'ctx', 30, { withPinColumn: true });
  const args = ['audit', '--uri', uri, '--table', 'ctx', '--public-key', keys.pub, '--key-id', keys.kid, '--no-source'];
  const piped = h.run(args);
  assert.equal(piped.code, 0, piped.stderr);
  assert.ok(!piped.stderr.includes('rec/s'), 'no bar on a pipe');
  // util-linux `script` gives the program a terminal.
  const cmd = [process.execPath, h.TOOL, ...args].map((a) => `'${a}'`).join(' ');
  const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: process.env });
  assert.equal(tty.error, undefined, 'the `script` program (util-linux) is needed');
  assert.equal(tty.status, 0, tty.stdout);
  assert.match(tty.stdout, /audit \[#+\] 30\/30 100%/);
  const quiet = spawnSync('script', ['-qec', `${cmd} --no-progress`, '/dev/null'], { encoding: 'utf8', env: process.env });
  assert.ok(!quiet.stdout.includes('rec/s'), '--no-progress');
});

test('vectorpin audit-lancedb says clearly what is missing: the tool, Node.js, the npm package', async (t) => {
  const cli = process.env.VECTORPIN_CLI;
  assert.ok(cli, 'VECTORPIN_CLI names the built vectorpin (ctest sets it)');
  const dir = h.tempDir(t);
  const keys = h.makeKeys(dir);
  const args = ['audit-lancedb', '--uri', dir, '--table', 't', '--public-key', keys.pub, '--key-id', keys.kid];
  const runCli = (env) => spawnSync(cli, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  const noTool = runCli({ VECTORPIN_LANCEDB_TOOL: path.join(dir, 'absent.js') });
  assert.equal(noTool.status, 3);
  assert.match(noTool.stderr, /LanceDB tool \(vectorpin-lancedb\.js\) was not found; looked at: .*absent\.js/);
  const noNode = runCli({ VECTORPIN_LANCEDB_TOOL: h.TOOL, VECTORPIN_NODE: path.join(dir, 'no-node') });
  assert.equal(noNode.status, 3);
  assert.match(noNode.stderr, /runs on Node\.js/);
  // A copy of the tool with no node_modules anywhere above it.
  const copy = path.join(dir, 'tool');
  fs.mkdirSync(copy);
  fs.cpSync(path.join(__dirname, '..', 'lib'), path.join(copy, 'lib'), { recursive: true });
  fs.copyFileSync(h.TOOL, path.join(copy, 'vectorpin-lancedb.js'));
  const noPackage = runCli({
    VECTORPIN_LANCEDB_TOOL: path.join(copy, 'vectorpin-lancedb.js'),
    VECTORPIN_NODE_PACKAGE: path.join(__dirname, '..', '..', '..', 'bindings', 'node'),
    NODE_PATH: '',
  });
  assert.equal(noPackage.status, 3, noPackage.stderr);
  assert.match(noPackage.stderr, /@lancedb\/lancedb is not installed .*run `npm ci` in/);
  const noBinding = runCli({ VECTORPIN_LANCEDB_TOOL: path.join(copy, 'vectorpin-lancedb.js'), NODE_PATH: '' });
  assert.equal(noBinding.status, 3);
  assert.match(noBinding.stderr, /vectorpin-native is not installed/);
});
