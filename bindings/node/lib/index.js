'use strict';
// The JavaScript face of libvectorpin. Everything the protocol decides
// (hashing, canonical bytes, parsing, signatures, verification order) happens
// in the C library; this file only shapes arguments and results for
// JavaScript and manages handle lifetimes.

const path = require('node:path');
const util = require('node:util');
const { load } = require('./native');

const { addon: native, file: addonPath } = load();

const KIND_SIGNER = 0;
const KIND_VERIFIER = 1;
const KIND_PIN = 2;
const KIND_STREAM = 3;
const DTYPES = { f32: 1, f64: 2 };
const FIELD = { kid: 1, model: 2, modelHash: 3, sourceHash: 4, vecHash: 5, vecDtype: 6, ts: 7, sig: 8 };
const RESERVED_EXTRA = [
  ['recordId', 'vectorpin.record_id'],
  ['collectionId', 'vectorpin.collection_id'],
  ['tenantId', 'vectorpin.tenant_id'],
];
const INTERNAL = Symbol('vectorpin.internal');
const constants = Object.freeze(native.constants());
const dispose = Symbol.dispose || Symbol.for('nodejs.dispose');

/** Status numbers by name, read from the library's own table. */
const Status = (() => {
  const table = {};
  for (let code = 0; code < 256; code++) {
    const name = native.statusName(code);
    if (name !== 'UNKNOWN_STATUS') table[name] = code;
  }
  return Object.freeze(table);
})();

function argError(message) {
  const e = new TypeError(message);
  e.code = 'INVALID_ARGUMENT';
  e.status = Status.INVALID_ARGUMENT;
  return e;
}

function isBytes(v) {
  return v instanceof Uint8Array || v instanceof ArrayBuffer || v instanceof DataView;
}

function isPlainOptions(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isBytes(v);
}

// A misspelt option (say `expectedRecordID`) would otherwise silently skip a
// check, so unknown option names are refused.
function checkOptions(opts, allowed, what) {
  if (opts === undefined || opts === null) return {};
  if (!isPlainOptions(opts)) throw argError(`${what} must be an object`);
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) throw argError(`${what}: unknown option '${key}' (known: ${allowed.join(', ')})`);
  }
  return opts;
}

function dtypeCode(value, what) {
  if (value === undefined || value === null) return 0;
  const code = DTYPES[value];
  if (code === undefined) throw argError(`${what} must be 'f32' or 'f64'`);
  return code;
}

function optionalString(value, what) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw argError(`${what} must be a string`);
  return value;
}

// A Date becomes the protocol's second-resolution UTC form; strings are
// passed through for the library to check.
function timestampArg(value, what) {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw argError(`${what} is an invalid Date`);
    return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
  }
  throw argError(`${what} must be a string (YYYY-MM-DDTHH:MM:SSZ) or a Date`);
}

function extraPairs(extra) {
  if (extra === undefined || extra === null) return [];
  let entries;
  if (extra instanceof Map) entries = [...extra.entries()];
  else if (isPlainOptions(extra)) entries = Object.entries(extra);
  else throw argError('extra must be an object or a Map of string keys to string values');
  for (const [k, v] of entries) {
    if (typeof k !== 'string' || typeof v !== 'string') {
      throw argError('extra must map string keys to string values');
    }
  }
  return entries;
}

