from .face_anchor_head import FaceAnchorHead
from .face_head_mixin import FaceHeadMixin, face_head_of
from .smart_face_head import SmartFaceHead

__all__ = ['FaceAnchorHead', 'FaceHeadMixin', 'SmartFaceHead', 'face_head_of']
