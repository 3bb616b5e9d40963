from .face_detector import FaceDetector
from .face_distiller import FaceDistiller

__all__ = ['FaceDetector', 'FaceDistiller']
