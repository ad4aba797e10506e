// Times verify at 3072 dimensions in the wasm package and, in the same run,
// in the Node binding (vectorpin-native) when its addon is found
// (VECTORPIN_NODE_ADDON, or bindings/node/build/Release). Prints a table.
//   node bindings/wasm/bench/verify.bench.mjs [--rounds N] [--min-ms MS]
// Upstream's TypeScript port is not in this repository; its figure for the
// same operation on this machine is quoted for comparison (UPSTREAM_TS_US).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

import init, { Signer, Verifier, Pin, WasmVector } from '../lib/index.js';

const UPSTREAM_TS_US = 1490; // verify_full, 3072-dim, upstream's TypeScript port on this machine

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const rounds = opt('--rounds', 15);
const minMs = opt('--min-ms', 200);

// The inputs of bench/bench_verify.cpp: a 3072-dimension f32 vector and a
// 1024-character ASCII source.
const dim = 3072;
const vector = new Float32Array(dim);
for (let i = 0; i < dim; i++) vector[i] = Math.fround(Math.sin(i * 0.37) * 0.05);
let source = '';
while (source.length < 1024) source += 'The quick brown fox jumps over the lazy dog. ';
source = source.slice(0, 1024);
const seed = new Uint8Array(32).map((_, i) => i);
const model = 'text-embedding-3-large';
const kid = 'bench-2026-05';

// CPU time of this process in ms: on a shared machine, wall-clock time
// mostly measures the other jobs (the C benchmarks use thread CPU time for
// the same reason). Verification runs on this one thread.
function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

// Calls per batch so that a batch takes about minMs / 4 of CPU time.
function calibrate(fn) {
  for (let i = 0; i < 50; i++) fn(); // warm-up (JIT, first-touch memory)
  let batch = 1;
  for (;;) {
    const t0 = cpuMs();
    for (let i = 0; i < batch; i++) fn();
    if (cpuMs() - t0 >= minMs / 4) return batch;
    batch *= 2;
  }
}

// CPU microseconds per call over one stretch of at least minMs.
function stretch(fn, batch) {
  const t0 = cpuMs();
  let n = 0;
  do {
    for (let i = 0; i < batch; i++) fn();
    n += batch;
  } while (cpuMs() - t0 < minMs);
  return ((cpuMs() - t0) * 1000) / n;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

// Every case once per round, in turn, so that load drifting on the shared
// machine falls on the wasm and native rows alike; the ratios are taken
// round by round and their median reported.
function timeAll(cases) {
  const batches = cases.map((c) => calibrate(c.fn));
  const per = cases.map(() => []);
  for (let r = 0; r < rounds; r++) cases.forEach((c, k) => per[k].push(stretch(c.fn, batches[k])));
  return per;
}

function must(r) {
  if (!r.ok) throw new Error(`benchmark input did not verify: ${r.error} ${r.detail}`);
}

await init();
const signer = Signer.fromSeed(kid, seed);
const pin = signer.pin({ source, model, vector, recordId: 'doc-42', timestamp: '2026-05-05T12:00:00Z' });
const pinJson = pin.toString();
const verifier = new Verifier({ [kid]: signer.publicKey });
const inPlace = new WasmVector(dim, 'f32');
inPlace.array.set(vector);
const parsed = Pin.parse(pinJson);

const cases = [];
const add = (name, what, fn) => {
  must(fn());
  cases.push({ name, what, fn });
};
add('wasm verify_full', 'parsed Pin, Float32Array + source', () => verifier.verify(parsed, { source, vector }));
add('wasm verify_json_full', 'pin JSON text, Float32Array + source', () => verifier.verify(pinJson, { source, vector }));
add('wasm verify_json_full, in place', 'pin JSON text, WasmVector + source', () => verifier.verify(pinJson, { source, vector: inPlace }));

// The Node binding, same inputs, same process.
const here = path.dirname(fileURLToPath(import.meta.url));
const nodePkg = path.join(here, '../../node');
let native = null;
if (process.env.VECTORPIN_NODE_ADDON || fs.existsSync(path.join(nodePkg, 'build/Release/vectorpin.node'))) {
  try {
    native = createRequire(import.meta.url)(path.join(nodePkg, 'lib/index.js'));
  } catch (err) {
    console.error(`Node binding not loaded: ${err.message}`);
  }
}
if (native) {
  const nv = new native.Verifier({ [kid]: signer.publicKey });
  const np = native.Pin.parse(pinJson);
  add('native verify_full', 'Node binding: parsed Pin, Float32Array + source', () => nv.verify(np, { source, vector }));
  add('native verify_json_full', 'Node binding: pin JSON text, Float32Array + source', () => nv.verify(pinJson, { source, vector }));
} else {
  console.error('Node binding not found (set VECTORPIN_NODE_ADDON): native rows left out');
}

const loadBefore = os.loadavg();
const per = timeAll(cases);
const fullIndex = cases.findIndex((c) => c.name === 'native verify_full');
const rows = cases.map((c, k) => ({
  name: c.name,
  what: c.what,
  median: median(per[k]),
  min: Math.min(...per[k]),
  vsNative: fullIndex >= 0 ? median(per[k].map((us, r) => us / per[fullIndex][r])) : null,
}));

const fmt = (us) => (us >= 100 ? us.toFixed(0) : us.toFixed(1));
const loads = (l) => l.map((x) => x.toFixed(2)).join(' ');
console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, load average ${loads(loadBefore)} before, ${loads(os.loadavg())} after`);
console.log(`${pinJson.length}-byte pin, ${dim}-dimension f32 vector, ${source.length}-character source; ${rounds} rounds, each running every case in turn for >= ${minMs} ms of CPU time; median and min CPU time per call, and the median of the per-round ratios to native verify_full`);
console.log('');
console.log('| operation | input | median | min | upstream TS / this | this / native verify_full |');
console.log('|---|---|---:|---:|---:|---:|');
for (const r of rows) {
  const vsNative = r.vsNative !== null ? `${r.vsNative.toFixed(2)}x` : '—';
  console.log(`| ${r.name} | ${r.what} | ${fmt(r.median)} µs | ${fmt(r.min)} µs | ${(UPSTREAM_TS_US / r.median).toFixed(1)}x | ${vsNative} |`);
}
console.log(`| upstream TypeScript port verify_full | (quoted, not run) | ≈ ${UPSTREAM_TS_US} µs | | 1.0x | |`);

inPlace.close();
parsed.close();
pin.close();
signer.close();
verifier.close();
