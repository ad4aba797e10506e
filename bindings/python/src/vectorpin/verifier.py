"""Verification (PROTOCOL.md section 5): `Verifier`, `LegacyV1Verifier`,
`KeyEntry`, `VerifyError`, `VerificationResult`, and batch verification."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Iterable, Iterator, Mapping, NamedTuple, Sequence

from vectorpin._native import (batch_next_result, call, check, error_detail, ffi, lib,
                               new_error, raise_error, status_name, text_arg)
from vectorpin._vectors import NotOneDimensional, as_native
from vectorpin.attestation import _ALL_VERSIONS, Pin
from vectorpin.signer import canonical_timestamp

__all__ = ["DEFAULT_PREPARED_KEY_LIMIT", "PREPARED_KEY_BYTES", "VerifyError", "VerificationResult", "KeyEntry",
           "Verifier", "LegacyV1Verifier", "BatchItem", "BatchStream", "public_key_fingerprint"]


class VerifyError(Enum):
    """Distinct outcomes callers can route on; the values are upstream's."""

    OK = "ok"
    UNKNOWN_KEY = "unknown_key"
    UNSUPPORTED_VERSION = "unsupported_version"
    KEY_EXPIRED = "key_expired"
    PARSE_ERROR = "parse_error"
    SIGNATURE_INVALID = "signature_invalid"
    VECTOR_TAMPERED = "vector_tampered"
    SOURCE_MISMATCH = "source_mismatch"
    MODEL_MISMATCH = "model_mismatch"
    SHAPE_MISMATCH = "shape_mismatch"
    RECORD_MISMATCH = "record_mismatch"
    COLLECTION_MISMATCH = "collection_mismatch"
    TENANT_MISMATCH = "tenant_mismatch"


@dataclass(frozen=True)
class VerificationResult:
    """Truthy iff verification succeeded. `detail` says why it failed; it never
    quotes more than 64 characters of the checked data."""

    ok: bool
    error: VerifyError
    detail: str = ""

    def __bool__(self) -> bool:
        return self.ok


_OK = VerificationResult(True, VerifyError.OK)

#: A new Verifier's `prepared_key_limit`.
DEFAULT_PREPARED_KEY_LIMIT: int = int(lib.vectorpin_default_prepared_key_limit())
#: The memory one prepared key takes, in bytes.
PREPARED_KEY_BYTES: int = int(lib.vectorpin_prepared_key_bytes())


def _result(code: int, err: Any) -> VerificationResult:
    if code == lib.VECTORPIN_OK:
        return _OK
    if not lib.vectorpin_status_is_verification_failure(code):
        raise_error(code, err)
    return VerificationResult(False, VerifyError[status_name(code)], error_detail(err))


def _public_key_bytes(key: Any) -> bytes:
    if hasattr(key, "public_bytes_raw"):  # a `cryptography` Ed25519PublicKey
        key = key.public_bytes_raw()
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, (bytes, bytearray, memoryview)):
        raise TypeError("a public key is 32 raw bytes, base64url text, a PEM, or a KeyEntry")
    data = bytes(key)
    out = ffi.new("uint8_t[32]")
    err = new_error()
    check(lib.vectorpin_public_key_decode(out, 32, data, len(data), err), err, "public key")
    return bytes(out)


def public_key_fingerprint(key: Any) -> str:
    """"xxxx:xxxx:xxxx:xxxx": the first 16 hex digits of SHA-256 of the raw
    public key, how operators name a key out of band."""
    raw = _public_key_bytes(key)
    out = ffi.new("char[]", lib.VECTORPIN_FINGERPRINT_BUFFER_BYTES)
    err = new_error()
    check(lib.vectorpin_public_key_fingerprint(out, len(out), raw, len(raw), err), err)
    return ffi.string(out).decode("ascii")


