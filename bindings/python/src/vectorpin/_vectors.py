"""Hands vectors to the library: float32/float64 arrays by pointer, in place."""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from vectorpin._native import ffi

_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)


class NotOneDimensional(ValueError):
    """A vector that is not a flat sequence of numbers."""


class NativeVector(NamedTuple):
    is_f64: bool
    pointer: Any  # cdata float* / double*, never NULL
    dim: int
    keepalive: Any  # the memory `pointer` points into


def _canonical(dtype: str) -> np.dtype:
    if dtype == "f32":
        return _F32
    if dtype == "f64":
        return _F64
    raise ValueError(f"vec_dtype must be 'f32' or 'f64', not {dtype!r}")


def as_native(vector: Any, cast_to: str = "f64") -> NativeVector:
    """A contiguous, native-endian float32 or float64 array passes its own
    buffer (no copy). Anything else is converted once: lists and other
    sequences of Python floats to float64 (exact), other element types
    (integers, float16, ...) to `cast_to`, the dtype the vector is hashed as.
    """
    arr = vector if isinstance(vector, np.ndarray) else np.asarray(vector)
    if arr.ndim != 1:
        raise NotOneDimensional(f"expected a 1-D vector, got shape {arr.shape}")
    if arr.dtype.kind == "f" and arr.dtype.itemsize in (4, 8):
        wanted = _F32 if arr.dtype.itemsize == 4 else _F64
    elif arr.dtype.kind in "biuf":
        wanted = _canonical(cast_to)
    else:
        raise TypeError(f"vector elements must be numbers, not {arr.dtype}")
    if arr.dtype != wanted or not arr.flags.c_contiguous:
        arr = np.ascontiguousarray(arr, dtype=wanted)
    is_f64 = wanted == _F64
    if arr.shape[0] == 0:
        # A NULL pointer would mean "no vector"; an empty one must still point somewhere.
        return NativeVector(is_f64, ffi.new("double[1]" if is_f64 else "float[1]"), 0, None)
    pointer = ffi.from_buffer("double[]" if is_f64 else "float[]", arr)
    return NativeVector(is_f64, pointer, int(arr.shape[0]), arr)
