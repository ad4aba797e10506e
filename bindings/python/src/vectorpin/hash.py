"""The protocol's hashes: `hash_text` and `hash_vector` (PROTOCOL.md section 2)."""
from __future__ import annotations

from typing import Any, Literal

import numpy as np

from vectorpin._native import check, ffi, lib, new_error, text_arg
from vectorpin._vectors import _canonical, as_native

CanonicalDtype = Literal["f32", "f64"]

__all__ = ["CanonicalDtype", "hash_text", "hash_vector", "canonical_vector_bytes"]

_DTYPE_CODES = {"f32": lib.VECTORPIN_DTYPE_F32, "f64": lib.VECTORPIN_DTYPE_F64}


def dtype_code(dtype: str) -> int:
    try:
        return _DTYPE_CODES[dtype]
    except KeyError:
        raise ValueError(f"vec_dtype must be 'f32' or 'f64', not {dtype!r}") from None


def hash_text(text: str | bytes) -> str:
    """"sha256:" + hex(SHA-256(UTF-8(NFC(text)))). Invalid UTF-8 raises ValueError."""
    data = text_arg(text, "text")
    out = ffi.new("char[]", lib.VECTORPIN_HASH_STRING_BUFFER_BYTES)
    err = new_error()
    check(lib.vectorpin_hash_text(out, len(out), data, len(data), err), err)
    return ffi.string(out).decode("ascii")


def hash_vector(vector: Any, dtype: CanonicalDtype = "f32") -> str:
    """Hash of the vector's elements cast to `dtype`, little-endian, packed.
    NaN, infinities and casts that overflow raise ValueError."""
    code = dtype_code(dtype)
    v = as_native(vector, dtype)
    out = ffi.new("char[]", lib.VECTORPIN_HASH_STRING_BUFFER_BYTES)
    err = new_error()
    fn = lib.vectorpin_hash_vector_f64 if v.is_f64 else lib.vectorpin_hash_vector_f32
    check(fn(out, len(out), v.pointer, v.dim, code, err), err)
    return ffi.string(out).decode("ascii")


def canonical_vector_bytes(vector: Any, dtype: CanonicalDtype = "f32") -> bytes:
    """The bytes `hash_vector` hashes: elements cast to `dtype`, little-endian."""
    target = _canonical(dtype).newbyteorder("<")
    arr = np.asarray(vector)
    if arr.ndim != 1:
        raise ValueError(f"expected a 1-D vector, got shape {arr.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        cast = arr.astype(target)
    if not np.isfinite(cast).all():
        raise ValueError("vector contains NaN or infinity (possibly after the cast)")
    return cast.tobytes()
