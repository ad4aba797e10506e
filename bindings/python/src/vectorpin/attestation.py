"""Pins: parsing, the wire form and the header view (PROTOCOL.md sections 3-4).

A `Pin` owns a parsed native pin; parsing, writing and the signed bytes are
the library's, so this package cannot drift from the other bindings.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from vectorpin._native import (InvalidInputError, call, check, ffi, lib, new_error, pin_extra_at, pin_get,
                               status_name)

PROTOCOL_VERSION = 2
DOMAIN_TAG = b"vectorpin/v2\x00"
MAX_PIN_JSON_BYTES = 65536

__all__ = ["PROTOCOL_VERSION", "DOMAIN_TAG", "MAX_PIN_JSON_BYTES", "Pin", "PinHeader", "PinParseError"]

_DEFAULT_VERSIONS = frozenset({PROTOCOL_VERSION})
_ALL_VERSIONS = frozenset({1, PROTOCOL_VERSION})


class PinParseError(InvalidInputError):
    """Pin JSON the protocol refuses. `error` is the verification outcome a
    verifier would report for it (`VerifyError.PARSE_ERROR` or
    `VerifyError.UNSUPPORTED_VERSION`); it is a ValueError, as upstream's."""

    @property
    def error(self) -> Any:
        from vectorpin.verifier import VerifyError

        return VerifyError[self.status]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _field(handle: Any, which: int) -> str | None:
    out = ffi.new("const char **")
    n = ffi.new("size_t *")
    st = pin_get(handle, which, out, n)
    if st == lib.VECTORPIN_NOT_FOUND:
        return None
    check(st, None, "reading a pin field")
    return ffi.unpack(out[0], n[0]).decode("utf-8", "surrogateescape")


def _parse(data: bytes, accept_versions: Iterable[int] | None) -> Any:
    handle_out = ffi.new("vectorpin_pin **")
    err = new_error()
    st = lib.vectorpin_pin_parse(handle_out, data, len(data), err)
    if st != lib.VECTORPIN_OK:
        raise PinParseError(status_name(st), ffi.string(err.message).decode("utf-8", "replace"), int(err.offset))
    handle = ffi.gc(handle_out[0], lib.vectorpin_pin_free)
    allowed = frozenset(accept_versions) if accept_versions is not None else _DEFAULT_VERSIONS
    version = lib.vectorpin_pin_version(handle)
    if version not in allowed:
        raise PinParseError("UNSUPPORTED_VERSION",
                            f"pin version {version} is not accepted here (accepted: {sorted(allowed)}); "
                            "legacy v1 pins are read with LegacyV1Verifier.parse_pin")
    return handle


@dataclass(frozen=True)
class PinHeader:
    """The signed fields of a pin (everything but `sig`)."""

    v: int
    kid: str
    model: str
    source_hash: str
    vec_hash: str
    vec_dtype: str
    vec_dim: int
    ts: str
    model_hash: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "v": self.v, "kid": self.kid, "model": self.model, "source_hash": self.source_hash,
            "vec_hash": self.vec_hash, "vec_dtype": self.vec_dtype, "vec_dim": self.vec_dim, "ts": self.ts,
        }
        if self.model_hash is not None:
            out["model_hash"] = self.model_hash
        if self.extra:
            out["extra"] = dict(sorted(self.extra.items()))
        return out

    def canonicalize(self) -> bytes:
        """The exact bytes a signature over this header covers (v2: the domain
        tag and the canonical JSON with `kid`; v1: the JSON without `kid`)."""
        return Pin(self, bytes(64)).signed_bytes()


