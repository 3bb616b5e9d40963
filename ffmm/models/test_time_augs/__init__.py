from .face_tta import FaceTTAModel

__all__ = ['FaceTTAModel']
