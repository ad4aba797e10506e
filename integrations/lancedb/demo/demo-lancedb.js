#!/usr/bin/env node
'use strict';
// The LanceDB variant of the demo's store and attacker (demo/run_demo_lancedb.sh):
//   demo-lancedb.js load   --uri DIR --table T --jsonl FILE   records of `vectorpin-demo make-jsonl`
//                                                             into a table of Symbiont's shape
//   demo-lancedb.js attack --uri DIR --table T --plan FILE    the demo's attacks, through LanceDB's client
// The plan has the format `vectorpin-demo check` reads.

const fs = require('node:fs');
const readline = require('node:readline');
const { parseArgs } = require('node:util');
const deps = require('../lib/deps');
const { attackTable } = require('../lib/attacks');

async function load(v) {
  const arrow = deps.arrow();
  const rows = [];
  const lines = readline.createInterface({ input: fs.createReadStream(v.jsonl), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    // Symbiont's shape: the embedded text in `content`; `source` is provenance.
    rows.push({ id: r.id, content: r.source, source: `https://intranet.example/docs/${r.id}`, vector: r.vector });
  }
  const dim = rows[0].vector.length;
  const schema = new arrow.Schema([
    new arrow.Field('id', new arrow.Utf8(), false),
    new arrow.Field('content', new arrow.Utf8(), true),
    new arrow.Field('source', new arrow.Utf8(), true),
    new arrow.Field('vector', new arrow.FixedSizeList(dim, new arrow.Field('item', new arrow.Float32(), true)), true),
  ]);
  const db = await deps.lancedb().connect(v.uri);
  await db.createTable(v.table, rows, { schema, mode: 'overwrite' });
  console.log(`created LanceDB table ${v.table} in ${v.uri}: ${rows.length} records (id, content, source = provenance URL, ` +
    `vector float32[${dim}])`);
}

async function attack(v) {
  const table = await (await deps.lancedb().connect(v.uri)).openTable(v.table);
  const plan = await attackTable(table, { id: 'id', vector: 'vector', source: 'content', pin: 'vectorpin' });
  fs.writeFileSync(v.plan, plan.map((p) => JSON.stringify(p)).join('\n') + '\n');
  console.log(`applied ${new Set(plan.map((p) => p.attack)).size} attacks to ${plan.length} records through LanceDB's ` +
    `merge-insert (plan: ${v.plan})`);
}

async function main() {
  const { values: v, positionals } = parseArgs({
    allowPositionals: true,
    options: { uri: { type: 'string' }, table: { type: 'string' }, jsonl: { type: 'string' }, plan: { type: 'string' } },
  });
  if (positionals[0] === 'load') return load(v);
  if (positionals[0] === 'attack') return attack(v);
  throw new Error('usage: demo-lancedb.js load|attack --uri DIR --table T (--jsonl FILE | --plan FILE)');
}

main().catch((err) => {
  process.stderr.write(`demo-lancedb: ${err.message}\n`);
  process.exitCode = 3;
});
