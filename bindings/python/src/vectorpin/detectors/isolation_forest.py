"""Isolation Forest detector on scikit-learn (Debian python3-sklearn), with
upstream's interface and defaults (200 trees, 5 % contamination, seed 42).

What it can and cannot see is measured in docs/DETECTORS.md: it fits the
density of the clean embeddings, so attacks that move vectors off that
density at the strength the measurement states are flagged, and attacks that
keep every density feature (an orthogonal rotation) are not. Pinning is the
layer that catches every modification; this is defence in depth for vectors
that were never pinned or are newly ingested.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from vectorpin.detectors.base import BaseDetector

__all__ = ["IsolationForestDetector"]


def _matrix(embeddings: Any) -> np.ndarray:
    x = np.asarray(embeddings, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"expected a non-empty 2-D array (n_samples x dim), got shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError("embeddings contain NaN or infinity")
    return x


class IsolationForestDetector(BaseDetector):
    """Tree-based anomaly detector. `decide()` flags what the forest predicts
    as an outlier (about `contamination` of the clean data by construction),
    or, with `threshold`, every score above it."""

    def __init__(self, n_estimators: int = 200, contamination: float = 0.05, random_state: int = 42,
                 n_jobs: int | None = -1):
        try:
            from sklearn.ensemble import IsolationForest
        except ImportError as exc:  # pragma: no cover - depends on the machine
            raise ImportError("scikit-learn is not installed (Debian: python3-sklearn)") from exc
        self._model = IsolationForest(n_estimators=n_estimators, contamination=contamination,
                                      random_state=random_state, n_jobs=n_jobs)
        self._dim: int | None = None

    def fit(self, clean: Any) -> IsolationForestDetector:
        x = _matrix(clean)
        self._model.fit(x)
        self._dim = x.shape[1]
        return self

    def _checked(self, embeddings: Any) -> np.ndarray:
        if self._dim is None:
            raise RuntimeError("detector must be fit() before scoring")
        x = _matrix(embeddings)
        if x.shape[1] != self._dim:
            raise ValueError(f"the detector was fitted on {self._dim}-dimensional vectors, not {x.shape[1]}")
        return x

    def score(self, embeddings: Any) -> np.ndarray:
        # scikit-learn's score_samples is lower for more abnormal points.
        return -self._model.score_samples(self._checked(embeddings))

    def decide(self, embeddings: Any, threshold: float | None = None) -> np.ndarray:
        x = self._checked(embeddings)
        if threshold is None:
            return self._model.predict(x) == -1
        return -self._model.score_samples(x) > threshold

    @property
    def offset(self) -> float:
        """The score above which `decide()` flags (the fitted forest's cut)."""
        return float(-self._model.offset_)
