from . import functional, metrics  # noqa: F401
from .metrics import WIDERFaceMetric

__all__ = ['WIDERFaceMetric']
