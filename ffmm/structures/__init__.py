from .face_keypoints import FACE_FLIP_INDICES, FaceKeypoints

__all__ = ['FaceKeypoints', 'FACE_FLIP_INDICES']
