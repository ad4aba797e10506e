"""JSON vectors in the Python audit are read by the CLI's rule: each decimal
rounded once to the pin's element type. The hard cases and the bits they must
become are the C++ suite's own (tests/audit/hard_vectors.hpp), read from that
file so the two suites cannot drift apart."""
from __future__ import annotations

import re

import numpy as np
import pytest

from conftest import CHECKOUT
from vectorpin._json_numbers import decode_json_vector

HARD = (CHECKOUT / "tests" / "audit" / "hard_vectors.hpp").read_text()


def c_string(name: str) -> str:
    body = re.search(name + r"\s*=\s*((?:\s*\"[^\"]*\")+)\s*;", HARD).group(1)
    return "".join(re.findall(r"\"([^\"]*)\"", body))


def c_array(name: str) -> list[int]:
    body = re.search(name + r"\[\]\s*=\s*\{([^}]*)\}", HARD).group(1)
    return [int(x, 16) for x in re.findall(r"0x[0-9a-fA-F]+", body)]


def bits(arr: np.ndarray) -> list[int]:
    return arr.view(np.uint32 if arr.dtype == np.float32 else np.uint64).tolist()


def test_f32_decimals_are_rounded_once():
    kind, arr = decode_json_vector(c_string("kF32Text").encode(), True)
    assert kind == "f32"
    assert bits(arr) == c_array("kF32Bits")


def test_f64_decimals_are_rounded_once():
    kind, arr = decode_json_vector(c_string("kF64Text").encode(), False)
    assert kind == "f64"
    assert bits(arr) == c_array("kF64Bits")


@pytest.mark.parametrize("text,f32,expected", [
    # An integer that rounds to a float64 exactly halfway between two float32
    # values (2^60 + 2^36) while lying above it: once-rounded it goes up.
    ("[1152921573326323713]", True, 0x5D800001),
    ("[-1152921573326323713]", True, 0xDD800001),
    # The halfway point itself is a true tie: to even.
    ("[1152921573326323712]", True, 0x5D800000),
    # Just below float32's overflow threshold stays finite; a decimal past it is refused.
    ("[340282356779733661637539395458142568447.9]", True, 0x7F7FFFFF),
])
def test_exact_halfway_decisions(text, f32, expected):
    kind, arr = decode_json_vector(text.encode(), f32)
    assert kind == "f32"
    assert bits(arr) == [expected]


@pytest.mark.parametrize("text,f32", [
    ("[340282356779733661637539395458142568448]", True),  # the threshold: ties away to infinity
    ("[1e39]", True),
    ("[1e309]", False),
    ("[" + "9" * 400 + "]", False),
])
def test_beyond_the_range_is_refused(text, f32):
    kind, problem = decode_json_vector(text.encode(), f32)
    assert kind == "bad"
    assert "range" in problem


@pytest.mark.parametrize("text", ["[true]", "[NaN]", "[Infinity]", "[\"1\"]", "{}", "[1,]", "[[1]]"])
def test_not_numbers(text):
    assert decode_json_vector(text.encode(), True)[0] == "bad"
