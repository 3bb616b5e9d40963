from .face_detector import FaceDetector

__all__ = ['FaceDetector']