class Pin:
    """A signed attestation. Build one with `Signer.pin`, read one with
    `Pin.from_json`; `to_json()` is the wire form to store beside the vector."""

    __slots__ = ("_handle", "_json", "_header")

    def __init__(self, header: PinHeader, sig: bytes):
        data = dict(header.to_dict())
        data["sig"] = _b64(bytes(sig))
        other = Pin.from_dict(data, accept_versions=_ALL_VERSIONS)
        self._handle, self._json, self._header = other._handle, other._json, None

    @classmethod
    def _adopt(cls, handle: Any) -> Pin:
        pin = cls.__new__(cls)
        pin._handle = handle
        pin._header = None
        out = ffi.new("char **")
        n = ffi.new("size_t *")
        err = new_error()
        check(lib.vectorpin_pin_to_json(handle, out, n, err), err, "writing the pin")
        try:
            pin._json = ffi.unpack(out[0], n[0])
        finally:
            lib.vectorpin_free(out[0])
        return pin

    @classmethod
    def from_json(cls, s: str | bytes, *, accept_versions: Iterable[int] | None = None) -> Pin:
        """Parses pin JSON with every rule of the protocol. Refuses (PinParseError,
        a ValueError) anything a verifier would not parse, and legacy v1 pins
        unless `accept_versions` includes 1."""
        data = s.encode("utf-8", "surrogatepass") if isinstance(s, str) else bytes(s)
        return cls._adopt(_parse(data, accept_versions))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, accept_versions: Iterable[int] | None = None) -> Pin:
        if not isinstance(d, Mapping):
            raise PinParseError("PARSE_ERROR", "pin must be a JSON object")
        try:
            text = json.dumps(dict(d), ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise PinParseError("PARSE_ERROR", f"pin is not JSON data: {str(exc)[:64]}") from None
        return cls.from_json(text, accept_versions=accept_versions)

    def to_json(self) -> str:
        """The wire form: keys in byte order, no whitespace, raw UTF-8."""
        return self._json.decode("utf-8", "surrogateescape")

    def to_json_bytes(self) -> bytes:
        return self._json

    def to_dict(self) -> dict[str, Any]:
        return json.loads(self._json)

    def signed_bytes(self) -> bytes:
        out = ffi.new("uint8_t **")
        n = ffi.new("size_t *")
        err = new_error()
        check(lib.vectorpin_pin_signed_bytes(self._handle, out, n, err), err)
        try:
            return ffi.unpack(ffi.cast("char *", out[0]), n[0])
        finally:
            lib.vectorpin_free(out[0])

    @property
    def header(self) -> PinHeader:
        if self._header is None:
            h = self._handle
            extra = {}
            key, klen = ffi.new("const char **"), ffi.new("size_t *")
            val, vlen = ffi.new("const char **"), ffi.new("size_t *")
            for i in range(lib.vectorpin_pin_extra_count(h)):
                pin_extra_at(h, i, key, klen, val, vlen)
                extra[ffi.unpack(key[0], klen[0]).decode("utf-8")] = ffi.unpack(val[0], vlen[0]).decode("utf-8")
            self._header = PinHeader(
                v=lib.vectorpin_pin_version(h),
                kid=_field(h, lib.VECTORPIN_FIELD_KID) or "",
                model=_field(h, lib.VECTORPIN_FIELD_MODEL) or "",
                source_hash=_field(h, lib.VECTORPIN_FIELD_SOURCE_HASH) or "",
                vec_hash=_field(h, lib.VECTORPIN_FIELD_VEC_HASH) or "",
                vec_dtype=_field(h, lib.VECTORPIN_FIELD_VEC_DTYPE) or "",
                vec_dim=int(lib.vectorpin_pin_vec_dim(h)),
                ts=_field(h, lib.VECTORPIN_FIELD_TS) or "",
                model_hash=_field(h, lib.VECTORPIN_FIELD_MODEL_HASH),
                extra=extra,
            )
        return self._header

    @property
    def sig(self) -> bytes:
        out = ffi.new("uint8_t[64]")
        call(lib.vectorpin_pin_signature, self._handle, out, 64)
        return bytes(out)

    @property
    def kid(self) -> str:
        return self.header.kid

    @property
    def native_handle(self) -> Any:
        return self._handle

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pin) and other._json == self._json

    def __hash__(self) -> int:
        return hash(self._json)

    def __repr__(self) -> str:
        h = self.header
        return f"Pin(v={h.v}, kid={h.kid!r}, model={h.model!r}, vec_dtype={h.vec_dtype!r}, vec_dim={h.vec_dim})"

    def __reduce__(self) -> Any:
        # Pickled (e.g. to a Dask worker) as its wire form, parsed again on arrival.
        return (_unpickle_pin, (self._json,))


def _unpickle_pin(data: bytes) -> Pin:
    return Pin.from_json(data, accept_versions=_ALL_VERSIONS)