function closedGuard(kind, h) {
  if (native.isClosed(h, kind)) {
    const names = ['Signer', 'Verifier', 'Pin', 'VerifyStream'];
    const e = new Error(`INVALID_ARGUMENT: this ${names[kind]} has been closed`);
    e.code = 'INVALID_ARGUMENT';
    e.status = Status.INVALID_ARGUMENT;
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Pin

let pinHandleOf;
let verifierHandleOf;

function closedError(what) {
  const e = new Error(`INVALID_ARGUMENT: this ${what} has been closed`);
  e.code = 'INVALID_ARGUMENT';
  e.status = Status.INVALID_ARGUMENT;
  return e;
}

// Pin JSON given as bytes, as text. The library has already checked it is
// valid UTF-8, so decoding is exact; the copy also keeps a caller's later
// writes to its buffer out of the pin.
function bytesText(bytes) {
  if (bytes instanceof ArrayBuffer) return Buffer.from(bytes).toString('utf8');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

// Extra keys in byte order of their UTF-8 form, as the library lists them
// (JavaScript's own string order differs for characters beyond U+FFFF, and
// object key order puts integer-like keys first).
function utf8Order(a, b) {
  return Buffer.compare(Buffer.from(a[0], 'utf8'), Buffer.from(b[0], 'utf8'));
}

class Pin {
  // A parsed pin starts as its checked JSON text alone; the native pin is
  // made on first need (verification, signedBytes, toString) and the fields
  // are read from the text on first access. A pin from Signer#pin starts
  // with its native pin.
  #h;
  #text;
  #fields = null;
  #closed = false;

  /** @internal Pins come from Pin.parse() or Signer#pin(). */
  constructor(token, handle, text) {
    if (token !== INTERNAL) throw argError('use Pin.parse(json) or Signer#pin() to get a Pin');
    this.#h = handle;
    this.#text = text;
  }

  static {
    pinHandleOf = (pin) => pin.#native();
  }

  /** Parses pin JSON (string or UTF-8 bytes) with every rule of the wire form. */
  static parse(json) {
    native.pinCheck(json);
    return new Pin(INTERNAL, null, typeof json === 'string' ? json : bytesText(json));
  }

  #native() {
    if (this.#closed) throw closedError('Pin');
    if (this.#h === null) this.#h = native.pinParse(this.#text);
    return this.#h;
  }

  // The wire fields. Every rule was enforced by the library's parser (no
  // duplicate keys, strict strings), so JSON.parse reads the same values.
  #wire() {
    if (this.#closed) throw closedError('Pin');
    if (this.#fields === null) this.#fields = JSON.parse(this.#text ?? native.pinToJson(this.#h));
    return this.#fields;
  }

  get version() {
    return this.#wire().v;
  }
  get kid() {
    return this.#wire().kid;
  }
  get model() {
    return this.#wire().model;
  }
  /** The model hash, or null when the pin has none. */
  get modelHash() {
    return this.#wire().model_hash ?? null;
  }
  get sourceHash() {
    return this.#wire().source_hash;
  }
  get vecHash() {
    return this.#wire().vec_hash;
  }
  /** 'f32' or 'f64'. */
  get vecDtype() {
    return this.#wire().vec_dtype;
  }
  get vecDim() {
    return this.#wire().vec_dim;
  }
  get ts() {
    return this.#wire().ts;
  }
  /** The signature as base64url text, as on the wire. */
  get sig() {
    return this.#wire().sig;
  }
  /** The raw 64-byte signature. */
  get signature() {
    return Buffer.from(this.#wire().sig, 'base64url');
  }
  /** The `extra` entries, in key byte order, as a fresh null-prototype object. */
  get extra() {
    const out = Object.create(null);
    const extra = this.#wire().extra;
    if (extra === undefined) return out;
    for (const [k, v] of Object.entries(extra).sort(utf8Order)) {
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  /** One `extra` value, or null when absent. */
  getExtra(key) {
    if (typeof key !== 'string') throw argError('key must be a string');
    const extra = this.#wire().extra;
    return extra !== undefined && Object.hasOwn(extra, key) ? extra[key] : null;
  }
  get recordId() {
    return this.getExtra('vectorpin.record_id');
  }
  get collectionId() {
    return this.getExtra('vectorpin.collection_id');
  }
  get tenantId() {
    return this.getExtra('vectorpin.tenant_id');
  }
  /** The exact bytes the signature covers. */
  signedBytes() {
    return native.pinSignedBytes(this.#native());
  }
  /** The wire form: sorted keys, no whitespace, raw UTF-8. */
  toString() {
    return native.pinToJson(this.#native());
  }
  /** For JSON.stringify: the pin as a JSON object (same fields as the wire form). */
  toJSON() {
    return JSON.parse(this.toString());
  }
  /** Frees the native pin; later use throws. Closing twice is harmless. */
  close() {
    this.#closed = true;
    this.#fields = null;
    this.#text = null;
    if (this.#h !== null) native.close(this.#h, KIND_PIN);
  }
  get closed() {
    return this.#closed;
  }
  [dispose]() {
    this.close();
  }
  [util.inspect.custom](depth, options, inspect) {
    if (this.closed) return 'Pin <closed>';
    const fields = {
      v: this.version,
      kid: this.kid,
      model: this.model,
      vecDtype: this.vecDtype,
      vecDim: this.vecDim,
      ts: this.ts,
      extra: this.extra,
    };
    return `Pin ${inspect(fields, options)}`;
  }
}

// ---------------------------------------------------------------------------
// Signer

const PIN_OPTIONS = [
  'source',
  'model',
  'vector',
  'dtype',
  'vectorDtype',
  'protocol',
  'modelHash',
  'timestamp',
  'extra',
  'recordId',
  'collectionId',
  'tenantId',
];

class Signer {
  #h;

  /** @internal Use the static factories. */
  constructor(token, handle) {
    if (token !== INTERNAL) {
      throw argError('use Signer.generate, fromSeed, fromPrivateKey, load or external to create a Signer');
    }
    this.#h = handle;
  }

  /** A fresh key from the operating system's random generator. */
  static generate(kid) {
    return new Signer(INTERNAL, native.signerGenerate(kid));
  }

  /** From a 32-byte Ed25519 seed; the library keeps its own copy. */
  static fromSeed(kid, seed) {
    return new Signer(INTERNAL, native.signerFromSeed(kid, seed));
  }

  /** From private key file contents: the raw 32-byte seed or a PKCS#8 PEM (string or bytes). */
  static fromPrivateKey(kid, privateKey) {
    return new Signer(INTERNAL, native.signerFromPrivateKey(kid, privateKey));
  }

  /**
   * Reads a private key file (raw seed or PEM). The key id defaults to the
   * file name without its `.priv` extension. A file readable by group or
   * others is refused (INSECURE_PERMISSIONS) unless allowInsecurePermissions.
   */
  static load(file, kid, options) {
    if (isPlainOptions(kid) && options === undefined) {
      options = kid;
      kid = undefined;
    }
    const opts = checkOptions(options, ['allowInsecurePermissions'], 'Signer.load options');
    if (typeof file !== 'string') throw argError('path must be a string');
    if (kid === undefined || kid === null) {
      const base = path.basename(file);
      if (!base.endsWith('.priv') || base.length <= 5) {
        throw argError('pass the key id: it can only be taken from a file named <kid>.priv');
      }
      kid = base.slice(0, -5);
    }
    return new Signer(INTERNAL, native.signerLoadFile(kid, file, opts.allowInsecurePermissions === true));
  }

  /**
   * A signer whose private key lives elsewhere (KMS, HSM). `sign(message)`
   * receives the bytes to sign as a Buffer and must return the 64-byte
   * Ed25519 signature synchronously (Buffer or Uint8Array). Every signature
   * is checked against `publicKey` before a pin is produced.
   */
  static external(kid, publicKey, sign) {
    return new Signer(INTERNAL, native.signerExternal(kid, publicKey, sign));
  }

  /** The key id (NFC form). */
  get kid() {
    return native.signerKid(this.#h);
  }
  /** Alias of `kid`, the name upstream's TypeScript package uses. */
  get keyId() {
    return native.signerKid(this.#h);
  }
  /** The 32-byte public key (a copy). */
  get publicKey() {
    return native.signerPublicKey(this.#h);
  }
  /** Alias of `publicKey`, the name upstream's TypeScript package uses. */
  publicKeyBytes() {
    return native.signerPublicKey(this.#h);
  }
  /** The public key as RFC 8410 SubjectPublicKeyInfo PEM. */
  get publicKeyPem() {
    return native.publicKeyPem(native.signerPublicKey(this.#h));
  }
  /** "xxxx:xxxx:xxxx:xxxx" from SHA-256 of the public key. */
  get fingerprint() {
    return native.signerFingerprint(this.#h);
  }

  /**
   * Writes `<dir>/<kid>.priv` (0600, never overwritten) and `<dir>/<kid>.pub`;
   * raw 32-byte files by default (the upstream CLI format), PEM with {pem: true}.
   */
  save(dir, options) {
    const opts = checkOptions(options, ['pem'], 'save options');
    if (typeof dir !== 'string') throw argError('dir must be a string');
    native.signerSave(this.#h, dir, opts.pem === true);
  }

  /** Signs a pin over `source`, `model` and `vector`. */
  pin(options) {
    const o = checkOptions(options, PIN_OPTIONS, 'pin options');
    if (o.source === undefined || o.source === null) throw argError('pin: source is required');
    if (typeof o.model !== 'string') throw argError('pin: model must be a string');
    if (o.vector === undefined || o.vector === null) throw argError('pin: vector is required');
    let protocol = 0;
    if (o.protocol !== undefined && o.protocol !== null) {
      if (!Number.isInteger(o.protocol)) throw argError('pin: protocol must be 1 or 2');
      protocol = o.protocol;
    }
    const dtype = dtypeCode(o.dtype, 'pin: dtype');
    // Raw bytes are read as vectorDtype, else as the hash dtype, else f32.
    const raw = dtypeCode(o.vectorDtype, 'pin: vectorDtype') || dtype || DTYPES.f32;
    const extra = extraPairs(o.extra);
    for (const [option, key] of RESERVED_EXTRA) {
      const value = optionalString(o[option], `pin: ${option}`);
      if (value === undefined) continue;
      const existing = extra.find(([k]) => k === key);
      if (existing && existing[1] !== value) {
        throw argError(`pin: ${option} and extra['${key}'] disagree`);
      }
      if (!existing) extra.push([key, value]);
    }
    const handle = native.signerPin(
      this.#h,
      o.source,
      o.model,
      o.vector,
      raw,
      protocol,
      dtype,
      optionalString(o.modelHash, 'pin: modelHash'),
      timestampArg(o.timestamp, 'pin: timestamp'),
      extra,
    );
    return new Pin(INTERNAL, handle);
  }

  /** Wipes and frees the key; later use throws. Closing twice is harmless. */
  close() {
    native.close(this.#h, KIND_SIGNER);
  }
  get closed() {
    return native.isClosed(this.#h, KIND_SIGNER);
  }
  [dispose]() {
    this.close();
  }
  [util.inspect.custom]() {
    if (this.closed) return 'Signer <closed>';
    return `Signer { kid: ${util.inspect(this.kid)}, fingerprint: '${this.fingerprint}' }`;
  }
}

// ---------------------------------------------------------------------------
// Verifier

const VERIFY_OPTIONS = [
  'source',
  'vector',
  'vectorDtype',
  'expectedModel',
  'expectedRecordId',
  'expectedCollectionId',
  'expectedTenantId',
];

function pinArg(pin) {
  if (pin instanceof Pin) return pinHandleOf(pin);
  if (typeof pin === 'string' || isBytes(pin)) return pin;
  throw argError('pin must be a Pin, or pin JSON as a string or UTF-8 bytes');
}

function verifyArgs(pin, options, what) {
  const o = checkOptions(options, VERIFY_OPTIONS, what);
  return [
    pinArg(pin),
    o.source,
    o.vector,
    dtypeCode(o.vectorDtype, `${what}: vectorDtype`),
    optionalString(o.expectedModel, `${what}: expectedModel`),
    optionalString(o.expectedRecordId, `${what}: expectedRecordId`),
    optionalString(o.expectedCollectionId, `${what}: expectedCollectionId`),
    optionalString(o.expectedTenantId, `${what}: expectedTenantId`),
  ];
}

function intOption(value, fallback, min, max, what) {
  if (value === undefined || value === null) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw argError(`${what} must be an integer from ${min} to ${max}`);
  }
  return value;
}

// libuv reads UV_THREADPOOL_SIZE once, at its first use of the pool; 4 when
// unset, at most 1024.
function threadPoolSize() {
  const n = Number.parseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1024) : 4;
}

function prepareItems(items) {
  if (items === null || typeof items !== 'object' || typeof items[Symbol.iterator] !== 'function') {
    throw argError('items must be an array (or iterable) of {pin, ...options}');
  }
  const prepared = [];
  let index = 0;
  for (const item of items) {
    if (!isPlainOptions(item)) throw argError(`items[${index}] must be an object`);
    const { pin, ...rest } = item;
    prepared.push(verifyArgs(pin, rest, `items[${index}]`));
    index++;
  }
  return prepared;
}

class Verifier {
  #h;
  #legacyV1 = false;

  static {
    verifierHandleOf = (v) => v.#h;
  }

  /**
   * @param keys kid -> public key (bytes, base64url or PEM) or
   *             {publicKey, validFrom?, validUntil?}; an object or a Map.
   * @param options {legacyV1?: boolean}
   */
  constructor(keys, options) {
    const opts = checkOptions(options, ['legacyV1'], 'Verifier options');
    this.#h = native.verifierNew();
    try {
      if (keys !== undefined && keys !== null) {
        let entries;
        if (keys instanceof Map) entries = [...keys.entries()];
        else if (isPlainOptions(keys)) entries = Object.entries(keys);
        else throw argError('keys must be an object or a Map of key id to public key');
        for (const [kid, value] of entries) {
          if (isPlainOptions(value)) {
            const k = checkOptions(value, ['publicKey', 'validFrom', 'validUntil'], `key '${kid}'`);
            this.addKey(kid, k.publicKey, { validFrom: k.validFrom, validUntil: k.validUntil });
          } else {
            this.addKey(kid, value);
          }
        }
      }
      if (opts.legacyV1) this.legacyV1 = true;
    } catch (err) {
      // Nothing half-built is left for the garbage collector.
      native.close(this.#h, KIND_VERIFIER);
      throw err;
    }
  }

  /** A verifier holding every key of a registry JSON document. */
  static fromRegistry(json, options) {
    const v = new Verifier(undefined, options);
    try {
      v.loadRegistry(json);
    } catch (err) {
      v.close();
      throw err;
    }
    return v;
  }

  /**
   * Registers a public key (32 bytes, base64url text or PEM) with an
   * optional validity window [validFrom, validUntil) on the pin's `ts`.
   */
  addKey(kid, publicKey, options) {
    const o = checkOptions(options, ['validFrom', 'validUntil'], 'addKey options');
    if (publicKey === undefined || publicKey === null) throw argError(`key '${kid}': publicKey is required`);
    native.verifierAddKey(
      this.#h,
      kid,
      publicKey,
      timestampArg(o.validFrom, 'validFrom'),
      timestampArg(o.validUntil, 'validUntil'),
    );
    return this;
  }

  /** Adds every key of a registry document; all or nothing. */
  loadRegistry(json) {
    native.verifierLoadRegistry(this.#h, json);
    return this;
  }

  /** Whether legacy protocol v1 pins are accepted (off by default). */
  get legacyV1() {
    closedGuard(KIND_VERIFIER, this.#h);
    return this.#legacyV1;
  }
  set legacyV1(enabled) {
    native.verifierSetLegacyV1(this.#h, Boolean(enabled));
    this.#legacyV1 = Boolean(enabled);
  }

  get keyCount() {
    return native.verifierKeyCount(this.#h);
  }

  /**
   * How many of this verifier's keys may get a table that makes their later
   * verifications several times faster (`constants.PREPARED_KEY_BYTES` each,
   * built on a key's first use, kept until close()). Keys past the limit
   * verify without one, with the same answers, more slowly. The default is
   * `constants.DEFAULT_PREPARED_KEY_LIMIT`; 0 prepares none. A limit applies
   * to tables built afterwards: lowering it frees nothing.
   */
  get preparedKeyLimit() {
    return native.verifierPreparedKeyLimit(this.#h);
  }
  set preparedKeyLimit(limit) {
    native.verifierSetPreparedKeyLimit(
      this.#h,
      intOption(limit ?? Number.NaN, 0, 0, Number.MAX_SAFE_INTEGER, 'preparedKeyLimit'),
    );
  }

  /** How many keys have been prepared so far. */
  get preparedKeyCount() {
    return native.verifierPreparedKeyCount(this.#h);
  }

  /**
   * Verifies a pin (a Pin, or its JSON as a string or bytes). Verification
   * outcomes come back as {ok, error, detail, status}; only misuse throws.
   */
  verify(pin, options) {
    return native.verifierVerify(this.#h, ...verifyArgs(pin, options, 'verify options'));
  }

  /**
   * Verifies many pins in one call on the library's worker threads
   * (`threads`: 0, the default, is one per core; 1 is this thread only).
   * Synchronous: the event loop waits until every item is done, in exchange
   * for reading vectors and sources in place. Results are in item order and
   * equal what verify() gives for each item.
   */
  verifyBatch(items, options) {
    const opts = checkOptions(options, ['threads'], 'verifyBatch options');
    const threads = intOption(opts.threads, 0, 0, constants.BATCH_MAX_THREADS, 'verifyBatch: threads');
    return native.verifierVerifyBatchSync(this.#h, prepareItems(items), threads);
  }

  /**
   * Verifies many pins on libuv's thread pool, keeping the event loop free.
   * Each item is {pin, source?, vector?, vectorDtype?, expected...?}. The
   * inputs are captured when this is called: changing a vector afterwards
   * does not change the result. `threads` is the number of pool tasks the
   * batch is split into (default: the pool's size).
   */
  verifyBatchAsync(items, options) {
    try {
      const opts = checkOptions(options, ['threads'], 'verifyBatchAsync options');
      const threads = intOption(opts.threads, threadPoolSize(), 1, 1024, 'verifyBatchAsync: threads');
      return native.verifierVerifyBatch(this.#h, prepareItems(items), threads);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * A streaming batch for audits larger than memory: submit() items as they
   * are read, collect results in submission order with next() or
   * nextAsync(), or iterate with `for await`. `threads`: the library's
   * worker threads (0, the default, is one per core). The verifier's keys
   * cannot change while a stream made from it is open.
   */
  stream(options) {
    const opts = checkOptions(options, ['threads'], 'stream options');
    const threads = intOption(opts.threads, 0, 0, constants.BATCH_MAX_THREADS, 'stream: threads');
    return new VerifyStream(INTERNAL, native.streamNew(this.#h, threads));
  }

  /** Frees the verifier (after any batch still running); later use throws. */
  close() {
    native.close(this.#h, KIND_VERIFIER);
  }
  get closed() {
    return native.isClosed(this.#h, KIND_VERIFIER);
  }
  [dispose]() {
    this.close();
  }
  [util.inspect.custom]() {
    if (this.closed) return 'Verifier <closed>';
    return `Verifier { keyCount: ${this.keyCount}, legacyV1: ${this.#legacyV1} }`;
  }
}

// ---------------------------------------------------------------------------
// VerifyStream

class VerifyStream {
  #h;
  #queue = Promise.resolve();
  #waiters = 0;

  /** @internal Use Verifier#stream(). */
  constructor(token, handle) {
    if (token !== INTERNAL) throw argError('use Verifier#stream() to get a VerifyStream');
    this.#h = handle;
  }

  /**
   * Queues one verification (the arguments of Verifier#verify) and returns
   * its id, a number that comes back with the result. Everything is copied
   * before this returns; it never waits for the workers.
   */
  submit(pin, options) {
    return native.streamSubmit(this.#h, ...verifyArgs(pin, options, 'submit options'));
  }

  /**
   * The oldest submitted item's result ({id, ok, error, detail, status}), or
   * null when nothing is pending or (without {wait: true}) the oldest is not
   * done yet. {wait: true} blocks the event loop; prefer nextAsync().
   */
  next(options) {
    const o = checkOptions(options, ['wait'], 'next options');
    if (this.#waiters > 0) {
      // A result taken here would be the one a pending nextAsync() is owed.
      closedGuard(KIND_STREAM, this.#h);
      const e = new Error('INVALID_ARGUMENT: a nextAsync() on this VerifyStream has not settled yet');
      e.code = 'INVALID_ARGUMENT';
      e.status = Status.INVALID_ARGUMENT;
      throw e;
    }
    return native.streamNext(this.#h, o.wait === true);
  }

  /** Waits on the thread pool for the oldest result; null when none is pending. */
  nextAsync() {
    // One wait at a time: results are delivered in order, so later calls
    // queue behind earlier ones.
    const run = () => native.streamNextAsync(this.#h);
    let p;
    if (this.#waiters === 0) {
      // Started at once, so a close() right after this call cannot overtake it.
      try {
        p = run();
      } catch (err) {
        return Promise.reject(err);
      }
    } else {
      p = this.#queue.then(run, run);
    }
    this.#waiters++;
    const settled = () => {
      this.#waiters--;
    };
    this.#queue = p.then(settled, settled);
    return p;
  }

  /** Yields results in submission order until none is pending. */
  async *results() {
    while (this.pending > 0) {
      const r = await this.nextAsync();
      if (r === null) return;
      yield r;
    }
  }

  [Symbol.asyncIterator]() {
    return this.results();
  }

  /** Items submitted and not yet collected. */
  get pending() {
    return native.streamInfo(this.#h).pending;
  }
  /** The number of worker threads. */
  get threads() {
    return native.streamInfo(this.#h).threads;
  }

  /**
   * Stops the workers and drops results not yet collected (after a pending
   * nextAsync() settles); releases the verifier. Closing twice is harmless.
   */
  close() {
    native.close(this.#h, KIND_STREAM);
  }
  get closed() {
    return native.isClosed(this.#h, KIND_STREAM);
  }
  [dispose]() {
    this.close();
  }
  [util.inspect.custom]() {
    if (this.closed) return 'VerifyStream <closed>';
    const { pending, threads } = native.streamInfo(this.#h);
    return `VerifyStream { pending: ${pending}, threads: ${threads} }`;
  }
}

// ---------------------------------------------------------------------------
// Functions

/** "sha256:" + hex(SHA-256(UTF-8(NFC(text)))). */
function hashText(text) {
  return native.hashText(text);
}

/**
 * Hash of a vector's elements cast to `dtype` (default: the input's type).
 * Raw bytes are read as `vectorDtype` (default: dtype, else f32).
 */
function hashVector(vector, options) {
  const o = typeof options === 'string' ? { dtype: options } : checkOptions(options, ['dtype', 'vectorDtype'], 'hashVector options');
  const dtype = dtypeCode(o.dtype, 'hashVector: dtype');
  return native.hashVector(vector, dtypeCode(o.vectorDtype, 'hashVector: vectorDtype'), dtype);
}

function isValidTimestamp(ts) {
  if (typeof ts !== 'string') return false;
  try {
    native.timestampCheck(ts);
    return true;
  } catch (err) {
    if (err.code === 'INVALID_INPUT') return false;
    throw err;
  }
}

const versions = native.versions();

module.exports = {
  Signer,
  Verifier,
  VerifyStream,
  Pin,
  Status,
  hashText,
  hashVector,
  sha256: (data) => native.sha256(data),
  base64urlEncode: (data) => native.base64urlEncode(data),
  base64urlDecode: (text) => native.base64urlDecode(text),
  isValidTimestamp,
  timestampNow: () => native.timestampNow(),
  decodePublicKey: (key) => native.publicKeyDecode(key),
  publicKeyFingerprint: (key) => native.publicKeyFingerprint(key),
  publicKeyPem: (key) => native.publicKeyPem(key),
  statusName: (code) => native.statusName(code),
  isVerificationFailure: (code) => native.isVerificationFailure(code),
  version: versions.version,
  versionNumber: versions.versionNumber,
  abiVersion: versions.abiVersion,
  protocolVersion: versions.protocolVersion,
  constants,
  addonPath,
};

// Not part of the public API: lets the tests observe handle internals.
Object.defineProperty(module.exports, '_internal', {
  enumerable: false,
  value: {
    native,
    busyCount(obj) {
      if (obj instanceof Pin) return native.busyCount(pinHandleOf(obj), KIND_PIN);
      if (obj instanceof Verifier) return native.busyCount(verifierHandleOf(obj), KIND_VERIFIER);
      throw argError('busyCount takes a Pin or a Verifier');
    },
  },
});
