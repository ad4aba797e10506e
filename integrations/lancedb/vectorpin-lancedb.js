#!/usr/bin/env node
'use strict';
// vectorpin-lancedb: audit and pin LanceDB tables with VectorPin.
//   vectorpin-lancedb audit --uri DIR --table T (--public-key F --key-id ID | --registry F) [options]
//   vectorpin-lancedb pin   --uri DIR --table T --private-key F --key-id ID --model M [options]
// `vectorpin audit-lancedb` runs this program. Options, output and exit codes
// follow `vectorpin audit` / `vectorpin pin-store` (docs/AUDIT.md).

const os = require('node:os');
const fs = require('node:fs');
const { parseArgs } = require('node:util');
const { EXIT_OK, EXIT_USAGE, EXIT_RUNTIME, usageError, safeText } = require('./lib/errors');
const { checkIdentifier } = require('./lib/table');
const { parseShard } = require('./lib/shard');

const str = { type: 'string' };
const flag = { type: 'boolean' };
const TABLE_OPTIONS = {
  uri: str,
  table: str,
  'id-column': str,
  'vector-column': str,
  'source-column': str,
  'no-source': flag,
  'pin-column': str,
  'batch-size': str,
  'no-progress': flag,
  help: { type: 'boolean', short: 'h' },
};
const AUDIT_OPTIONS = {
  ...TABLE_OPTIONS,
  'public-key': str,
  'key-id': str,
  'valid-from': str,
  'valid-until': str,
  registry: str,
  'expect-model': str,
  'bind-record-id': flag,
  'collection-id': str,
  'legacy-v1': flag,
  'fail-on-unpinned': flag,
  threads: str,
  report: str,
  shard: str,
};
const PIN_OPTIONS = {
  ...TABLE_OPTIONS,
  'private-key': str,
  'key-id': str,
  model: str,
  'model-hash': str,
  timestamp: str,
  protocol: str,
  extra: { type: 'string', multiple: true },
  'collection-id': str,
  'no-bind-record': flag,
  'no-bind-collection': flag,
  'only-unpinned': flag,
  overwrite: flag,
  'skip-invalid': flag,
  'allow-insecure-key-permissions': flag,
};

const USAGE = {
  audit:
    'vectorpin-lancedb audit --uri DIR --table T (--public-key F --key-id ID [--valid-from TS] [--valid-until TS] | --registry F)\n' +
    '    [--id-column C] [--vector-column C] [--source-column C | --no-source] [--pin-column C]\n' +
    '    [--expect-model M] [--bind-record-id] [--collection-id X] [--legacy-v1] [--fail-on-unpinned]\n' +
    '    [--threads N] [--batch-size N] [--report FILE] [--no-progress] [--shard I/N]',
  pin:
    'vectorpin-lancedb pin --uri DIR --table T --private-key F --key-id ID --model M\n' +
    '    [--id-column C] [--vector-column C] (--source-column C | --no-source) [--pin-column C]\n' +
    '    [--collection-id X | --no-bind-collection] [--no-bind-record] [--only-unpinned | --overwrite] [--skip-invalid]\n' +
    '    [--model-hash H] [--timestamp TS] [--protocol 1|2] [--extra k=v]... [--batch-size N] [--no-progress]\n' +
    '    [--allow-insecure-key-permissions]',
};

function parse(argv, options) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false, tokens: true });
  } catch (err) {
    throw usageError(safeText(err.message, 200));
  }
  // An option given twice is a mistake, not "the last one wins".
  const seen = new Set();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option' || options[t.name].multiple) continue;
    if (seen.has(t.name)) throw usageError(`--${t.name} is given more than once`);
    seen.add(t.name);
  }
  return parsed.values;
}

function need(v, name) {
  if (v[name] === undefined || v[name] === '') throw usageError(`--${name} is required`);
  return v[name];
}

function count(v, name, fallback, min, max) {
  if (v[name] === undefined) return fallback;
  if (!/^[0-9]{1,7}$/.test(v[name]) || Number(v[name]) < min || Number(v[name]) > max)
    throw usageError(`--${name} takes a number from ${min} to ${max}`);
  return Number(v[name]);
}

