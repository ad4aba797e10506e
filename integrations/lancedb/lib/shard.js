'use strict';
// The shard rule of `vectorpin audit --shard I/N` (docs/AUDIT.md, "Sharded
// audits"), so that a LanceDB table's shards are the same records whichever
// program audits them: a record's id text, hashed with SHA-256, its first 8
// bytes read as a big-endian unsigned integer, modulo N; a record without an
// id belongs to shard 0.

const crypto = require('node:crypto');
const { usageError, safeText } = require('./errors');

const MAX_SHARDS = 65536;

// "I/N" in plain decimal (no sign, no spaces, no leading zeros but "0").
function parseShard(text) {
  const m = /^(0|[1-9][0-9]{0,5})\/([1-9][0-9]{0,5})$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count > MAX_SHARDS || index >= count)
    throw usageError(`--shard takes I/N with 1 <= N <= ${MAX_SHARDS} and 0 <= I < N, not '${safeText(text)}'`);
  return { index, count, text: `${index}/${count}` };
}

function shardOf(id, count) {
  if (id === null || id === undefined) return 0;
  const digest = crypto.createHash('sha256').update(Buffer.from(id, 'utf8')).digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(count));
}

module.exports = { parseShard, shardOf };
