"""The detector protocol, as upstream ships it: fit on clean embeddings,
score or decide on suspect ones."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import numpy as np

__all__ = ["BaseDetector"]


class BaseDetector(ABC):
    """An anomaly detector trained on a clean baseline."""

    @abstractmethod
    def fit(self, clean: Any) -> "BaseDetector":
        """Train on a batch of known-clean embeddings (n_samples x dim)."""

    @abstractmethod
    def score(self, embeddings: Any) -> np.ndarray:
        """Per-vector anomaly score; higher is more anomalous."""

    @abstractmethod
    def decide(self, embeddings: Any, threshold: float | None = None) -> np.ndarray:
        """Per-vector boolean decision (True = flagged as anomalous)."""