def _bound(value: datetime | str | None, name: str) -> bytes | None:
    """Window bounds in whole seconds. Pins carry whole-second timestamps, so
    a bound with a fraction moves up to the next second: `ts >= 12:00:00.5`
    and `ts >= 12:00:01` admit the same pins, and so do `ts < 12:00:00.5` and
    `ts < 12:00:01`."""
    if value is None:
        return None
    if isinstance(value, datetime) and value.microsecond:
        value = value.replace(microsecond=0) + timedelta(seconds=1)
    return canonical_timestamp(value, name).encode("ascii", "replace")


@dataclass(frozen=True)
class KeyEntry:
    """A registered public key with an optional validity window on the pin's
    `ts`: `valid_from` inclusive, `valid_until` exclusive (timezone-aware
    datetimes, or canonical YYYY-MM-DDTHH:MM:SSZ strings)."""

    public_key: Any
    valid_from: datetime | str | None = None
    valid_until: datetime | str | None = None


class BatchItem(NamedTuple):
    """One verification of `Verifier.verify_batch` / `BatchStream.submit`."""

    pin: Pin | str | bytes
    source: str | bytes | None = None
    vector: Any = None
    expected_model: str | None = None
    expected_record_id: str | None = None
    expected_collection_id: str | None = None
    expected_tenant_id: str | None = None


class _Prepared(NamedTuple):
    pin_json: bytes
    source: bytes | None
    vector: Any  # NativeVector or None
    expectations: Any  # cdata or NULL
    shape_error: str | None


class _ExpectationCache:
    """Expectation handles shared by every item with the same values."""

    def __init__(self) -> None:
        self._handles: dict[tuple, Any] = {}

    def get(self, model: str | None, record_id: str | None, collection_id: str | None,
            tenant_id: str | None) -> Any:
        key = (model, record_id, collection_id, tenant_id)
        if key == (None, None, None, None):
            return ffi.NULL
        handle = self._handles.get(key)
        if handle is None:
            out = ffi.new("vectorpin_expectations **")
            err = new_error()
            check(lib.vectorpin_expectations_new(out, err), err)
            handle = ffi.gc(out[0], lib.vectorpin_expectations_free)
            for which, value in ((lib.VECTORPIN_EXPECT_MODEL, model), (lib.VECTORPIN_EXPECT_RECORD_ID, record_id),
                                 (lib.VECTORPIN_EXPECT_COLLECTION_ID, collection_id),
                                 (lib.VECTORPIN_EXPECT_TENANT_ID, tenant_id)):
                if value is not None:
                    data = text_arg(value, "expectation")
                    check(lib.vectorpin_expectations_set(handle, which, data, len(data), err), err, "expectation")
            if len(self._handles) < 4096:
                self._handles[key] = handle
        return handle