function tableSettings(v, { sourceDefault }) {
  const columns = {
    id: checkIdentifier(v['id-column'] ?? 'id', 'id-column'),
    vector: checkIdentifier(v['vector-column'] ?? 'vector', 'vector-column'),
    source: v['source-column'] !== undefined ? checkIdentifier(v['source-column'], 'source-column') : null,
    pin: checkIdentifier(v['pin-column'] ?? 'vectorpin', 'pin-column'),
  };
  if (v['no-source'] && columns.source) throw usageError('--no-source and --source-column exclude each other');
  if (!v['no-source'] && !columns.source) sourceDefault();
  return {
    uri: need(v, 'uri'),
    table: need(v, 'table'),
    columns,
    useSource: columns.source !== null,
    batchRows: count(v, 'batch-size', 1000, 1, 1000000),
    progress: !v['no-progress'],
  };
}

function auditSettings(v) {
  const s = tableSettings(v, {
    // Upstream's audit-lancedb skips the source check when no source column
    // is named; so does this tool, and says so.
    sourceDefault: () =>
      process.stderr.write('vectorpin-lancedb audit: no --source-column given: source text is not verified (--no-source silences this)\n'),
  });
  const threads = count(v, 'threads', 0, 0, 256) || Math.max(1, os.availableParallelism ? os.availableParallelism() : os.cpus().length);
  return {
    ...s,
    keys: v,
    expectModel: v['expect-model'],
    bindRecord: v['bind-record-id'] === true,
    collectionId: v['collection-id'],
    failOnUnpinned: v['fail-on-unpinned'] === true,
    threads,
    report: v.report,
    shard: v.shard === undefined ? null : parseShard(v.shard),
  };
}

function pinSettings(v) {
  const s = tableSettings(v, {
    sourceDefault: () => {
      throw usageError('name the source text column with --source-column C (or --no-source to pin an empty source)');
    },
  });
  if (v['only-unpinned'] && v.overwrite) throw usageError('--only-unpinned and --overwrite exclude each other');
  if (v['no-bind-collection'] && v['collection-id'] !== undefined)
    throw usageError('--collection-id and --no-bind-collection exclude each other');
  if (v.protocol !== undefined && v.protocol !== '1' && v.protocol !== '2') throw usageError('--protocol must be 1 or 2');
  const extra = (v.extra || []).map((kv) => {
    const eq = kv.indexOf('=');
    if (eq < 0) throw usageError('--extra takes key=value');
    if (kv.startsWith('vectorpin.')) throw usageError('--extra cannot set the reserved vectorpin.* keys; pin binds record and collection ids itself');
    return [kv.slice(0, eq), kv.slice(eq + 1)];
  });
  return {
    ...s,
    privateKey: need(v, 'private-key'),
    keyId: need(v, 'key-id'),
    model: need(v, 'model'),
    modelHash: v['model-hash'],
    timestamp: v.timestamp,
    protocol: v.protocol === '1' ? 1 : 2,
    extra,
    bindRecord: !v['no-bind-record'],
    collectionId: v['no-bind-collection'] ? null : v['collection-id'] ?? v.table,
    onlyUnpinned: v['only-unpinned'] === true,
    overwrite: v.overwrite === true,
    skipInvalid: v['skip-invalid'] === true,
    allowInsecureKeyPermissions: v['allow-insecure-key-permissions'] === true,
  };
}

const stdout = { write: (text) => fs.writeSync(1, text) };

async function main(argv) {
  const command = argv[0];
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const text = `usage:\n  ${USAGE.audit}\n  ${USAGE.pin}\nexit codes: 0 success, 1 verification failures found, 2 usage error, 3 I/O or runtime error\n`;
    process[command === undefined ? 'stderr' : 'stdout'].write(text);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (command !== 'audit' && command !== 'pin') {
    process.stderr.write(`vectorpin-lancedb: unknown command '${safeText(command)}' (audit or pin)\n`);
    return EXIT_USAGE;
  }
  try {
    const v = parse(argv.slice(1), command === 'audit' ? AUDIT_OPTIONS : PIN_OPTIONS);
    if (v.help) {
      process.stdout.write(`usage: ${USAGE[command]}\n`);
      return EXIT_OK;
    }
    if (command === 'audit') {
      const o = auditSettings(v);
      // The verifications run on libuv's pool: make it as large as the
      // threads asked for (before anything uses the pool).
      if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = String(Math.max(4, o.threads));
      return await require('./lib/audit').runAudit(o, stdout);
    }
    return await require('./lib/pin').runPin(pinSettings(v), stdout);
  } catch (err) {
    const code = err.exitCode ?? EXIT_RUNTIME;
    const message = err.exitCode ? err.message : `internal error: ${safeText(err && err.message, 200)}`;
    process.stderr.write(`vectorpin-lancedb ${command}: ${message}\n`);
    if (code === EXIT_USAGE) process.stderr.write(`usage: ${USAGE[command]}\n`);
    return code;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
