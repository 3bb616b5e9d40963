from .formatting import PackFaceInputs
from .geometric import FaceRandomFlip, FaceResize, RandomSquareCrop
from .loading import LoadFaceAnnotations

__all__ = [
    'PackFaceInputs', 'FaceRandomFlip', 'FaceResize', 'RandomSquareCrop',
    'LoadFaceAnnotations'
]
