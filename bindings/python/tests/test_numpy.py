"""Vectors: float32/float64 arrays pass in place (no copy), other inputs are
converted once and hash as upstream's `hash_vector` casts them."""
from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from vectorpin import Signer, Verifier, canonical_vector_bytes, hash_vector
import hashlib


def test_arrays_are_not_copied() -> None:
    signer = Signer.generate(key_id="n")
    verifier = Verifier({"n": signer.public_key_bytes()})
    for dtype in (np.float32, np.float64):
        big = np.random.default_rng(1).standard_normal(1_000_000).astype(dtype)  # 4 or 8 MB
        pin = signer.pin(source="s", model="m", vector=big, vec_dtype="f32" if dtype == np.float32 else "f64")
        tracemalloc.start()
        try:
            assert verifier.verify(pin, vector=big).ok
            signer.pin(source="s", model="m", vector=big, vec_dtype="f32")
            hash_vector(big, "f64")
            verifier.verify_batch([(pin, None, big)] * 4)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < big.nbytes // 10, f"{peak} bytes allocated for a {big.nbytes}-byte {dtype.__name__} vector"


def test_copies_are_made_when_they_must_be() -> None:
    big = np.random.default_rng(1).standard_normal(500_000).astype(np.float32)
    tracemalloc.start()
    try:
        hash_vector(big[::2], "f32")  # not contiguous
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak >= big[::2].nbytes  # the method sees copies: the test above is meaningful


@pytest.mark.parametrize("make", [
    lambda v: v.tolist(),
    lambda v: tuple(v.tolist()),
    lambda v: v.astype(">f4"),
    lambda v: np.repeat(v, 2)[::2],
    lambda v: v.astype(np.float64),
])
def test_every_form_of_the_same_vector_verifies(make) -> None:
    signer = Signer.generate(key_id="n")
    v = np.random.default_rng(2).standard_normal(33).astype(np.float32)
    pin = signer.pin(source="s", model="m", vector=v)
    assert Verifier({"n": signer.public_key_bytes()}).verify(pin, vector=make(v)).ok
    assert signer.pin(source="s", model="m", vector=make(v)).header.vec_hash == pin.header.vec_hash


def test_other_element_types_are_cast_as_upstream() -> None:
    for arr in (np.arange(10, dtype=np.int64), np.linspace(0, 1, 9, dtype=np.float16), np.array([True, False])):
        for dtype in ("f32", "f64"):
            expected = "sha256:" + hashlib.sha256(canonical_vector_bytes(arr, dtype)).hexdigest()
            assert hash_vector(arr, dtype) == expected


def test_lists_of_python_floats_are_exact_doubles() -> None:
    values = [0.1, 1 / 3, 2.0 ** -1074]
    assert hash_vector(values, "f64") == "sha256:" + hashlib.sha256(np.array(values, "<f8").tobytes()).hexdigest()
    with pytest.raises(ValueError):
        hash_vector([1.0, float("nan")], "f64")
    with pytest.raises(TypeError):
        hash_vector(["a"], "f64")
