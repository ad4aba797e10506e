"""Where the tests find the fixture files, the CLI and the demo program."""
from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

CHECKOUT = Path(__file__).resolve().parents[3]


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def vec_from_b64(text: str, dtype: str) -> np.ndarray:
    return np.frombuffer(b64d(text), dtype="<f4" if dtype == "f32" else "<f8")


@pytest.fixture(scope="session")
def testvectors() -> Path:
    return Path(os.environ.get("VECTORPIN_TESTVECTORS", CHECKOUT / "testvectors"))


def upstream_dirs() -> list[Path]:
    dirs = [CHECKOUT / "testvectors" / "upstream"]
    shared = Path(os.environ.get("VECTORPIN_SHARED_VECTORS", CHECKOUT.parent / "shared" / "upstream-testvectors"))
    if (shared / "v2.json").exists():
        dirs.append(shared)
    return dirs


def _program(env: str, *candidates: str) -> Path:
    value = os.environ.get(env)
    if value:
        return Path(value)
    for c in candidates:
        found = shutil.which(c) if "/" not in c else (c if Path(c).exists() else None)
        if found:
            return Path(found)
    pytest.fail(f"{env} is not set and the program was not found; ctest sets it")


@pytest.fixture(scope="session")
def cli() -> Path:
    return _program("VECTORPIN_CLI", "vectorpin")


@pytest.fixture(scope="session")
def demo() -> Path:
    return _program("VECTORPIN_DEMO", "vectorpin-demo")
