from .curriculum import FaceCurriculumFilter
from .formatting import PackFaceInputs
from .geometric import FaceRandomFlip, FaceResize, RandomSquareCrop
from .loading import LoadFaceAnnotations
from .mix import FaceCutMix, FaceMixUp
from .multiscale import FaceRandomChoiceResize

__all__ = [
    'PackFaceInputs', 'FaceRandomFlip', 'FaceResize', 'RandomSquareCrop',
    'LoadFaceAnnotations', 'FaceMixUp', 'FaceCutMix',
    'FaceRandomChoiceResize', 'FaceCurriculumFilter'
]
