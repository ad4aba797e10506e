'use strict';
// `vectorpin-lancedb pin`: signs every row of a LanceDB table and writes the
// pins into its pin column (JSON text, added as a nullable string column if
// the table has none).
//
// Writes go through LanceDB's merge-insert on the id column, one batch of
// rows per call; each call is one LanceDB commit, which is atomic (a new
// table version appears whole or not at all). An interrupted run -- an
// error, a crash, kill -9 -- therefore leaves every row present, each one
// either pinned by a finished commit or still unpinned; rerunning with
// --only-unpinned completes the job. Before anything is written a first pass
// checks every row (ids present and unique, vector and source readable), so
// a bad row stops the run with the table untouched.

const fs = require('node:fs');
const deps = require('./deps');
const { openTable, describe, records, clientMessage } = require('./table');
const { Progress } = require('./output');
const { fromLibrary } = require('./keys');
const { usageError, runtimeError, safeText } = require('./errors');

function loadSigner(vp, o) {
  try {
    return vp.Signer.load(o.privateKey, o.keyId, { allowInsecurePermissions: o.allowInsecureKeyPermissions });
  } catch (err) {
    if (err.code === 'INSECURE_PERMISSIONS')
      throw runtimeError(`INSECURE_PERMISSIONS: ${err.detail || err.message} (--allow-insecure-key-permissions overrides)`);
    throw runtimeError(`loading ${safeText(o.privateKey)}: ${err.code ? err.code + ': ' : ''}${err.detail || err.message}`);
  }
}

function pinOptions(o, row) {
  const p = { source: o.useSource ? row.source : '', model: o.model, vector: row.vector, protocol: o.protocol };
  if (o.modelHash !== undefined) p.modelHash = o.modelHash;
  if (o.timestamp !== undefined) p.timestamp = o.timestamp;
  if (o.extra.length) p.extra = Object.fromEntries(o.extra);
  if (o.bindRecord) p.recordId = row.id;
  if (o.collectionId !== null) p.collectionId = o.collectionId;
  return p;
}

// What makes a row unpinnable, or null.
function problemOf(row, o) {
  if (row.vector === null) return 'no vector';
  if (row.vector.problem) return row.vector.problem;
  if (o.useSource && (row.source === null || row.source === undefined)) return 'no source';
  return null;
}

// Test hook for interrupted writes (the same variables as `vectorpin
// pin-store`): once VECTORPIN_TEST_PAUSE_AFTER_ROWS rows are committed, the
// file VECTORPIN_TEST_PAUSE_FILE is created and the run sleeps for
// VECTORPIN_TEST_PAUSE_SECONDS (default and at most 300; 0 goes straight
// on), so that a test can kill it between or during commits.
async function faultPoint(committed) {
  const after = process.env.VECTORPIN_TEST_PAUSE_AFTER_ROWS;
  if (!after || faultPoint.done || committed < Number(after)) return;
  faultPoint.done = true;
  if (process.env.VECTORPIN_TEST_PAUSE_FILE) fs.writeFileSync(process.env.VECTORPIN_TEST_PAUSE_FILE, `${committed}\n`);
  const seconds = Math.min(300, Number(process.env.VECTORPIN_TEST_PAUSE_SECONDS ?? 300));
  if (seconds > 0) await new Promise((r) => setTimeout(r, seconds * 1000));
}

