'use strict';
// Pin.parse through Node against vectorpin_pin_parse in C, measured in the
// same run: the C loop (bench/parse_c.c, a separate program) and the Node
// loop alternate for several rounds and the medians are compared, so a busy
// machine slows both alike. Also shown: the first field read after a parse
// (the fields are read lazily) and JSON.parse of the same text as a
// reference for what JavaScript itself costs.
//
//   node bench/parse.bench.js [--iterations N] [--rounds R]
// needs VECTORPIN_NODE_ADDON (or a built addon) and VECTORPIN_NODE_BENCH_PARSE_C,
// the path of the C program; CMake sets both for `ctest -R node_bench_parse`.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Pin, _internal } = require('../lib/index.js');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number.parseInt(process.argv[i + 1], 10) : fallback;
}
const iterations = option('--iterations', 200000);
const rounds = option('--rounds', 5);
const cProgram = process.env.VECTORPIN_NODE_BENCH_PARSE_C;
if (!cProgram) throw new Error('set VECTORPIN_NODE_BENCH_PARSE_C to the parse_c program');

const vectors = process.env.VECTORPIN_TESTVECTORS ?? path.join(__dirname, '..', '..', '..', 'testvectors');
const json = JSON.parse(fs.readFileSync(path.join(vectors, 'v2.json'), 'utf8')).fixtures[0].pin_json;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-parse-bench-'));
const pinFile = path.join(work, 'pin.json');
fs.writeFileSync(pinFile, json);

function nodeLoop(f) {
  for (let i = 0; i < iterations / 10; i++) f();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) f();
  return Number(process.hrtime.bigint() - start) / iterations;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const samples = { c: [], parse: [], parseRead: [], handle: [], jsonParse: [] };
let sink = 0;
try {
  for (let r = 0; r < rounds; r++) {
    samples.c.push(Number(execFileSync(cProgram, [pinFile, String(iterations)], { encoding: 'utf8' })));
    samples.parse.push(nodeLoop(() => Pin.parse(json)));
    samples.parseRead.push(nodeLoop(() => (sink += Pin.parse(json).vecDim)));
    // What Pin.parse cost when it made a native pin per parse (a wrapped
    // handle with a finalizer); closed at once, which is the cheaper case.
    samples.handle.push(nodeLoop(() => _internal.native.close(_internal.native.pinParse(json), 2)));
    samples.jsonParse.push(nodeLoop(() => (sink += JSON.parse(json).vec_dim)));
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
const c = median(samples.c);
const row = (name, ns) =>
  console.log(`${name.padEnd(34)} ${(ns / 1000).toFixed(2).padStart(7)} us  ${(ns / c).toFixed(2).padStart(5)}x C  ` +
    `${((ns - c) / 1000 >= 0 ? '+' : '') + ((ns - c) / 1000).toFixed(2)} us`);
console.log(`pin of ${Buffer.byteLength(json)} bytes, ${rounds} rounds of ${iterations}, medians (sink ${sink > 0})`);
row('vectorpin_pin_parse + free (C)', c);
row('Pin.parse (Node)', median(samples.parse));
row('Pin.parse + first field (Node)', median(samples.parseRead));
row('native pin handle (earlier parse)', median(samples.handle));
row('JSON.parse + field (reference)', median(samples.jsonParse));
