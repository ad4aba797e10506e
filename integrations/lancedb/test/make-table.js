#!/usr/bin/env node
'use strict';
// Test helper: creates a LanceDB table with @lancedb/lancedb itself.
//   make-table.js --uri DIR --table T --rows N [--source-column content] [--symbiont] [--dtype f32|f64] [--dim D]
// With --symbiont the table has Symbiont's columns (id, content, source =
// provenance URL, vector); otherwise id, <source-column>, vector.

const { parseArgs } = require('node:util');
const deps = require('../lib/deps');
const { vectorFor } = require('./helpers');

async function main() {
  const { values: v } = parseArgs({
    options: {
      uri: { type: 'string' }, table: { type: 'string' }, rows: { type: 'string' },
      'source-column': { type: 'string', default: 'text' }, symbiont: { type: 'boolean' },
      dtype: { type: 'string', default: 'f32' }, dim: { type: 'string', default: '16' },
    },
  });
  const arrow = deps.arrow();
  const dim = Number(v.dim);
  const src = v.symbiont ? 'content' : v['source-column'];
  const element = v.dtype === 'f64' ? new arrow.Float64() : new arrow.Float32();
  const fields = [new arrow.Field('id', new arrow.Utf8(), false), new arrow.Field(src, new arrow.Utf8(), true)];
  if (v.symbiont) fields.push(new arrow.Field('source', new arrow.Utf8(), true));
  fields.push(new arrow.Field('vector', new arrow.FixedSizeList(dim, new arrow.Field('item', element, true)), true));
  const rows = Array.from({ length: Number(v.rows) }, (_, i) => ({
    id: `rec-${String(i).padStart(5, '0')}`,
    [src]: `Record ${i} of the corpus: a sentence about item ${i * 31}.`,
    ...(v.symbiont ? { source: `https://docs.example.org/${i}` } : {}),
    vector: vectorFor(i, dim),
  }));
  const db = await deps.lancedb().connect(v.uri);
  await db.createTable(v.table, rows, { schema: new arrow.Schema(fields), mode: 'overwrite' });
}

main().catch((err) => {
  process.stderr.write(`make-table: ${err.message}\n`);
  process.exitCode = 1;
});
