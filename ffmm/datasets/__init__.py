from .transforms import *  # noqa: F401,F403
from .widerface import WIDERFaceFormatError, WIDERFaceLandmarkDataset

__all__ = ['WIDERFaceLandmarkDataset', 'WIDERFaceFormatError']
