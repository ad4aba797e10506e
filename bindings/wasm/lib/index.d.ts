// Type declarations for vectorpin-wasm (libvectorpin compiled to WebAssembly).
// The API follows the Node binding (vectorpin-native) where the runtime
// allows: the same classes, options and result objects; no file access,
// no threads, and an explicit `await init()` before the first call.

/** Element type of a vector as the protocol names it. */
export type Dtype = 'f32' | 'f64';

/**
 * A vector. Float32Array/Float64Array and bytes (packed little-endian
 * elements of `vectorDtype`, default 'f32') are copied once into the
 * module's memory per call; a WasmVector already lives there and is read in
 * place; a plain array of numbers is taken as f64.
 */
export type VectorInput = Float32Array | Float64Array | Uint8Array | ArrayBuffer | DataView | WasmVector | readonly number[];

/** Text as a string (encoded as UTF-8) or as UTF-8 bytes. */
export type TextInput = string | Uint8Array;

/** A public key: 32 raw bytes, base64url text, or an SPKI PEM (text or bytes). */
export type PublicKeyInput = Uint8Array | ArrayBuffer | string;

/** A timestamp: canonical `YYYY-MM-DDTHH:MM:SSZ` text, or a Date (truncated to the second). */
export type TimestampInput = string | Date;

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
export type VerificationError = Exclude<
  StatusName,
  | 'OK'
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
  | 'INTERNAL_ERROR'
>;

/** Status numbers by name, read from the module by init() (empty before). */
export declare let Status: Readonly<Record<StatusName, number>>;

/** What every error thrown by this package carries besides `message`. */
export interface VectorPinError extends Error {
  code: StatusName;
  status: number;
  /** The library's sanitized message (absent on argument-type errors). */
  detail?: string;
  /** Byte offset in the input where the problem was found, when known. */
  offset?: number;
}

export type VerifyResult =
  | { ok: true; error: null; detail: null; status: 0 }
  | { ok: false; error: VerificationError; detail: string; status: number };

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
  modelHash?: string;
  /** Default: the time of signing. */
  timestamp?: TimestampInput;
  extra?: Record<string, string> | Map<string, string>;
  recordId?: string;
  collectionId?: string;
  tenantId?: string;
}

export interface VerifyOptions {
  source?: TextInput;
  vector?: VectorInput;
  /** Element type of a vector given as bytes; default: a Pin's vec_dtype, else 'f32'. */
  vectorDtype?: Dtype;
  expectedModel?: string;
  expectedRecordId?: string;
  expectedCollectionId?: string;
  expectedTenantId?: string;
}

export interface KeyEntry {
  publicKey: PublicKeyInput;
  /** Inclusive lower bound on the pin's `ts`. */
  validFrom?: TimestampInput | null;
  /** Exclusive upper bound on the pin's `ts`. */
  validUntil?: TimestampInput | null;
}

/**
 * Loads the module; await it once before any other call. `source`: a
 * WebAssembly.Module (as Cloudflare Workers import one), the .wasm bytes, a
 * Response, or a URL; default: dist/vectorpin-core.wasm next to the package.
 */
export default function init(source?: WebAssembly.Module | BufferSource | Response | URL | string): Promise<void>;
export declare function init(source?: WebAssembly.Module | BufferSource | Response | URL | string): Promise<void>;

/** A vector allocated in the module's memory, read in place by pin() and verify(). */
export declare class WasmVector {
  constructor(length: number, dtype?: Dtype);
  /** A view of the elements; take a fresh one after calls that may grow memory. */
  readonly array: Float32Array | Float64Array;
  readonly length: number;
  readonly dtype: Dtype;
  readonly closed: boolean;
  close(): void;
  [Symbol.dispose](): void;
}

export declare class Pin {
  private constructor();
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
  readonly sig: string;
  readonly signature: Uint8Array;
  readonly extra: Record<string, string>;
  readonly recordId: string | null;
  readonly collectionId: string | null;
  readonly tenantId: string | null;
  readonly closed: boolean;
  getExtra(key: string): string | null;
  signedBytes(): Uint8Array;
  toString(): string;
  toJSON(): Record<string, unknown>;
  close(): void;
  [Symbol.dispose](): void;
}

export declare class Signer {
  private constructor();
  /** A fresh key from crypto.getRandomValues. */
  static generate(kid: string): Signer;
  static fromSeed(kid: string, seed: Uint8Array | ArrayBuffer): Signer;
  /** Raw 32-byte seed or PKCS#8 PEM. */
  static fromPrivateKey(kid: string, privateKey: TextInput): Signer;
  readonly kid: string;
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  readonly fingerprint: string;
  readonly closed: boolean;
  publicKeyBytes(): Uint8Array;
  pin(options: PinOptions): Pin;
  close(): void;
  [Symbol.dispose](): void;
}

export declare class Verifier {
  constructor(
    keys?: Record<string, PublicKeyInput | KeyEntry> | Map<string, PublicKeyInput | KeyEntry> | null,
    options?: { legacyV1?: boolean },
  );
  static fromRegistry(json: TextInput, options?: { legacyV1?: boolean }): Verifier;
  addKey(kid: string, publicKey: PublicKeyInput, options?: { validFrom?: TimestampInput | null; validUntil?: TimestampInput | null }): this;
  loadRegistry(json: TextInput): this;
  legacyV1: boolean;
  readonly keyCount: number;
  /**
   * How many keys may get a table that speeds up their later verifications
   * (about 143 KiB each; default 128; 0 prepares none). Applies to tables
   * built afterwards; never changes an answer.
   */
  preparedKeyLimit: number;
  readonly preparedKeyCount: number;
  readonly closed: boolean;
  verify(pin: Pin | string | Uint8Array, options?: VerifyOptions): VerifyResult;
  close(): void;
  [Symbol.dispose](): void;
}

export declare function hashText(text: TextInput): string;
export declare function hashVector(vector: VectorInput, dtype?: Dtype | { dtype?: Dtype; vectorDtype?: Dtype }): string;
export declare function decodePublicKey(key: PublicKeyInput): Uint8Array;
/** "xxxx:xxxx:xxxx:xxxx": the first 16 hex digits of SHA-256 of the raw key. */
export declare function publicKeyFingerprint(key: PublicKeyInput): string;
export declare function statusName(status: number): StatusName | 'UNKNOWN_STATUS';
export declare function isVerificationFailure(status: number): boolean;
/** The library's version text (after init). */
export declare function version(): string;
