from ..distillers import FaceDistiller
from .face_detector import FaceDetector

__all__ = ['FaceDetector', 'FaceDistiller']
