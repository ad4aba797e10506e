"""Measures IsolationForestDetector against the demo's attacks.

Clean embeddings are the demo's (`vectorpin-demo make-jsonl`: 384-dim
unit-norm feature-hashing embeddings of generated sentences). The detector is
fitted on the first part and judged on held-out clean vectors (false-positive
rate) and on attacked copies of the same held-out vectors (detection rate),
with the attacks demo/demo_store.cpp applies, at the demo's strength and
stronger. Everything is seeded, so a run gives the same numbers each time.

    python3 detector_eval.py CLEAN.jsonl     # prints the table in docs/DETECTORS.md
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable

import numpy as np

from vectorpin.detectors import IsolationForestDetector

Attack = Callable[[np.ndarray, np.random.Generator], np.ndarray]


def load(path: Path) -> np.ndarray:
    with path.open(encoding="utf-8") as f:
        return np.array([json.loads(line)["vector"] for line in f if line.strip()], dtype=np.float32)


def noise(sigma: float) -> Attack:
    return lambda v, rng: (v + sigma * rng.standard_normal(v.shape)).astype(np.float32)


def scaling(factor: float) -> Attack:
    return lambda v, rng: (v * factor).astype(np.float32)


def offset(delta: float) -> Attack:
    return lambda v, rng: (v + np.float32(delta)).astype(np.float32)


def rotation(angle: float) -> Attack:
    """A Givens rotation in the plane of two random coordinates (the demo's)."""
    def apply(v: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        out = v.astype(np.float64)
        for row in out:
            i = rng.integers(len(row))
            j = (i + 1 + rng.integers(len(row) - 1)) % len(row)
            c, s = np.cos(angle), np.sin(angle)
            row[i], row[j] = c * row[i] - s * row[j], s * row[i] + c * row[j]
        return out.astype(np.float32)
    return apply


def full_rotation(v: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random orthogonal rotation of the whole space, applied to every vector."""
    q, _ = np.linalg.qr(rng.standard_normal((v.shape[1], v.shape[1])))
    return (v.astype(np.float64) @ q).astype(np.float32)


def lsb(bits: int) -> Attack:
    """A payload in the lowest mantissa bit of the first `bits` coordinates."""
    def apply(v: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        raw = v.copy().view(np.uint32)
        payload = rng.integers(0, 2, size=(v.shape[0], bits), dtype=np.uint32)
        raw[:, :bits] = (raw[:, :bits] & ~np.uint32(1)) | payload
        raw[:, 0] ^= np.uint32(2)  # as the demo: the vector surely changed
        return raw.view(np.float32)
    return apply


DEMO_ATTACKS: list[tuple[str, str, Attack]] = [
    ("noise injection", "Gaussian, sigma 0.002 per coordinate (demo)", noise(0.002)),
    ("scaling", "x 1.02 (demo)", scaling(1.02)),
    ("offset", "+0.003 on every coordinate (demo)", offset(0.003)),
    ("steganography (LSB)", "32-bit payload in 32 coordinates (demo)", lsb(32)),
    ("rotation", "Givens, 0.2 rad, two coordinates (demo)", rotation(0.2)),
]
STRONGER_ATTACKS: list[tuple[str, str, Attack]] = [
    ("noise injection", "sigma 0.02", noise(0.02)),
    ("noise injection", "sigma 0.05", noise(0.05)),
    ("scaling", "x 1.5", scaling(1.5)),
    ("scaling", "x 3", scaling(3.0)),
    ("offset", "+0.02", offset(0.02)),
    ("offset", "+0.05", offset(0.05)),
    ("steganography (LSB)", "payload in all 384 coordinates", lsb(384)),
    ("rotation", "Givens, 1.0 rad", rotation(1.0)),
    ("rotation", "random orthogonal rotation of the space", full_rotation),
]


def measure(clean: np.ndarray, fit_count: int = 2000, seed: int = 1) -> tuple[float, list[tuple[str, str, float]]]:
    """(false-positive rate on held-out clean vectors, [(attack, strength, detection rate)])."""
    train, held_out = clean[:fit_count], clean[fit_count:]
    detector = IsolationForestDetector().fit(train)
    fpr = float(detector.decide(held_out).mean())
    rows = []
    for k, (name, strength, attack) in enumerate(DEMO_ATTACKS + STRONGER_ATTACKS):
        attacked = attack(held_out, np.random.default_rng(seed + k))
        rows.append((name, strength, float(detector.decide(attacked).mean())))
    return fpr, rows


def table(clean: np.ndarray) -> str:
    fpr, rows = measure(clean)
    n = len(clean) - 2000
    out = [f"False-positive rate on {n} held-out clean vectors: {100 * fpr:.1f} %", "",
           "| attack | strength | detected |", "|---|---|---|"]
    out += [f"| {name} | {strength} | {100 * rate:.1f} % |" for name, strength, rate in rows]
    return "\n".join(out)


if __name__ == "__main__":
    print(table(load(Path(sys.argv[1]))))
