"""JSON vectors read by the rule of `vectorpin audit` (docs/AUDIT.md): each
decimal is the value it denotes, rounded once to the pin's element type.

Python's float() rounds a decimal correctly to float64, but narrowing that
float64 to float32 is a second rounding, which goes wrong when the float64
lands exactly halfway between two float32 values while the decimal was not
(`1.0000000596046447753906250001` must become the float32 above 1, not 1).
That is the only case where the two roundings differ, so only then is the
decimal compared exactly (with `decimal`, which has no digit limit) with the
halfway point. Integers are read the same way, so `-0` keeps its sign and a
long integer is rounded once.
"""
from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

import numpy as np

__all__ = ["decode_json_vector"]

_F32_MAX = float(np.finfo(np.float32).max)
_F32_HALF_ULP_AT_MAX = 2.0 ** 103  # float32's largest finite value plus this rounds to infinity


def _f32_once(text: str) -> float:
    d = float(text)
    with np.errstate(over="ignore"):
        narrowed = np.float32(d)
    f = float(narrowed)
    if f == d:
        return f
    # d lies strictly between the float32 neighbours lo < hi; f is one of them.
    if abs(d) > _F32_MAX:
        # Between the largest float32 and infinity, the halfway point is the overflow threshold.
        lo, hi = sorted((math.copysign(_F32_MAX, d), math.copysign(math.inf, d)))
        mid = math.copysign(_F32_MAX + _F32_HALF_ULP_AT_MAX, d)
    else:
        other = float(np.nextafter(narrowed, np.float32(math.copysign(math.inf, d - f))))
        lo, hi = sorted((f, other))
        mid = (lo + hi) / 2  # exact: float32 values have room to spare in a float64
    if d != mid:
        return f
    exact = Decimal(text)
    if exact == Decimal(mid):
        return f  # a true tie: numpy's narrowing already chose the even one
    return hi if exact > Decimal(mid) else lo


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_F32_DECODER = json.JSONDecoder(parse_float=_f32_once, parse_int=_f32_once, parse_constant=_no_constants)
_F64_DECODER = json.JSONDecoder(parse_float=float, parse_int=float, parse_constant=_no_constants)


def decode_json_vector(text: bytes, f32: bool) -> tuple[str, Any]:
    """A JSON array of numbers, read in the pin's element type: ("f32" | "f64",
    array), or ("bad", problem) for anything else, and for a number beyond the
    element type's range."""
    try:
        value = (_F32_DECODER if f32 else _F64_DECODER).decode(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return ("bad", f"vector is not a JSON array of numbers: {str(exc)[:64]}")
    if not isinstance(value, list) or any(type(x) is not float for x in value):
        return ("bad", "vector is not a JSON array of numbers")
    arr = np.array(value, dtype=np.float32 if f32 else np.float64)
    if not np.isfinite(arr).all():
        return ("bad", f"vector holds a number beyond the {'f32' if f32 else 'f64'} range")
    return ("f32" if f32 else "f64", arr)
