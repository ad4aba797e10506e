"""Signing: a `Signer` holds one Ed25519 key inside libvectorpin (libsodium);
the private key never becomes a Python object."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Any, Mapping

from vectorpin._native import InvalidInputError, call, check, ffi, lib, new_error, text_arg
from vectorpin._vectors import NotOneDimensional, as_native
from vectorpin.attestation import Pin
from vectorpin.hash import CanonicalDtype, dtype_code

__all__ = ["Signer", "canonical_timestamp"]


def canonical_timestamp(value: datetime | str, name: str = "timestamp") -> str:
    """YYYY-MM-DDTHH:MM:SSZ for an aware datetime (converted to UTC, sub-second
    part dropped as the wire form has none) or a string already in that form."""
    if isinstance(value, str):
        return value
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime or a YYYY-MM-DDTHH:MM:SSZ string")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (e.g. tzinfo=timezone.utc): a naive datetime "
                         "names no instant")
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _kid(key_id: str) -> bytes:
    if not isinstance(key_id, str):
        raise TypeError("key_id must be a str")
    return text_arg(key_id, "key_id")


class Signer:
    """Produces pins. Create with `generate`, `from_private_bytes`, `from_pem`
    or `from_file`; one signer may be used from many threads at once."""

    __slots__ = ("_handle", "_key_id")

    def __init__(self, private_key: Any, key_id: str):
        """`private_key`: the 32-byte Ed25519 seed, or an object with
        `private_bytes_raw()` (a `cryptography` Ed25519PrivateKey)."""
        raw = bytes(private_key.private_bytes_raw() if hasattr(private_key, "private_bytes_raw") else private_key)
        self._adopt_new(lambda out, kid, err: lib.vectorpin_signer_from_seed(
            out, kid, len(kid), raw, len(raw), err), key_id, "private key")

    def _adopt_new(self, create: Any, key_id: str, what: str) -> None:
        kid = _kid(key_id)
        out = ffi.new("vectorpin_signer **")
        err = new_error()
        check(create(out, kid, err), err, what)
        self._handle = ffi.gc(out[0], lib.vectorpin_signer_free)
        text, n = ffi.new("const char **"), ffi.new("size_t *")
        call(lib.vectorpin_signer_kid, self._handle, text, n)
        self._key_id = ffi.unpack(text[0], n[0]).decode("utf-8")

    @classmethod
    def _create(cls, create: Any, key_id: str, what: str) -> Signer:
        signer = cls.__new__(cls)
        signer._adopt_new(create, key_id, what)
        return signer

    @classmethod
    def generate(cls, key_id: str) -> Signer:
        """A fresh key from the operating system's CSPRNG (through libsodium)."""
        return cls._create(lambda out, kid, err: lib.vectorpin_signer_generate(out, kid, len(kid), err),
                           key_id, "generating a key")

    @classmethod
    def from_private_bytes(cls, raw: bytes, key_id: str) -> Signer:
        """From the raw 32-byte Ed25519 seed (upstream's `.priv` file format)."""
        data = bytes(raw)
        if len(data) != 32:
            raise InvalidInputError("INVALID_KEY", f"an Ed25519 seed is 32 bytes, not {len(data)}")
        return cls._create(lambda out, kid, err: lib.vectorpin_signer_from_seed(
            out, kid, len(kid), data, len(data), err), key_id, "private key")

    @classmethod
    def from_pem(cls, pem: bytes | str, key_id: str, password: bytes | None = None, *,
                 allow_unencrypted: bool = False) -> Signer:
        """From an RFC 8410 PKCS#8 PEM ("PRIVATE KEY"). As upstream, an
        unencrypted PEM needs `allow_unencrypted=True`. Encrypted PEMs are not
        read by libvectorpin: decrypt with your KMS or OpenSSL first."""
        if password is not None:
            raise InvalidInputError("INVALID_KEY", "encrypted PEM private keys are not supported; "
                                    "decrypt the key first (e.g. openssl pkey)")
        if not allow_unencrypted:
            raise ValueError("PEM is unencrypted; pass allow_unencrypted=True to confirm")
        data = pem.encode("ascii") if isinstance(pem, str) else bytes(pem)
        if b"PRIVATE KEY" not in data:
            raise InvalidInputError("INVALID_KEY", "not a PKCS#8 PEM private key")
        return cls._create(lambda out, kid, err: lib.vectorpin_signer_from_private_key(
            out, kid, len(kid), data, len(data), err), key_id, "PEM private key")

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], key_id: str, *,
                  allow_insecure_permissions: bool = False) -> Signer:
        """Reads a private key file (raw 32 bytes or PEM). A file group or
        others may read is refused unless `allow_insecure_permissions`."""
        p = os.fsencode(path)
        flags = lib.VECTORPIN_LOAD_ALLOW_INSECURE_PERMISSIONS if allow_insecure_permissions else 0
        return cls._create(lambda out, kid, err: lib.vectorpin_signer_load_file(
            out, kid, len(kid), p, len(p), flags, err), key_id, "loading the private key")

    @property
    def key_id(self) -> str:
        """The key id, NFC-normalized as pins carry it."""
        return self._key_id

    def public_key_bytes(self) -> bytes:
        """The raw 32-byte public key: what verifiers need."""
        out = ffi.new("uint8_t[32]")
        call(lib.vectorpin_signer_public_key, self._handle, out, 32)
        return bytes(out)

    def public_key(self) -> bytes:
        """The public key as raw bytes (upstream returns a `cryptography`
        object; every place upstream's API accepts one accepts these bytes)."""
        return self.public_key_bytes()

    def fingerprint(self) -> str:
        out = ffi.new("char[]", lib.VECTORPIN_FINGERPRINT_BUFFER_BYTES)
        call(lib.vectorpin_signer_fingerprint, self._handle, out, len(out))
        return ffi.string(out).decode("ascii")

    def save(self, directory: str | os.PathLike[str], *, pem: bool = False) -> None:
        """Writes <dir>/<kid>.priv (0600, never overwritten) and <kid>.pub."""
        d = os.fsencode(directory)
        err = new_error()
        check(lib.vectorpin_signer_save(self._handle, d, len(d), lib.VECTORPIN_SAVE_PEM if pem else 0, err), err,
              "saving the key")

    def private_key_bytes(self) -> bytes:
        """Not offered: the private key stays inside the library, where it is
        wiped when the signer is released. Use `save()` to write key files."""
        raise NotImplementedError("the private key never leaves libvectorpin; use Signer.save(directory)")

    def pin(self, source: str | bytes, model: str, vector: Any, *, vec_dtype: CanonicalDtype = "f32",
            model_hash: str | None = None, timestamp: datetime | str | None = None,
            extra: Mapping[str, str] | None = None, protocol: int = 2) -> Pin:
        """Signs (source, model, vector). `vector` is a 1-D numpy array (float32
        and float64 arrays are read in place, never copied) or a sequence of
        numbers; it is hashed as `vec_dtype` (default "f32", as upstream)."""
        src = text_arg(source, "source")
        mdl = text_arg(model, "model")
        try:
            v = as_native(vector, vec_dtype)
        except NotOneDimensional as exc:
            raise InvalidInputError("INVALID_INPUT", str(exc)) from None
        err = new_error()
        opts_out = ffi.new("vectorpin_pin_options **")
        check(lib.vectorpin_pin_options_new(opts_out, err), err)
        opts = ffi.gc(opts_out[0], lib.vectorpin_pin_options_free)
        check(lib.vectorpin_pin_options_set_dtype(opts, dtype_code(vec_dtype), err), err, "vec_dtype")
        if protocol != 2:
            check(lib.vectorpin_pin_options_set_protocol(opts, int(protocol), err), err, "protocol")
        if model_hash is not None:
            mh = text_arg(model_hash, "model_hash")
            check(lib.vectorpin_pin_options_set_model_hash(opts, mh, len(mh), err), err, "model_hash")
        if timestamp is not None:
            ts = canonical_timestamp(timestamp).encode("ascii", "replace")
            check(lib.vectorpin_pin_options_set_timestamp(opts, ts, len(ts), err), err, "timestamp")
        if extra:
            for key, value in extra.items():
                if not isinstance(key, str) or not isinstance(value, str):
                    raise InvalidInputError("INVALID_INPUT", "extra must map str to str")
                k, val = text_arg(key, "extra key"), text_arg(value, "extra value")
                check(lib.vectorpin_pin_options_set_extra(opts, k, len(k), val, len(val), err), err, "extra")
        out = ffi.new("vectorpin_pin **")
        fn = lib.vectorpin_signer_pin_f64 if v.is_f64 else lib.vectorpin_signer_pin_f32
        check(fn(self._handle, out, src, len(src), mdl, len(mdl), v.pointer, v.dim, opts, err), err)
        return Pin._adopt(ffi.gc(out[0], lib.vectorpin_pin_free))

    def __repr__(self) -> str:
        return f"Signer(key_id={self._key_id!r}, fingerprint={self.fingerprint()!r})"

    def __reduce__(self) -> Any:
        raise TypeError("a Signer holds a private key and is never pickled")
