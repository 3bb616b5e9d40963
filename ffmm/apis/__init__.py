from .inference import detect_faces, init_face_detector

__all__ = ['detect_faces', 'init_face_detector']
