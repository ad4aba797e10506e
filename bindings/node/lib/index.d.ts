// Type declarations for vectorpin-native (the Node.js binding of libvectorpin).
/// <reference types="node" />

/** Element type of a vector as the protocol names it. */
export type Dtype = 'f32' | 'f64';

/**
 * A vector: Float32Array and Float64Array are used in place; bytes
 * (Uint8Array / Buffer / ArrayBuffer / DataView) hold packed little-endian
 * elements of `vectorDtype`; a plain array of numbers is copied as f64.
 */
export type VectorInput = Float32Array | Float64Array | Uint8Array | ArrayBuffer | DataView | readonly number[];

/** Text as a string (converted to UTF-8) or as UTF-8 bytes used in place. */
export type TextInput = string | Uint8Array;

/** A public key: 32 raw bytes, base64url text, or an SPKI PEM (text or bytes). */
export type PublicKeyInput = Uint8Array | ArrayBuffer | string;

/** A timestamp: canonical `YYYY-MM-DDTHH:MM:SSZ` text, or a Date (truncated to the second). */
export type TimestampInput = string | Date;

/** Status names, from the library's own table (`vectorpin_status_name`). */
export type StatusName =
  | 'OK'
  | 'UNSUPPORTED_VERSION'
  | 'UNKNOWN_KEY'
  | 'KEY_EXPIRED'
  | 'PARSE_ERROR'
  | 'SIGNATURE_INVALID'
  | 'VECTOR_TAMPERED'
  | 'SOURCE_MISMATCH'
  | 'MODEL_MISMATCH'
  | 'SHAPE_MISMATCH'
  | 'RECORD_MISMATCH'
  | 'COLLECTION_MISMATCH'
  | 'TENANT_MISMATCH'
  | 'INVALID_ARGUMENT'
  | 'INVALID_INPUT'
  | 'INVALID_KEY'
  | 'DUPLICATE_KEY_ID'
  | 'BUFFER_TOO_SMALL'
  | 'OUT_OF_MEMORY'
  | 'IO_ERROR'
  | 'FILE_EXISTS'
  | 'INSECURE_PERMISSIONS'
  | 'EXTERNAL_SIGNER_FAILED'
  | 'NOT_FOUND'
  | 'INTERNAL_ERROR';

/** The verification outcomes (status 1..12). */
export type VerificationError =
  | 'UNSUPPORTED_VERSION'
  | 'UNKNOWN_KEY'
  | 'KEY_EXPIRED'
  | 'PARSE_ERROR'
  | 'SIGNATURE_INVALID'
  | 'VECTOR_TAMPERED'
  | 'SOURCE_MISMATCH'
  | 'MODEL_MISMATCH'
  | 'SHAPE_MISMATCH'
  | 'RECORD_MISMATCH'
  | 'COLLECTION_MISMATCH'
  | 'TENANT_MISMATCH';

/** Status numbers by name. */
export declare const Status: Readonly<Record<StatusName, number>>;

/** What every error thrown by this package carries besides `message`. */
export interface VectorPinError extends Error {
  /** The status name, e.g. 'INVALID_KEY'. */
  code: StatusName;
  /** The status number, e.g. 102. */
  status: number;
  /** The library's sanitized message (absent on argument-type errors). */
  detail?: string;
  /** Byte offset in the input where the problem was found, when known. */
  offset?: number;
  /** For EXTERNAL_SIGNER_FAILED: what the sign function threw. */
  cause?: unknown;
}

export type VerifyResult =
  | { ok: true; error: null; detail: null; status: 0 }
  | { ok: false; error: VerificationError; detail: string; status: number };

/** A result of VerifyStream: the verification outcome and the id submit() returned. */
export type StreamResult = VerifyResult & { id: number };

export interface PinOptions {
  source: TextInput;
  model: string;
  vector: VectorInput;
  /** The dtype the vector is hashed as; default: the input's element type. */
  dtype?: Dtype;
  /** Element type of a vector given as bytes; default: `dtype`, else 'f32'. */
  vectorDtype?: Dtype;
  /** 2 (default) or 1 (legacy). */
  protocol?: 1 | 2;
  /** "sha256:" + 64 lowercase hex digits. */
  modelHash?: string;
  /** Default: the time of signing. */
  timestamp?: TimestampInput;
  extra?: Record<string, string> | Map<string, string>;
  /** Sets extra["vectorpin.record_id"]. */
  recordId?: string;
  /** Sets extra["vectorpin.collection_id"]. */
  collectionId?: string;
  /** Sets extra["vectorpin.tenant_id"]. */
  tenantId?: string;
}