class _SharedExclusive:
    """Many verifications at once, or one key change alone: the library lets a
    verifier be shared by threads only while its keys do not change."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: self._readers == 0)
            yield


class Verifier:
    """Verifies pins against a registry of public keys (kid -> raw 32-byte key,
    base64url text, PEM, or `KeyEntry` with a validity window). Accepts
    protocol v2 only unless `accept_v1_legacy=True` (or `LegacyV1Verifier`).
    Safe to share between threads; verification releases the GIL."""

    def __init__(self, public_keys: Mapping[str, Any] | None = None, *, accept_v1_legacy: bool = False):
        out = ffi.new("vectorpin_verifier **")
        err = new_error()
        check(lib.vectorpin_verifier_new(out, err), err)
        self._handle = ffi.gc(out[0], lib.vectorpin_verifier_free)
        self._lock = _SharedExclusive()
        self._legacy = bool(accept_v1_legacy)
        if accept_v1_legacy:
            self._set_legacy(True)
        for kid, key in (public_keys or {}).items():
            self.add_key(kid, key)

    def _set_legacy(self, enabled: bool) -> None:
        call(lib.vectorpin_verifier_set_legacy_v1, self._handle, 1 if enabled else 0)

    @classmethod
    def from_registry_json(cls, text: str | bytes, *, accept_v1_legacy: bool = False) -> Verifier:
        """From a registry document: {"<kid>": {"public_key": "...",
        "valid_from": ts|null, "valid_until": ts|null}, ...} (all or nothing)."""
        verifier = cls({}, accept_v1_legacy=accept_v1_legacy)
        data = text_arg(text, "registry")
        err = new_error()
        check(lib.vectorpin_verifier_load_registry(verifier._handle, data, len(data), err), err, "registry")
        return verifier

    def add_key(self, kid: str, key: Any, *, valid_from: datetime | str | None = None,
                valid_until: datetime | str | None = None) -> None:
        """Registers a key (during rotation, say). A kid already registered is
        refused (DUPLICATE_KEY_ID) rather than silently replaced."""
        if isinstance(key, KeyEntry):
            valid_from = valid_from if valid_from is not None else key.valid_from
            valid_until = valid_until if valid_until is not None else key.valid_until
            key = key.public_key
        raw = _public_key_bytes(key)
        k = text_arg(kid, "kid")
        lo, hi = _bound(valid_from, "valid_from"), _bound(valid_until, "valid_until")
        err = new_error()
        with self._lock.exclusive():
            check(lib.vectorpin_verifier_add_key(self._handle, k, len(k), raw, 32,
                                                 lo if lo is not None else ffi.NULL, len(lo or b""),
                                                 hi if hi is not None else ffi.NULL, len(hi or b""), err),
                  err, f"key {kid[:64]!r}")

    @property
    def key_count(self) -> int:
        return int(lib.vectorpin_verifier_key_count(self._handle))

    @property
    def prepared_key_limit(self) -> int:
        """How many of this verifier's keys may get a table that makes their
        later verifications several times faster (`PREPARED_KEY_BYTES` each,
        built on a key's first use, kept for the verifier's life). Keys past
        the limit verify without one, with the same answers, more slowly.
        Defaults to `DEFAULT_PREPARED_KEY_LIMIT`; 0 prepares none. A new limit
        applies to tables built afterwards: lowering it frees nothing."""
        return int(lib.vectorpin_verifier_prepared_key_limit(self._handle))

    @prepared_key_limit.setter
    def prepared_key_limit(self, limit: int) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise TypeError("prepared_key_limit must be an int")
        if limit < 0 or limit > 2**63 - 1:
            raise ValueError("prepared_key_limit must be from 0 to 2**63 - 1")
        call(lib.vectorpin_verifier_set_prepared_key_limit, self._handle, limit)

    @property
    def prepared_key_count(self) -> int:
        """How many keys have been prepared so far."""
        return int(lib.vectorpin_verifier_prepared_key_count(self._handle))

    def _prepare(self, pin: Any, source: Any, vector: Any, cache: _ExpectationCache, model: Any, record_id: Any,
                 collection_id: Any, tenant_id: Any) -> _Prepared:
        if isinstance(pin, Pin):
            pin_json = pin.to_json_bytes()
            dtype = pin.header.vec_dtype
        elif isinstance(pin, (str, bytes, bytearray, memoryview)):
            pin_json = text_arg(pin, "pin")
            dtype = "f64"
        else:
            raise TypeError(f"pin must be a Pin or pin JSON, not {type(pin).__name__}")
        src = None if source is None else text_arg(source, "source")
        native = None
        shape_error = None
        if vector is not None:
            try:
                native = as_native(vector, dtype)
            except NotOneDimensional as exc:
                shape_error = str(exc)
        if shape_error is not None:
            # Such a vector cannot be the pin's: only the checks that come before
            # the vector's in the protocol's order run, and if they pass the
            # result is SHAPE_MISMATCH.
            return _Prepared(pin_json, None, None, ffi.NULL, shape_error)
        expectations = cache.get(model, record_id, collection_id, tenant_id)
        return _Prepared(pin_json, src, native, expectations, None)

    def verify(self, pin: Pin | str | bytes, *, source: str | bytes | None = None, vector: Any = None,
               expected_model: str | None = None, expected_record_id: str | None = None,
               expected_collection_id: str | None = None,
               expected_tenant_id: str | None = None) -> VerificationResult:
        """Checks, in the protocol's order, the version, the key and its window,
        the signature, then whatever ground truth is supplied: the vector, the
        source, the model, and the record / collection / tenant ids. The first
        failure is the result. `pin` may also be pin JSON, whose parse errors
        are results too. Never raises for a verification failure."""
        cache = _ExpectationCache()
        p = self._prepare(pin, source, vector, cache, expected_model, expected_record_id, expected_collection_id,
                          expected_tenant_id)
        err = new_error()
        with self._lock.shared():
            result = self._call(pin, p, err)
        if result.ok and p.shape_error is not None:
            return VerificationResult(False, VerifyError.SHAPE_MISMATCH, p.shape_error)
        return result

    def _call(self, pin: Any, p: _Prepared, err: Any) -> VerificationResult:
        src = p.source if p.source is not None else ffi.NULL
        src_len = len(p.source) if p.source is not None else 0
        v = p.vector
        if isinstance(pin, Pin):
            fn = lib.vectorpin_verify_f64 if v is not None and v.is_f64 else lib.vectorpin_verify_f32
            code = fn(self._handle, pin.native_handle, src, src_len, v.pointer if v else ffi.NULL,
                      v.dim if v else 0, p.expectations, err)
        else:
            fn = lib.vectorpin_verify_json_f64 if v is not None and v.is_f64 else lib.vectorpin_verify_json_f32
            code = fn(self._handle, p.pin_json, len(p.pin_json), src, src_len, v.pointer if v else ffi.NULL,
                      v.dim if v else 0, p.expectations, err)
        return _result(code, err)

    def verify_batch(self, items: Iterable[BatchItem | Sequence[Any]], *, threads: int = 0
                     ) -> list[VerificationResult]:
        """Verifies many items on `threads` native threads (0: one per core) in
        one call, without the GIL; results in item order, each exactly what
        `verify` gives for the same item."""
        if not 0 <= threads <= lib.VECTORPIN_BATCH_MAX_THREADS:
            raise ValueError(f"threads must be 0..{lib.VECTORPIN_BATCH_MAX_THREADS}")
        batch = [item if isinstance(item, BatchItem) else BatchItem(*item) for item in items]
        if not batch:
            return []
        cache = _ExpectationCache()
        prepared = [self._prepare(b.pin, b.source, b.vector, cache, b.expected_model, b.expected_record_id,
                                  b.expected_collection_id, b.expected_tenant_id) for b in batch]
        n = len(prepared)
        c_items = ffi.new("vectorpin_batch_item[]", n)
        results = ffi.new("vectorpin_error[]", n)
        for i, p in enumerate(prepared):
            it = c_items[i]
            it.version = lib.VECTORPIN_BATCH_ITEM_VERSION
            it.pin_json = ffi.from_buffer(p.pin_json)
            it.pin_json_len = len(p.pin_json)
            if p.source is not None:
                it.source = ffi.from_buffer(p.source)
                it.source_len = len(p.source)
            if p.vector is not None:
                it.vector = p.vector.pointer
                it.dim = p.vector.dim
                it.vector_dtype = lib.VECTORPIN_DTYPE_F64 if p.vector.is_f64 else lib.VECTORPIN_DTYPE_F32
            it.expectations = p.expectations
        err = new_error()
        with self._lock.shared():
            check(lib.vectorpin_verify_batch(self._handle, results, c_items, n, threads, err), err, "batch")
        out = []
        for i, p in enumerate(prepared):
            r = _result(results[i].code, results[i])
            if r.ok and p.shape_error is not None:
                r = VerificationResult(False, VerifyError.SHAPE_MISMATCH, p.shape_error)
            out.append(r)
        return out

    def stream(self, threads: int = 0) -> BatchStream:
        """A streaming batch: submit items one at a time, collect results in
        submission order (for audits of stores larger than memory)."""
        return BatchStream(self, threads)


class BatchStream:
    """Worker threads fed one item at a time; use as a context manager.
    Key changes on the verifier wait until the stream is closed."""

    def __init__(self, verifier: Verifier, threads: int = 0):
        self._verifier = verifier
        self._cache = _ExpectationCache()
        self._shape_errors: dict[int, str] = {}
        out = ffi.new("vectorpin_batch **")
        err = new_error()
        self._hold = verifier._lock.shared()
        self._hold.__enter__()
        try:
            check(lib.vectorpin_batch_new(out, verifier._handle, threads, err), err, "starting the batch")
        except BaseException:
            self._hold.__exit__(None, None, None)
            raise
        self._handle = out[0]

    def submit(self, cookie: int, item: BatchItem | Sequence[Any]) -> None:
        """Queues one verification; everything is copied before this returns."""
        if self._handle is None:
            raise ValueError("the stream is closed")
        b = item if isinstance(item, BatchItem) else BatchItem(*item)
        p = self._verifier._prepare(b.pin, b.source, b.vector, self._cache, b.expected_model,
                                    b.expected_record_id, b.expected_collection_id, b.expected_tenant_id)
        if p.shape_error is not None:
            self._shape_errors[cookie] = p.shape_error
        v = p.vector
        src = p.source if p.source is not None else ffi.NULL
        fn = lib.vectorpin_batch_submit_f64 if v is not None and v.is_f64 else lib.vectorpin_batch_submit_f32
        err = new_error()
        check(fn(self._handle, cookie, p.pin_json, len(p.pin_json), src, len(p.source or b""),
                 v.pointer if v else ffi.NULL, v.dim if v else 0, p.expectations, err), err, "submitting")

    def next_result(self, wait: bool = True) -> tuple[int, VerificationResult] | None:
        """The oldest item's (cookie, result); None when nothing is pending (or,
        without `wait`, when the oldest is not finished yet)."""
        if self._handle is None:
            raise ValueError("the stream is closed")
        cookie = ffi.new("uint64_t *")
        res = new_error()
        st = batch_next_result(self._handle, cookie, res, 1 if wait else 0)
        if st == lib.VECTORPIN_NOT_FOUND:
            return None
        check(st, res, "collecting a result")
        r = _result(res.code, res)
        shape = self._shape_errors.pop(int(cookie[0]), None)
        if r.ok and shape is not None:
            r = VerificationResult(False, VerifyError.SHAPE_MISMATCH, shape)
        return int(cookie[0]), r

    @property
    def pending(self) -> int:
        return int(lib.vectorpin_batch_pending(self._handle)) if self._handle is not None else 0

    def close(self) -> None:
        if self._handle is not None:
            lib.vectorpin_batch_free(self._handle)
            self._handle = None
            self._hold.__exit__(None, None, None)

    def __enter__(self) -> BatchStream:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


class LegacyV1Verifier(Verifier):
    """Accepts legacy protocol v1 pins as well as v2, for migrations. Opt-in:
    v1 signatures do not cover the kid (see docs/PROTOCOL-DECISIONS.md)."""

    def __init__(self, public_keys: Mapping[str, Any] | None = None):
        super().__init__(public_keys, accept_v1_legacy=True)

    @classmethod
    def parse_pin(cls, s: str | bytes | Mapping[str, Any]) -> Pin:
        """Parses a v1 or v2 pin (v1 under its own looser field rules)."""
        if isinstance(s, Mapping):
            return Pin.from_dict(s, accept_versions=_ALL_VERSIONS)
        return Pin.from_json(s, accept_versions=_ALL_VERSIONS)
