// vectorpin-wasm: the vectorpin core compiled to WebAssembly, for runtimes
// that run no native code (Cloudflare Workers, Deno, Bun, browsers) and for
// Node. The module is used through its raw exports: the C ABI of
// include/vectorpin.h, called with pointers into the module's memory.
//
// Only loading the .wasm file from a file: URL touches a runtime-specific
// API (node:fs or Deno.readFile); pass the module or its bytes to init() and
// nothing but WebAssembly, TextEncoder/TextDecoder and crypto.getRandomValues
// (for key generation) is used.
import createVectorpinCore from '../dist/vectorpin-core.mjs';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

// Status numbers by the library's stable names, read from the module itself
// (vectorpin_status_name) when it loads, so no list here can drift from it.
// A live binding: filled in by init().
export let Status = Object.freeze({});
const STATUS_SCAN_LIMIT = 256;

const DTYPE = { f32: 1, f64: 2 };
const FIELD = { kid: 1, model: 2, modelHash: 3, sourceHash: 4, vecHash: 5, vecDtype: 6, ts: 7, sig: 8 };
const EXPECT = { model: 1, recordId: 2, collectionId: 3, tenantId: 4 };
const ERROR_BYTES = 272; // sizeof(vectorpin_error): code, reserved, offset, message[256]
const HASH_STRING_BYTES = 72;
const PUBLIC_KEY_BYTES = 32;
const FINGERPRINT_BYTES = 32; // "xxxx:xxxx:xxxx:xxxx" and its NUL, with room to spare
const SIGNATURE_BYTES = 64;
const STATUS_NOT_FOUND = 110;

// ---- the module ---------------------------------------------------------------

// The module object: its `_name` properties are the exported C functions
// (the glue replaces each with the raw WebAssembly export on first call), and
// HEAPU8/HEAPU32 are views of linear memory that the glue renews when the
// memory grows.
let wasm = null;
let errPtr = 0; // one vectorpin_error, reused: calls never overlap
let slotPtr = 0; // four 32-bit out-parameter slots
let scratchPtr = 0;
let scratchCap = 0;
let scratchUsed = 0;
let loading = null;
// The C ABI (include/vectorpin.h's VECTORPIN_ABI_VERSION) this wrapper calls.
const SUPPORTED_ABI = 2;
const statusNames = new Map();

async function wasmModuleFrom(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  if (source === undefined || source === null) source = new URL('../dist/vectorpin-core.wasm', import.meta.url);
  if (typeof source === 'string') source = new URL(source, import.meta.url);
  if (source instanceof URL) {
    if (source.protocol === 'file:') {
      // fetch() of file: URLs is not available everywhere; read the file.
      if (typeof Deno !== 'undefined') return WebAssembly.compile(await Deno.readFile(source));
      const fs = await import('node:fs/promises');
      return WebAssembly.compile(await fs.readFile(source));
    }
    source = await fetch(source);
  }
  if (typeof Response !== 'undefined' && source instanceof Response) {
    if (!source.ok) throw new Error(`vectorpin-wasm: cannot load the module (HTTP ${source.status})`);
    return WebAssembly.compile(await source.arrayBuffer());
  }
  return WebAssembly.compile(source);
}

// libsodium's random source under emscripten asks the module object for one
// 32-bit value at a time; Web Crypto is in every runtime this package targets.
function randomWord() {
  const word = new Uint32Array(1);
  globalThis.crypto.getRandomValues(word);
  return word[0] >>> 0;
}

/**
 * Loads the module. Call once and await it before anything else.
 * `source`: a WebAssembly.Module (Cloudflare Workers import one), the .wasm
 * bytes, a Response, or a URL; default: dist/vectorpin-core.wasm beside this file.
 */
