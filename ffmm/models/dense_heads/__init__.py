from .face_anchor_head import FaceAnchorHead
from .smart_face_head import SmartFaceHead

__all__ = ['FaceAnchorHead', 'SmartFaceHead']
