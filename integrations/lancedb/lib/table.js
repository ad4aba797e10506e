'use strict';
// A LanceDB table as the auditor sees it: its columns checked against what
// they must hold, and its rows turned into records (id, vector, source, pin)
// one Arrow batch at a time, so memory stays bounded by the batch size.

const fs = require('node:fs');
const deps = require('./deps');
const { usageError, runtimeError, safeText } = require('./errors');

// Column names reach LanceDB's SQL filters and projections, so they follow
// the rule of `vectorpin audit`: an identifier of at most 63 bytes.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function checkIdentifier(value, option) {
  if (!IDENTIFIER.test(value)) {
    throw usageError(`--${option} must be an identifier ([A-Za-z_][A-Za-z0-9_]*, at most 63 bytes), got '${safeText(value)}'`);
  }
  return value;
}

// A local database is a directory; a URI with a scheme (s3://, gs://, db://)
// is handed to LanceDB as it is.
function isLocal(uri) {
  return !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(uri);
}

function clientMessage(err) {
  // LanceDB's messages carry its own source paths after "Caused by"; the first
  // line says what happened.
  return safeText(String(err && err.message ? err.message : err).split('\n')[0].split(' Caused by')[0], 200);
}

async function openTable(uri, name) {
  const lancedb = deps.lancedb();
  if (isLocal(uri) && !(fs.existsSync(uri) && fs.statSync(uri).isDirectory())) {
    throw runtimeError(`no LanceDB database at ${safeText(uri)} (not a directory)`);
  }
  let db;
  try {
    db = await lancedb.connect(uri);
  } catch (err) {
    throw runtimeError(`cannot open the LanceDB database ${safeText(uri)}: ${clientMessage(err)}`);
  }
  let names;
  try {
    names = await db.tableNames();
  } catch (err) {
    throw runtimeError(`cannot list the tables of ${safeText(uri)}: ${clientMessage(err)}`);
  }
  if (!names.includes(name)) throw usageError(`the database has no table '${safeText(name)}'`);
  try {
    return await db.openTable(name);
  } catch (err) {
    throw runtimeError(`cannot open table '${safeText(name)}': ${clientMessage(err)}`);
  }
}

// How each column is read, decided once from the table's schema.
function textReader(field, option) {
  const { Type } = deps.arrow();
  const t = field.type.typeId;
  if (t === Type.Utf8 || t === Type.LargeUtf8) return (v) => v;
  throw usageError(`--${option} '${field.name}' must be a string column, not ${safeText(String(field.type))}`);
}

function idReader(field) {
  const { Type } = deps.arrow();
  const t = field.type.typeId;
  if (t === Type.Utf8 || t === Type.LargeUtf8) return (v) => v;
  // Integers in decimal, as `vectorpin audit` reads SQL integer ids.
  if (t === Type.Int) return (v) => String(v);
  throw usageError(`--id-column '${field.name}' must be a string or integer column, not ${safeText(String(field.type))}`);
}

// Vectors: a fixed-size or variable list of float32 or float64.
function vectorKind(field) {
  const { Type, Precision } = deps.arrow();
  const t = field.type.typeId;
  const isList = t === Type.FixedSizeList || t === Type.List || t === Type.LargeList;
  const child = isList ? field.type.children[0].type : null;
  if (child && child.typeId === Type.Float && child.precision === Precision.SINGLE) return 'f32';
  if (child && child.typeId === Type.Float && child.precision === Precision.DOUBLE) return 'f64';
  throw usageError(
    `--vector-column '${field.name}' must be a list of float32 or float64, not ${safeText(String(field.type))}`,
  );
}

function findField(schema, name, option) {
  const f = schema.fields.find((x) => x.name === name);
  if (!f) throw usageError(`the table has no column '${name}' (--${option})`);
  return f;
}

// cols: {id, vector, source|null, pin}; `pinOptional` lets `pin` add the column.
async function describe(table, cols, { pinOptional = false } = {}) {
  let schema;
  try {
    schema = await table.schema();
  } catch (err) {
    throw runtimeError(`cannot read the table's schema: ${clientMessage(err)}`);
  }
  const d = {
    id: idReader(findField(schema, cols.id, 'id-column')),
    dtype: vectorKind(findField(schema, cols.vector, 'vector-column')),
    source: cols.source ? textReader(findField(schema, cols.source, 'source-column'), 'source-column') : null,
    hasPin: schema.fields.some((x) => x.name === cols.pin),
  };
  if (d.hasPin) textReader(findField(schema, cols.pin, 'pin-column'), 'pin-column');
  else if (!pinOptional) throw usageError(`the table has no column '${cols.pin}' (--pin-column)`);
  return d;
}

// Decodes one row's vector: null (missing), {problem} (unreadable) or a typed
// array of the column's element type, copied out of the batch.
function readVector(column, i) {
  if (!column.isValid(i)) return null;
  const v = column.get(i);
  if (v === null || v === undefined) return null;
  if (v.nullCount > 0) return { problem: 'the vector has NULL elements' };
  return v.toArray().slice();
}

// Async generator of records in scan order. Each record:
// {ordinal, id: string|null, rawId (the column's own value), vector: null|{problem}|TypedArray, source: string|null|undefined, pin: string|null}
async function* records(table, cols, d, { batchRows = 1024 } = {}) {
  const select = [cols.id, cols.vector];
  if (cols.source) select.push(cols.source);
  if (d.hasPin) select.push(cols.pin);
  let ordinal = 0;
  let stream;
  try {
    // execute() takes the batch size; it is the iterator behind `for await`.
    const query = table.query().select(select);
    stream = typeof query.execute === 'function' ? query.execute({ maxBatchLength: batchRows }) : query;
  } catch (err) {
    throw runtimeError(`cannot query the table: ${clientMessage(err)}`);
  }
  const it = stream[Symbol.asyncIterator]();
  while (true) {
    let step;
    try {
      step = await it.next();
    } catch (err) {
      throw runtimeError(`cannot read the table: ${clientMessage(err)}`);
    }
    if (step.done) return;
    const batch = step.value;
    const idCol = batch.getChild(cols.id);
    const vecCol = batch.getChild(cols.vector);
    const srcCol = cols.source ? batch.getChild(cols.source) : null;
    const pinCol = d.hasPin ? batch.getChild(cols.pin) : null;
    const out = [];
    for (let i = 0; i < batch.numRows; i++) {
      const idValue = idCol.get(i);
      out.push({
        ordinal: ordinal++,
        id: idValue === null || idValue === undefined ? null : d.id(idValue),
        rawId: idValue,
        vector: readVector(vecCol, i),
        source: srcCol ? srcCol.get(i) : undefined,
        pin: pinCol ? pinCol.get(i) : null,
      });
    }
    yield out;
  }
}

module.exports = { checkIdentifier, openTable, describe, records, clientMessage };
