'use strict';
// `vectorpin-lancedb audit`: every record of a LanceDB table verified against
// its pin, with the summary, report and exit code of `vectorpin audit`.
//
// Verification runs on libuv's thread pool (Verifier#verifyBatchAsync), one
// Arrow batch at a time; while a batch is verified the next one is read, and
// the event loop stays free throughout. Results are emitted in scan order.

const deps = require('./deps');
const { makeVerifier } = require('./keys');
const { openTable, describe, records } = require('./table');
const { reportLine, auditSummaryLine, Report, Progress } = require('./output');
const { EXIT_OK, EXIT_FAILED } = require('./errors');
const { shardOf } = require('./shard');

// Codes for problems of the record itself, as `vectorpin audit` names them.
const VECTOR_MISSING = 'VECTOR_MISSING';
const VECTOR_UNREADABLE = 'VECTOR_UNREADABLE';
const SOURCE_MISSING = 'SOURCE_MISSING';
const UNPINNED = 'UNPINNED';
const RECORD_MISMATCH = 'RECORD_MISMATCH';

// Decides what to verify for one record. Every check the record's data
// allows runs in the protocol's order; a missing part is reported only when
// everything before it passed, so a forged pin is still called a forgery.
function plan(r, o) {
  const entry = { id: r.id, code: null, detail: '', item: null, after: null };
  if (r.pin === null || r.pin === undefined) {
    entry.code = UNPINNED;
    entry.detail = 'record has no pin';
    return entry;
  }
  const item = { pin: r.pin };
  entry.item = item;
  if (r.vector === null || r.vector.problem) {
    entry.after = r.vector === null ? VECTOR_MISSING : VECTOR_UNREADABLE;
    entry.detail = r.vector === null ? 'record has a pin but no vector' : r.vector.problem;
    return entry;
  }
  item.vector = r.vector;
  if (o.useSource && (r.source === null || r.source === undefined)) {
    entry.after = SOURCE_MISSING;
    entry.detail = 'record has a pin but no source';
    return entry;
  }
  if (o.useSource) item.source = r.source;
  if (o.expectModel !== undefined) item.expectedModel = o.expectModel;
  if (o.collectionId !== undefined) item.expectedCollectionId = o.collectionId;
  if (o.bindRecord) {
    if (r.id === null) {
      entry.after = RECORD_MISMATCH;
      entry.detail = "record has no id, so its pin's vectorpin.record_id cannot match";
    } else {
      item.expectedRecordId = r.id;
    }
  }
  return entry;
}

function resolve(entry, result) {
  if (!result.ok) {
    entry.code = result.error;
    entry.detail = result.detail;
  } else {
    entry.code = entry.after;
    if (!entry.code) entry.detail = '';
  }
}

// Where the table is, for audit-merge's check that shards are of one store:
// a local database as an absolute path, a remote URI (s3://, gs://, db://)
// without any credentials it may carry.
function location(uri) {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return uri.replace(/\/\/[^/@]*@/, '//').replace(/[?#].*$/, '');
  return require('node:path').resolve(uri);
}

// o: parsed options (see vectorpin-lancedb.js); returns the exit code.
async function runAudit(o, out) {
  const started = process.hrtime.bigint();
  const vp = deps.vectorpin();
  const verifier = makeVerifier(vp, o.keys);
  const table = await openTable(o.uri, o.table);
  const layout = await describe(table, o.columns);
  const report = new Report(o.report);
  const progress = new Progress(o.progress, 'audit');
  // A shard's size is not known before the scan: a sharded run shows a plain counter.
  if (progress.enabled && !o.shard) progress.total = await table.countRows();
  const inShard = o.shard ? (r) => shardOf(r.id, o.shard.count) === o.shard.index : () => true;

  const s = { total: 0, pinned: 0, verifiedOk: 0, verificationFailed: 0, unpinned: 0, byError: Object.create(null) };
  const emit = (entries, results) => {
    let k = 0;
    for (const e of entries) {
      if (e.item) resolve(e, results[k++]);
      s.total += 1;
      let reported = false;
      if (!e.code) {
        s.pinned += 1;
        s.verifiedOk += 1;
      } else if (e.code === UNPINNED) {
        s.unpinned += 1;
        reported = o.failOnUnpinned;
      } else {
        s.pinned += 1;
        s.verificationFailed += 1;
        s.byError[e.code] = (s.byError[e.code] || 0) + 1;
        reported = true;
      }
      if (reported) {
        if (report.toStderr) progress.clear();
        report.write(reportLine(e.id, e.code, e.detail));
      }
    }
    progress.update(s.total);
  };

  let pending = null;
  try {
    for await (const batch of records(table, o.columns, layout, { batchRows: o.batchRows })) {
      const entries = batch.filter(inShard).map((r) => plan(r, o));
      const items = entries.filter((e) => e.item).map((e) => e.item);
      const verified = items.length ? verifier.verifyBatchAsync(items, { threads: o.threads }) : Promise.resolve([]);
      verified.catch(() => {}); // awaited below; this only keeps an early rejection from being "unhandled"
      if (pending) emit(pending.entries, await pending.verified);
      pending = { entries, verified };
    }
    if (pending) emit(pending.entries, await pending.verified);
  } finally {
    progress.finish(s.total);
  }
  report.close();
  verifier.close();
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  out.write(auditSummaryLine(o.table, s, o.threads, elapsed, o.shard && { shard: o.shard.text, location: location(o.uri) }));
  return s.verificationFailed > 0 || (o.failOnUnpinned && s.unpinned > 0) ? EXIT_FAILED : EXIT_OK;
}

module.exports = { runAudit };
