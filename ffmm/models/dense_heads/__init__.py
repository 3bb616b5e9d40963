from .face_anchor_head import FaceAnchorHead

__all__ = ['FaceAnchorHead']