export function init(source) {
  if (loading === null) {
    loading = (async () => {
      const compiled = await wasmModuleFrom(source);
      const module = await createVectorpinCore({
        instantiateWasm(imports, receive) {
          WebAssembly.instantiate(compiled, imports).then((instance) => receive(instance, compiled));
          return {};
        },
        getRandomValue: randomWord,
      });
      wasm = module;
      errPtr = wasm._malloc(ERROR_BYTES + 16);
      slotPtr = errPtr + ERROR_BYTES;
      if (errPtr === 0) throw new Error('vectorpin-wasm: out of memory');
      const abiVersion = wasm._vectorpin_abi_version();
      // The wrapper speaks ABI 2 only (the argument order of vectorpin_pin_get
      // and vectorpin_pin_extra_at changed from ABI 1): a module of any other
      // ABI would be called with its arguments in the wrong places.
      if (abiVersion !== SUPPORTED_ABI)
        throw new Error(
          `vectorpin-wasm: the module has C ABI ${abiVersion}, this wrapper needs ABI ${SUPPORTED_ABI}; rebuild dist/ with scripts/build-wasm.sh from the same checkout`,
        );
      const names = {};
      for (let st = 0; st < STATUS_SCAN_LIMIT; st++) {
        const name = cString(wasm._vectorpin_status_name(st));
        if (name !== 'UNKNOWN_STATUS') names[name] = st;
      }
      Status = Object.freeze(names);
    })();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

function ready() {
  if (wasm === null) throw new Error('vectorpin-wasm: call `await init()` first');
}

function u8() {
  return wasm.HEAPU8;
}

function u32(ptr) {
  return wasm.HEAPU32[ptr >>> 2];
}

function cString(ptr) {
  const heap = u8();
  let end = ptr;
  while (heap[end] !== 0) end++;
  return decoder.decode(heap.subarray(ptr, end));
}

function text(ptr, len) {
  return decoder.decode(u8().subarray(ptr, ptr + len));
}

function bytesAt(ptr, len) {
  return u8().slice(ptr, ptr + len);
}

// ---- scratch memory ------------------------------------------------------------
// Arguments are placed in one reusable block: reserve() sizes it for the
// whole call first (growing it may move it), then put*() hands out pieces.

function reserve(bytes) {
  scratchUsed = 0;
  if (bytes <= scratchCap) return;
  const cap = Math.max(bytes, 2 * scratchCap, 64 * 1024);
  if (scratchPtr !== 0) wasm._free(scratchPtr);
  scratchPtr = wasm._malloc(cap);
  scratchCap = scratchPtr === 0 ? 0 : cap;
  if (scratchPtr === 0) throw makeError(105, 'out of memory'); // VECTORPIN_OUT_OF_MEMORY
}

function take(bytes, align = 8) {
  scratchUsed = (scratchUsed + align - 1) & ~(align - 1);
  const ptr = scratchPtr + scratchUsed;
  scratchUsed += bytes;
  return ptr;
}

// Upper bound of the bytes a text argument takes (UTF-8 of a JS string is at
// most three bytes per UTF-16 unit).
function textBound(value) {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string') return value.length * 3 + 8;
  return value.byteLength + 8;
}

// Returns [ptr, len]; ptr 0 for an absent value.
function putText(value, what) {
  if (value === undefined || value === null) return [0, 0];
  if (typeof value === 'string') {
    const ptr = take(value.length * 3 + 1, 1);
    const { written } = encoder.encodeInto(value, u8().subarray(ptr, ptr + value.length * 3));
    return [ptr, written];
  }
  const bytes = asBytes(value, what);
  const ptr = take(bytes.length + 1, 1);
  u8().set(bytes, ptr);
  return [ptr, bytes.length];
}

function asBytes(value, what) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw argumentError(`${what} must be a string or bytes`);
}

// ---- errors -----------------------------------------------------------------------

export function statusName(status) {
  ready();
  let name = statusNames.get(status);
  if (name === undefined) {
    name = cString(wasm._vectorpin_status_name(status));
    statusNames.set(status, name);
  }
  return name;
}

export function isVerificationFailure(status) {
  return Number.isInteger(status) && status >= 1 && status <= 12;
}

function makeError(status, detail, offset) {
  const code = statusNames.get(status) ?? (wasm ? statusName(status) : 'UNKNOWN_STATUS');
  const err = new Error(detail ? `${code}: ${detail}` : code);
  err.name = 'VectorPinError';
  err.code = code;
  err.status = status;
  if (detail) err.detail = detail;
  if (offset !== undefined && offset >= 0) err.offset = offset;
  return err;
}

function argumentError(message) {
  const err = new TypeError(message);
  err.code = 'INVALID_ARGUMENT';
  err.status = 100; // VECTORPIN_INVALID_ARGUMENT
  return err;
}

function lastDetail() {
  return cString(errPtr + 16);
}

function lastOffset() {
  const lo = u32(errPtr + 8);
  const hi = u32(errPtr + 12) | 0;
  return hi < 0 ? -1 : hi * 2 ** 32 + lo;
}

function check(status) {
  if (status !== 0) throw makeError(status, lastDetail(), lastOffset());
}

// ---- vectors -------------------------------------------------------------------------

/**
 * A vector in the module's own memory: pin() and verify() read it where it
 * is, without a copy. `array` is a fresh view each time memory has grown.
 */
export class WasmVector {
  #ptr;
  #length;
  #dtype;
  constructor(length, dtype = 'f32') {
    ready();
    if (!Number.isInteger(length) || length < 0) throw argumentError('length must be a non-negative integer');
    if (!(dtype in DTYPE)) throw argumentError("dtype must be 'f32' or 'f64'");
    this.#length = length;
    this.#dtype = dtype;
    this.#ptr = wasm._malloc(Math.max(1, length * (dtype === 'f32' ? 4 : 8)));
    if (this.#ptr === 0) throw makeError(105, 'out of memory'); // VECTORPIN_OUT_OF_MEMORY
  }
  get array() {
    this.#live();
    const Kind = this.#dtype === 'f32' ? Float32Array : Float64Array;
    return new Kind(wasm.HEAPU8.buffer, this.#ptr, this.#length);
  }
  get length() {
    return this.#length;
  }
  get dtype() {
    return this.#dtype;
  }
  get closed() {
    return this.#ptr === 0;
  }
  /** @internal */
  get pointer() {
    this.#live();
    return this.#ptr;
  }
  #live() {
    if (this.#ptr === 0) throw argumentError('the WasmVector is closed');
  }
  close() {
    if (this.#ptr !== 0) wasm._free(this.#ptr);
    this.#ptr = 0;
  }
  [Symbol.dispose]() {
    this.close();
  }
}

// Returns { bytes, dtype } for scratch sizing, or the in-place WasmVector.
function classifyVector(vector, vectorDtype, what = 'vector') {
  if (vector instanceof WasmVector) return { place: vector, dtype: vector.dtype, length: vector.length, bytes: 0 };
  if (vector instanceof Float32Array) return { array: vector, dtype: 'f32', length: vector.length, bytes: vector.byteLength };
  if (vector instanceof Float64Array) return { array: vector, dtype: 'f64', length: vector.length, bytes: vector.byteLength };
  if (Array.isArray(vector)) {
    return { array: Float64Array.from(vector), dtype: 'f64', length: vector.length, bytes: vector.length * 8 };
  }
  if (vector instanceof Uint8Array || vector instanceof ArrayBuffer || ArrayBuffer.isView(vector)) {
    const dtype = vectorDtype ?? 'f32';
    if (!(dtype in DTYPE)) throw argumentError("vectorDtype must be 'f32' or 'f64'");
    const raw = asBytes(vector, what);
    const width = dtype === 'f32' ? 4 : 8;
    if (raw.length % width !== 0) throw argumentError(`${what}: ${raw.length} bytes is not a whole number of ${dtype} elements`);
    return { raw, dtype, length: raw.length / width, bytes: raw.length };
  }
  throw argumentError(`${what} must be a Float32Array, Float64Array, bytes, an array of numbers or a WasmVector`);
}

// Places a classified vector; returns its pointer (0 for an empty one).
function putVector(v) {
  if (v.place) return v.place.pointer;
  const ptr = take(Math.max(v.bytes, 8), 8);
  if (v.raw) u8().set(v.raw, ptr);
  else if (v.dtype === 'f32') wasm.HEAPF32.set(v.array, ptr >>> 2);
  else wasm.HEAPF64.set(v.array, ptr >>> 3);
  return ptr;
}

function timestampText(ts) {
  if (ts instanceof Date) {
    if (Number.isNaN(ts.getTime())) throw argumentError('timestamp is an invalid Date');
    return `${ts.toISOString().slice(0, 19)}Z`;
  }
  return ts;
}

// ---- hashing -----------------------------------------------------------------------

/** "sha256:" + hex of SHA-256 of the NFC-normalized UTF-8 text. */
export function hashText(value) {
  ready();
  reserve(textBound(value) + HASH_STRING_BYTES + 8);
  const [ptr, len] = putText(value ?? '', 'text');
  const out = take(HASH_STRING_BYTES, 1);
  check(wasm._vectorpin_hash_text(out, HASH_STRING_BYTES, ptr, len, errPtr));
  return cString(out);
}

/** "sha256:" + hex of the vector's elements cast to `dtype`, little-endian. */
export function hashVector(vector, options) {
  ready();
  const opts = typeof options === 'string' ? { dtype: options } : options ?? {};
  const v = classifyVector(vector, opts.vectorDtype ?? opts.dtype);
  const dtype = opts.dtype ?? v.dtype;
  if (!(dtype in DTYPE)) throw argumentError("dtype must be 'f32' or 'f64'");
  reserve(v.bytes + HASH_STRING_BYTES + 16);
  const vptr = putVector(v);
  const out = take(HASH_STRING_BYTES, 1);
  const fn = v.dtype === 'f32' ? wasm._vectorpin_hash_vector_f32 : wasm._vectorpin_hash_vector_f64;
  check(fn(out, HASH_STRING_BYTES, vptr, v.length, DTYPE[dtype], errPtr));
  return cString(out);
}

function decodeKey(key, ptrOut) {
  const raw = typeof key === 'string' ? key : asBytes(key, 'publicKey');
  reserve(textBound(raw) + 8);
  const [ptr, len] = putText(raw, 'publicKey');
  check(wasm._vectorpin_public_key_decode(ptrOut, PUBLIC_KEY_BYTES, ptr, len, errPtr));
}

/** The fingerprint "xxxx:xxxx:xxxx:xxxx" (first 16 hex digits of SHA-256) of a public key given as bytes, base64url text or PEM. */
export function publicKeyFingerprint(key) {
  ready();
  const raw = typeof key === 'string' ? key : asBytes(key, 'publicKey');
  reserve(textBound(raw) + PUBLIC_KEY_BYTES + FINGERPRINT_BYTES + 16);
  const [ptr, len] = putText(raw, 'publicKey');
  const pk = take(PUBLIC_KEY_BYTES);
  check(wasm._vectorpin_public_key_decode(pk, PUBLIC_KEY_BYTES, ptr, len, errPtr));
  const out = take(FINGERPRINT_BYTES, 1);
  check(wasm._vectorpin_public_key_fingerprint(out, FINGERPRINT_BYTES, pk, PUBLIC_KEY_BYTES, errPtr));
  return cString(out);
}

/** The raw 32 bytes of a public key given as bytes, base64url text or PEM. */
export function decodePublicKey(key) {
  ready();
  const out = wasm._malloc(PUBLIC_KEY_BYTES);
  try {
    decodeKey(key, out);
    return bytesAt(out, PUBLIC_KEY_BYTES);
  } finally {
    wasm._free(out);
  }
}

// ---- pins --------------------------------------------------------------------------

const pinRegistry = new FinalizationRegistry((ptr) => wasm && wasm._vectorpin_pin_free(ptr));

export class Pin {
  #ptr;
  /** @internal */
  constructor(token, ptr) {
    if (token !== PIN_TOKEN) throw new TypeError('use Pin.parse() or Signer.pin()');
    this.#ptr = ptr;
    pinRegistry.register(this, ptr, this);
  }

  /** Parses pin JSON (string or UTF-8 bytes); throws PARSE_ERROR or UNSUPPORTED_VERSION. */
  static parse(json) {
    ready();
    reserve(textBound(json) + 8);
    const [ptr, len] = putText(json, 'pin JSON');
    check(wasm._vectorpin_pin_parse(slotPtr, ptr, len, errPtr));
    return new Pin(PIN_TOKEN, u32(slotPtr));
  }

  /** @internal */
  get pointer() {
    if (this.#ptr === 0) throw argumentError('the Pin is closed');
    return this.#ptr;
  }

  #field(field) {
    const st = wasm._vectorpin_pin_get(this.pointer, slotPtr, slotPtr + 4, field, errPtr);
    if (st === STATUS_NOT_FOUND) return null;
    check(st);
    return text(u32(slotPtr), u32(slotPtr + 4));
  }

  get version() {
    return wasm._vectorpin_pin_version(this.pointer);
  }
  get kid() {
    return this.#field(FIELD.kid);
  }
  get model() {
    return this.#field(FIELD.model);
  }
  get modelHash() {
    return this.#field(FIELD.modelHash);
  }
  get sourceHash() {
    return this.#field(FIELD.sourceHash);
  }
  get vecHash() {
    return this.#field(FIELD.vecHash);
  }
  get vecDtype() {
    return this.#field(FIELD.vecDtype);
  }
  get vecDim() {
    return wasm._vectorpin_pin_vec_dim(this.pointer);
  }
  get ts() {
    return this.#field(FIELD.ts);
  }
  get sig() {
    return this.#field(FIELD.sig);
  }
  /** The raw 64-byte signature. */
  get signature() {
    reserve(SIGNATURE_BYTES);
    const out = take(SIGNATURE_BYTES);
    check(wasm._vectorpin_pin_signature(this.pointer, out, SIGNATURE_BYTES, errPtr));
    return bytesAt(out, SIGNATURE_BYTES);
  }
  /** Entries in key byte order (a fresh null-prototype object). */
  get extra() {
    const out = Object.create(null);
    const n = wasm._vectorpin_pin_extra_count(this.pointer);
    for (let i = 0; i < n; i++) {
      check(wasm._vectorpin_pin_extra_at(this.#ptr, slotPtr, slotPtr + 4, slotPtr + 8, slotPtr + 12, i, errPtr));
      out[text(u32(slotPtr), u32(slotPtr + 4))] = text(u32(slotPtr + 8), u32(slotPtr + 12));
    }
    return out;
  }
  getExtra(key) {
    const extra = this.extra;
    return Object.prototype.hasOwnProperty.call(extra, key) ? extra[key] : null;
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
  get closed() {
    return this.#ptr === 0;
  }

  #allocated(fn) {
    check(fn(this.pointer, slotPtr, slotPtr + 4, errPtr));
    const ptr = u32(slotPtr);
    const len = u32(slotPtr + 4);
    try {
      return bytesAt(ptr, len);
    } finally {
      wasm._vectorpin_free(ptr);
    }
  }
  /** The exact bytes the signature covers. */
  signedBytes() {
    return this.#allocated(wasm._vectorpin_pin_signed_bytes);
  }
  /** The wire form (sorted keys, no whitespace, raw UTF-8). */
  toString() {
    return decoder.decode(this.#allocated(wasm._vectorpin_pin_to_json));
  }
  toJSON() {
    return JSON.parse(this.toString());
  }
  close() {
    if (this.#ptr !== 0) {
      pinRegistry.unregister(this);
      wasm._vectorpin_pin_free(this.#ptr);
      this.#ptr = 0;
    }
  }
  [Symbol.dispose]() {
    this.close();
  }
}
const PIN_TOKEN = Symbol('pin');

// ---- signers -------------------------------------------------------------------------

const signerRegistry = new FinalizationRegistry((ptr) => wasm && wasm._vectorpin_signer_free(ptr));

export class Signer {
  #ptr;
  /** @internal */
  constructor(token, ptr) {
    if (token !== SIGNER_TOKEN) throw new TypeError('use Signer.generate(), Signer.fromSeed() or Signer.fromPrivateKey()');
    this.#ptr = ptr;
    signerRegistry.register(this, ptr, this);
  }

  /** A fresh key from crypto.getRandomValues. */
  static generate(kid) {
    ready();
    reserve(textBound(kid));
    const [k, klen] = putText(kid, 'kid');
    check(wasm._vectorpin_signer_generate(slotPtr, k, klen, errPtr));
    return new Signer(SIGNER_TOKEN, u32(slotPtr));
  }

  /** From a 32-byte Ed25519 seed; the module keeps its own copy and wipes the one it was passed. */
  static fromSeed(kid, seed) {
    return Signer.#fromKeyBytes(wasm?._vectorpin_signer_from_seed, kid, asBytes(seed, 'seed'));
  }

  /** From a private key file's contents: the raw 32-byte seed or a PKCS#8 PEM. */
  static fromPrivateKey(kid, privateKey) {
    const bytes = typeof privateKey === 'string' ? encoder.encode(privateKey) : asBytes(privateKey, 'privateKey');
    return Signer.#fromKeyBytes(wasm?._vectorpin_signer_from_private_key, kid, bytes);
  }

  static #fromKeyBytes(fn, kid, bytes) {
    ready();
    reserve(textBound(kid) + bytes.length + 16);
    const [k, klen] = putText(kid, 'kid');
    const [s, slen] = putText(bytes, 'key');
    try {
      check(fn(slotPtr, k, klen, s, slen, errPtr));
    } finally {
      u8().fill(0, s, s + slen); // the key bytes must not linger in the scratch block
    }
    return new Signer(SIGNER_TOKEN, u32(slotPtr));
  }

  get #live() {
    if (this.#ptr === 0) throw argumentError('the Signer is closed');
    return this.#ptr;
  }
  get kid() {
    check(wasm._vectorpin_signer_kid(this.#live, slotPtr, slotPtr + 4, errPtr));
    return text(u32(slotPtr), u32(slotPtr + 4));
  }
  get keyId() {
    return this.kid;
  }
  get publicKey() {
    reserve(PUBLIC_KEY_BYTES);
    const out = take(PUBLIC_KEY_BYTES);
    check(wasm._vectorpin_signer_public_key(this.#live, out, PUBLIC_KEY_BYTES, errPtr));
    return bytesAt(out, PUBLIC_KEY_BYTES);
  }
  publicKeyBytes() {
    return this.publicKey;
  }
  get fingerprint() {
    reserve(32);
    const out = take(32, 1);
    check(wasm._vectorpin_signer_fingerprint(this.#live, out, 32, errPtr));
    return cString(out);
  }
  get closed() {
    return this.#ptr === 0;
  }

  /** Signs a pin; the options are those of the Node binding's Signer#pin. */
  pin(options) {
    const signer = this.#live;
    if (options === null || typeof options !== 'object') throw argumentError('pin() takes an options object');
    const { source, model, vector } = options;
    if (source === undefined || model === undefined || vector === undefined) {
      throw argumentError('pin() needs source, model and vector');
    }
    const v = classifyVector(vector, options.vectorDtype ?? options.dtype);
    const extra = extraEntries(options);
    const ts = options.timestamp === undefined ? undefined : timestampText(options.timestamp);
    let bound = textBound(source) + textBound(model) + v.bytes + textBound(options.modelHash) + textBound(ts) + 64;
    for (const [key, value] of extra) bound += textBound(key) + textBound(value);
    reserve(bound);
    const [s, slen] = putText(source, 'source');
    const [m, mlen] = putText(model, 'model');
    const vptr = putVector(v);
    check(wasm._vectorpin_pin_options_new(slotPtr + 8, errPtr));
    const opts = u32(slotPtr + 8);
    try {
      if (options.protocol !== undefined) check(wasm._vectorpin_pin_options_set_protocol(opts, options.protocol, errPtr));
      if (options.dtype !== undefined) {
        if (!(options.dtype in DTYPE)) throw argumentError("dtype must be 'f32' or 'f64'");
        check(wasm._vectorpin_pin_options_set_dtype(opts, DTYPE[options.dtype], errPtr));
      }
      if (options.modelHash !== undefined && options.modelHash !== null) {
        const [h, hlen] = putText(options.modelHash, 'modelHash');
        check(wasm._vectorpin_pin_options_set_model_hash(opts, h, hlen, errPtr));
      }
      if (ts !== undefined) {
        const [t, tlen] = putText(ts, 'timestamp');
        check(wasm._vectorpin_pin_options_set_timestamp(opts, t, tlen, errPtr));
      }
      for (const [key, value] of extra) {
        const [kp, kl] = putText(key, 'extra key');
        const [vp, vl] = putText(value, 'extra value');
        check(wasm._vectorpin_pin_options_set_extra(opts, kp, kl, vp, vl, errPtr));
      }
      const fn = v.dtype === 'f32' ? wasm._vectorpin_signer_pin_f32 : wasm._vectorpin_signer_pin_f64;
      check(fn(signer, slotPtr, s, slen, m, mlen, vptr, v.length, opts, errPtr));
      return new Pin(PIN_TOKEN, u32(slotPtr));
    } finally {
      wasm._vectorpin_pin_options_free(opts);
    }
  }

  close() {
    if (this.#ptr !== 0) {
      signerRegistry.unregister(this);
      wasm._vectorpin_signer_free(this.#ptr);
      this.#ptr = 0;
    }
  }
  [Symbol.dispose]() {
    this.close();
  }
}
const SIGNER_TOKEN = Symbol('signer');

function extraEntries(options) {
  const entries = [];
  const extra = options.extra;
  if (extra instanceof Map) entries.push(...extra);
  else if (extra !== undefined && extra !== null) entries.push(...Object.entries(extra));
  if (options.recordId !== undefined) entries.push(['vectorpin.record_id', options.recordId]);
  if (options.collectionId !== undefined) entries.push(['vectorpin.collection_id', options.collectionId]);
  if (options.tenantId !== undefined) entries.push(['vectorpin.tenant_id', options.tenantId]);
  for (const [key, value] of entries) {
    if (typeof key !== 'string' || typeof value !== 'string') throw argumentError('extra keys and values must be strings');
  }
  return entries;
}

// ---- verifiers -----------------------------------------------------------------------

const verifierRegistry = new FinalizationRegistry((ptr) => wasm && wasm._vectorpin_verifier_free(ptr));
const OK_RESULT = Object.freeze({ ok: true, error: null, detail: null, status: 0 });

export class Verifier {
  #ptr;
  #legacy = false;

  /**
   * keys: { kid: publicKey | { publicKey, validFrom, validUntil } } or a Map;
   * options.legacyV1 accepts protocol v1 pins.
   */
  constructor(keys, options = {}) {
    ready();
    check(wasm._vectorpin_verifier_new(slotPtr, errPtr));
    this.#ptr = u32(slotPtr);
    verifierRegistry.register(this, this.#ptr, this);
    try {
      const entries = keys instanceof Map ? [...keys] : keys ? Object.entries(keys) : [];
      for (const [kid, entry] of entries) {
        if (typeof entry === 'object' && entry !== null && !(entry instanceof Uint8Array) && !(entry instanceof ArrayBuffer)) {
          this.addKey(kid, entry.publicKey, { validFrom: entry.validFrom, validUntil: entry.validUntil });
        } else {
          this.addKey(kid, entry);
        }
      }
      if (options.legacyV1) this.legacyV1 = true;
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** `{ "<kid>": { "public_key": "...", "valid_from": ts|null, "valid_until": ts|null } }` */
  static fromRegistry(json, options = {}) {
    const v = new Verifier(null, options);
    try {
      return v.loadRegistry(json);
    } catch (err) {
      v.close();
      throw err;
    }
  }

  get #live() {
    if (this.#ptr === 0) throw argumentError('the Verifier is closed');
    return this.#ptr;
  }

  addKey(kid, publicKey, options = {}) {
    const verifier = this.#live;
    if (typeof kid !== 'string') throw argumentError('kid must be a string');
    const from = options.validFrom == null ? undefined : timestampText(options.validFrom);
    const until = options.validUntil == null ? undefined : timestampText(options.validUntil);
    const key = wasm._malloc(PUBLIC_KEY_BYTES);
    try {
      decodeKey(publicKey, key);
      reserve(textBound(kid) + textBound(from) + textBound(until));
      const [k, klen] = putText(kid, 'kid');
      const [f, flen] = putText(from, 'validFrom');
      const [u, ulen] = putText(until, 'validUntil');
      check(wasm._vectorpin_verifier_add_key(verifier, k, klen, key, PUBLIC_KEY_BYTES, f, flen, u, ulen, errPtr));
    } finally {
      wasm._free(key);
    }
    return this;
  }

  loadRegistry(json) {
    const verifier = this.#live;
    reserve(textBound(json));
    const [p, len] = putText(json, 'registry');
    check(wasm._vectorpin_verifier_load_registry(verifier, p, len, errPtr));
    return this;
  }

  get legacyV1() {
    return this.#legacy;
  }
  set legacyV1(enabled) {
    check(wasm._vectorpin_verifier_set_legacy_v1(this.#live, enabled ? 1 : 0, errPtr));
    this.#legacy = Boolean(enabled);
  }
  get keyCount() {
    return wasm._vectorpin_verifier_key_count(this.#live);
  }
  /**
   * How many of this verifier's keys may get a table that makes their later
   * verifications several times faster (about 143 KiB of the module's memory
   * each, built on a key's first use, kept until close()). Keys past the
   * limit verify without one, with the same answers, more slowly. Default
   * 128; 0 prepares none. A limit applies to tables built afterwards:
   * lowering it frees nothing.
   */
  get preparedKeyLimit() {
    return wasm._vectorpin_verifier_prepared_key_limit(this.#live) >>> 0;
  }
  set preparedKeyLimit(limit) {
    // size_t is 32 bits in wasm32.
    if (!Number.isInteger(limit) || limit < 0 || limit > 0xffffffff) {
      throw argumentError('preparedKeyLimit must be an integer from 0 to 4294967295');
    }
    check(wasm._vectorpin_verifier_set_prepared_key_limit(this.#live, limit >>> 0, errPtr));
  }
  get preparedKeyCount() {
    return wasm._vectorpin_verifier_prepared_key_count(this.#live) >>> 0;
  }
  get closed() {
    return this.#ptr === 0;
  }

  /**
   * Verifies a pin (Pin, JSON string or UTF-8 bytes). Outcomes are results,
   * not exceptions: { ok, error, detail, status }.
   */
  verify(pin, options = {}) {
    const verifier = this.#live;
    const isPin = pin instanceof Pin;
    if (!isPin && typeof pin !== 'string' && !(pin instanceof Uint8Array)) {
      throw argumentError('pin must be a Pin, a JSON string or UTF-8 bytes');
    }
    const expectations = [];
    if (options.expectedModel !== undefined) expectations.push([EXPECT.model, options.expectedModel]);
    if (options.expectedRecordId !== undefined) expectations.push([EXPECT.recordId, options.expectedRecordId]);
    if (options.expectedCollectionId !== undefined) expectations.push([EXPECT.collectionId, options.expectedCollectionId]);
    if (options.expectedTenantId !== undefined) expectations.push([EXPECT.tenantId, options.expectedTenantId]);
    const v = options.vector === undefined ? null : classifyVector(options.vector, options.vectorDtype ?? (isPin ? pin.vecDtype : undefined));
    let bound = (isPin ? 0 : textBound(pin)) + textBound(options.source) + (v ? v.bytes : 0) + 32;
    for (const [, value] of expectations) bound += textBound(value);
    reserve(bound);
    const [jp, jlen] = isPin ? [0, 0] : putText(pin, 'pin');
    const [sp, slen] = putText(options.source, 'source');
    const vptr = v ? putVector(v) : 0;
    let exp = 0;
    try {
      if (expectations.length > 0) {
        check(wasm._vectorpin_expectations_new(slotPtr, errPtr));
        exp = u32(slotPtr);
        for (const [which, value] of expectations) {
          if (typeof value !== 'string') throw argumentError('expected values must be strings');
          const [p, len] = putText(value, 'expectation');
          check(wasm._vectorpin_expectations_set(exp, which, p, len, errPtr));
        }
      }
      const f64 = v !== null && v.dtype === 'f64';
      const dim = v ? v.length : 0;
      let st;
      if (isPin) {
        st = (f64 ? wasm._vectorpin_verify_f64 : wasm._vectorpin_verify_f32)(verifier, pin.pointer, sp, slen, vptr, dim, exp, errPtr);
      } else {
        st = (f64 ? wasm._vectorpin_verify_json_f64 : wasm._vectorpin_verify_json_f32)(verifier, jp, jlen, sp, slen, vptr, dim, exp, errPtr);
      }
      if (st === 0) return OK_RESULT;
      if (!isVerificationFailure(st)) throw makeError(st, lastDetail(), lastOffset());
      return { ok: false, error: statusName(st), detail: lastDetail(), status: st };
    } finally {
      if (exp !== 0) wasm._vectorpin_expectations_free(exp);
    }
  }

  close() {
    if (this.#ptr !== 0) {
      verifierRegistry.unregister(this);
      wasm._vectorpin_verifier_free(this.#ptr);
      this.#ptr = 0;
    }
  }
  [Symbol.dispose]() {
    this.close();
  }
}

/** The library's version text, e.g. "0.1.0" (after init). */
export function version() {
  ready();
  return cString(wasm._vectorpin_version_string());
}

export default init;