async function runPin(o, out) {
  const started = process.hrtime.bigint();
  const vp = deps.vectorpin();
  const signer = loadSigner(vp, o);
  // Settings the library refuses (a bad --model-hash or --timestamp) are
  // found before the table is touched.
  try {
    signer.pin(pinOptions(o, { source: '', vector: new Float32Array([0]), id: 'x' })).close();
  } catch (err) {
    throw fromLibrary(err, 'pin settings');
  }
  const table = await openTable(o.uri, o.table);
  const layout = await describe(table, o.columns, { pinOptional: true });
  const arrow = deps.arrow();
  const schema = await table.schema();
  const idField = schema.fields.find((f) => f.name === o.columns.id);

  // Pass 1: check every row before anything is written.
  const seen = new Set();
  let total = 0;
  let alreadyPinned = 0;
  let invalidCount = 0;
  const invalid = []; // the first ten, for the message
  for await (const batch of records(table, o.columns, layout, { batchRows: o.batchRows })) {
    for (const row of batch) {
      total += 1;
      // Pins are written back by id, so ids must name exactly one row each.
      if (row.id === null) throw usageError(`row ${row.ordinal + 1} has a NULL id; pins are written back by --id-column`);
      if (seen.has(row.id)) throw usageError(`id '${safeText(row.id)}' occurs more than once; pins are written back by id`);
      seen.add(row.id);
      const hasPin = row.pin !== null && row.pin !== undefined;
      if (hasPin) alreadyPinned += 1;
      const problem = !hasPin || o.overwrite ? problemOf(row, o) : null;
      if (problem && invalidCount++ < 10) invalid.push(`${safeText(row.id)} (${problem})`);
    }
  }
  seen.clear();
  if (alreadyPinned && !o.onlyUnpinned && !o.overwrite)
    throw usageError(`the table already has ${alreadyPinned} pinned rows; give --only-unpinned or --overwrite`);
  if (invalidCount && !o.skipInvalid)
    throw runtimeError(`${invalidCount} rows cannot be pinned, nothing was written (--skip-invalid leaves them unpinned): ` +
      invalid.join(', '));

  if (!layout.hasPin) {
    try {
      await table.addColumns([{ name: o.columns.pin, valueSql: 'CAST(NULL AS STRING)' }]);
    } catch (err) {
      throw runtimeError(`cannot add the pin column '${o.columns.pin}': ${clientMessage(err)}`);
    }
    layout.hasPin = true;
  }
  const writeSchema = new arrow.Schema([idField, new arrow.Field(o.columns.pin, new arrow.Utf8(), true)]);

  // Pass 2: sign and write, one commit per batch.
  const progress = new Progress(o.progress, 'pin');
  progress.total = total;
  let pinned = 0;
  let skipped = 0;
  let done = 0;
  const write = async (rows) => {
    if (!rows.length) return;
    const data = deps.lancedb().makeArrowTable(rows, { schema: writeSchema });
    try {
      await table.mergeInsert(o.columns.id).whenMatchedUpdateAll().execute(data);
    } catch (err) {
      throw runtimeError(`writing pins failed after ${pinned} rows were committed: ${clientMessage(err)}`);
    }
    pinned += rows.length;
    await faultPoint(pinned);
  };
  // Raw id values (an integer id stays an integer) are needed for the write.
  for await (const batch of records(table, o.columns, layout, { batchRows: o.batchRows })) {
    const rows = [];
    for (const row of batch) {
      done += 1;
      const hasPin = row.pin !== null && row.pin !== undefined;
      if ((hasPin && !o.overwrite) || problemOf(row, o)) {
        skipped += 1;
        continue;
      }
      let pin;
      try {
        pin = signer.pin(pinOptions(o, row));
      } catch (err) {
        throw fromLibrary(err, `pinning row '${safeText(row.id)}'`);
      }
      rows.push({ [o.columns.id]: row.rawId, [o.columns.pin]: pin.toString() });
      pin.close();
    }
    await write(rows);
    progress.update(done);
  }
  progress.finish(done);
  signer.close();
  for (const s of invalid) process.stderr.write(`skipped record ${s}\n`);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  out.write(
    `{"store":"lancedb","table":${JSON.stringify(o.table)},"pinned":${pinned},"skipped":${skipped},` +
      `"bind_record_id":${o.bindRecord},"collection_id":${o.collectionId === null ? 'null' : JSON.stringify(o.collectionId)},` +
      `"elapsed_seconds":${elapsed.toFixed(3)}}\n`,
  );
  return 0;
}

module.exports = { runPin };