export interface VerifyOptions {
  /** The source text to check against source_hash (omit to skip the check). */
  source?: TextInput;
  /** The vector to check against vec_hash (omit to skip the check). */
  vector?: VectorInput;
  /** Element type of a vector given as bytes; default: the pin's vec_dtype. */
  vectorDtype?: Dtype;
  expectedModel?: string;
  expectedRecordId?: string;
  expectedCollectionId?: string;
  expectedTenantId?: string;
}

export interface BatchItem extends VerifyOptions {
  pin: Pin | string | Uint8Array;
}

export interface KeyEntry {
  publicKey: PublicKeyInput;
  /** Inclusive lower bound on the pin's `ts`. */
  validFrom?: TimestampInput | null;
  /** Exclusive upper bound on the pin's `ts`. */
  validUntil?: TimestampInput | null;
}

/** Signs message bytes with the external key; must return the 64-byte signature synchronously. */
export type SignFunction = (message: Buffer) => Uint8Array;

export declare class Pin {
  private constructor();
  /** Parses pin JSON (string or UTF-8 bytes); throws PARSE_ERROR or UNSUPPORTED_VERSION. */
  static parse(json: TextInput): Pin;
  readonly version: 1 | 2;
  readonly kid: string;
  readonly model: string;
  readonly modelHash: string | null;
  readonly sourceHash: string;
  readonly vecHash: string;
  readonly vecDtype: Dtype;
  readonly vecDim: number;
  readonly ts: string;
  /** base64url text, as on the wire. */
  readonly sig: string;
  /** The raw 64-byte signature. */
  readonly signature: Buffer;
  /** Entries in key byte order (a fresh null-prototype object). */
  readonly extra: Record<string, string>;
  readonly recordId: string | null;
  readonly collectionId: string | null;
  readonly tenantId: string | null;
  readonly closed: boolean;
  getExtra(key: string): string | null;
  /** The exact bytes the signature covers. */
  signedBytes(): Buffer;
  /** The wire form (sorted keys, no whitespace, raw UTF-8). */
  toString(): string;
  /** The pin as a JSON object, for JSON.stringify. */
  toJSON(): Record<string, unknown>;
  close(): void;
  [Symbol.dispose](): void;
}

export declare class Signer {
  private constructor();
  static generate(kid: string): Signer;
  static fromSeed(kid: string, seed: Uint8Array | ArrayBuffer): Signer;
  /** Raw 32-byte seed or PKCS#8 PEM. */
  static fromPrivateKey(kid: string, privateKey: TextInput): Signer;
  /** The key id defaults to the file name without `.priv`. */
  static load(path: string, kid?: string, options?: { allowInsecurePermissions?: boolean }): Signer;
  static load(path: string, options: { allowInsecurePermissions?: boolean }): Signer;
  static external(kid: string, publicKey: PublicKeyInput, sign: SignFunction): Signer;
  readonly kid: string;
  /** Alias of `kid`. */
  readonly keyId: string;
  readonly publicKey: Buffer;
  readonly publicKeyPem: string;
  readonly fingerprint: string;
  readonly closed: boolean;
  /** Alias of `publicKey`. */
  publicKeyBytes(): Buffer;
  save(dir: string, options?: { pem?: boolean }): void;
  pin(options: PinOptions): Pin;
  close(): void;
  [Symbol.dispose](): void;
}

