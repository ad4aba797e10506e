"""Statistical detectors for ingestion-time tampering and poisoning: the
complement of pinning for vectors that carry no pin yet."""
from vectorpin.detectors.base import BaseDetector
from vectorpin.detectors.isolation_forest import IsolationForestDetector

__all__ = ["BaseDetector", "IsolationForestDetector"]
