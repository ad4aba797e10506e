'use strict';
// Trusted keys for the audit, named the way `vectorpin audit` names them:
// --registry FILE, or --public-key FILE --key-id KID with an optional
// --valid-from / --valid-until window.

const fs = require('node:fs');
const { usageError, runtimeError, safeText } = require('./errors');

const KEY_FILE_LIMIT = 64 * 1024;
const REGISTRY_LIMIT = 16 * 1024 * 1024;

function readLimited(file, limit, what) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    if (size > limit) throw runtimeError(`${what} ${safeText(file)} is larger than ${limit} bytes`);
    const buf = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = fs.readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } catch (err) {
    if (err.exitCode) throw err;
    throw runtimeError(`cannot read ${what} ${safeText(file)}: ${err.code || err.message}`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

// Library errors about what the user gave (a bad timestamp, a weak key) are
// usage errors; anything else is a runtime error.
function fromLibrary(err, context) {
  const text = `${context}: ${err.code ? err.code + ': ' : ''}${err.detail || err.message}`;
  return err.code === 'INVALID_INPUT' || err.code === 'INVALID_KEY' || err.code === 'PARSE_ERROR'
    ? usageError(text)
    : runtimeError(text);
}

function makeVerifier(vp, o) {
  const single = o['public-key'] !== undefined || o['key-id'] !== undefined;
  if (o.registry !== undefined && single) throw usageError('give --registry or --public-key/--key-id, not both');
  if (o.registry === undefined && !single) throw usageError('the trusted keys are missing: --public-key F --key-id ID, or --registry FILE');
  const legacyV1 = o['legacy-v1'] === true;
  if (o.registry !== undefined) {
    if (o['valid-from'] !== undefined || o['valid-until'] !== undefined)
      throw usageError('--valid-from/--valid-until go with --public-key; a registry gives each key its window');
    const json = readLimited(o.registry, REGISTRY_LIMIT, 'registry');
    try {
      return vp.Verifier.fromRegistry(json, { legacyV1 });
    } catch (err) {
      throw fromLibrary(err, `registry ${safeText(o.registry)}`);
    }
  }
  if (o['public-key'] === undefined || o['key-id'] === undefined)
    throw usageError('--public-key and --key-id go together');
  const publicKey = readLimited(o['public-key'], KEY_FILE_LIMIT, 'public key');
  try {
    return new vp.Verifier(
      { [o['key-id']]: { publicKey, validFrom: o['valid-from'] ?? null, validUntil: o['valid-until'] ?? null } },
      { legacyV1 },
    );
  } catch (err) {
    throw fromLibrary(err, `public key ${safeText(o['public-key'])}`);
  }
}

module.exports = { makeVerifier, fromLibrary };