export declare class Verifier {
  constructor(
    keys?: Record<string, PublicKeyInput | KeyEntry> | Map<string, PublicKeyInput | KeyEntry> | null,
    options?: { legacyV1?: boolean },
  );
  /** `{ "<kid>": { "public_key": "...", "valid_from": ts|null, "valid_until": ts|null } }` */
  static fromRegistry(json: TextInput, options?: { legacyV1?: boolean }): Verifier;
  addKey(kid: string, publicKey: PublicKeyInput, options?: { validFrom?: TimestampInput | null; validUntil?: TimestampInput | null }): this;
  loadRegistry(json: TextInput): this;
  legacyV1: boolean;
  readonly keyCount: number;
  /**
   * How many keys may get a table that speeds up their later verifications
   * (`constants.PREPARED_KEY_BYTES` each; default `constants.DEFAULT_PREPARED_KEY_LIMIT`;
   * 0 prepares none). Applies to tables built afterwards; never changes an answer.
   */
  preparedKeyLimit: number;
  readonly preparedKeyCount: number;
  readonly closed: boolean;
  verify(pin: Pin | string | Uint8Array, options?: VerifyOptions): VerifyResult;
  /**
   * Verifies many pins in one blocking call on the library's worker threads
   * (`threads`: 0 = one per core, the default; 1 = this thread only).
   */
  verifyBatch(items: Iterable<BatchItem>, options?: { threads?: number }): VerifyResult[];
  /**
   * Verifies on libuv's thread pool, split into at most `threads` tasks
   * (default: UV_THREADPOOL_SIZE, else 4); inputs are captured when called.
   */
  verifyBatchAsync(items: Iterable<BatchItem>, options?: { threads?: number }): Promise<VerifyResult[]>;
  /** A streaming batch on `threads` library workers (0 = one per core, the default). */
  stream(options?: { threads?: number }): VerifyStream;
  close(): void;
  [Symbol.dispose](): void;
}

/** A streaming batch: submit items, collect results in submission order. */
export declare class VerifyStream implements AsyncIterable<StreamResult> {
  private constructor();
  /** Queues a verification (inputs copied at once); returns the id its result will carry. */
  submit(pin: Pin | string | Uint8Array, options?: VerifyOptions): number;
  /** The oldest result, or null if none is pending or (without wait) it is not ready. `wait` blocks the event loop. */
  next(options?: { wait?: boolean }): StreamResult | null;
  /** Waits on the thread pool for the oldest result; null when none is pending. */
  nextAsync(): Promise<StreamResult | null>;
  /** Results in submission order until none is pending. */
  results(): AsyncGenerator<StreamResult, void, undefined>;
  [Symbol.asyncIterator](): AsyncGenerator<StreamResult, void, undefined>;
  /** Items submitted and not yet collected. */
  readonly pending: number;
  readonly threads: number;
  readonly closed: boolean;
  /** Stops the workers and drops uncollected results; releases the verifier. */
  close(): void;
  [Symbol.dispose](): void;
}

export declare function hashText(text: TextInput): string;
export declare function hashVector(vector: VectorInput, dtype?: Dtype | { dtype?: Dtype; vectorDtype?: Dtype }): string;
export declare function sha256(data: TextInput): Buffer;
export declare function base64urlEncode(data: Uint8Array | ArrayBuffer): string;
export declare function base64urlDecode(text: TextInput): Buffer;
export declare function isValidTimestamp(ts: unknown): boolean;
export declare function timestampNow(): string;
/** Raw 32 bytes of a key given in any accepted form; weak keys throw INVALID_KEY. */
export declare function decodePublicKey(key: PublicKeyInput): Buffer;
export declare function publicKeyFingerprint(key: PublicKeyInput): string;
export declare function publicKeyPem(key: PublicKeyInput): string;
export declare function statusName(status: number): StatusName | 'UNKNOWN_STATUS';
export declare function isVerificationFailure(status: number): boolean;

export declare const version: string;
export declare const versionNumber: number;
export declare const abiVersion: number;
export declare const protocolVersion: number;
export declare const constants: Readonly<{
  PUBLIC_KEY_BYTES: number;
  SEED_BYTES: number;
  SIGNATURE_BYTES: number;
  MAX_PIN_JSON_BYTES: number;
  MAX_VEC_DIM: number;
  MAX_EXTRA_ENTRIES: number;
  MAX_EXTRA_KEY_BYTES: number;
  MAX_EXTRA_VALUE_BYTES: number;
  BATCH_MAX_THREADS: number;
  DEFAULT_PREPARED_KEY_LIMIT: number;
  PREPARED_KEY_BYTES: number;
}>;
/** Where the loaded vectorpin.node came from. */
export declare const addonPath: string;
