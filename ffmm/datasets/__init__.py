from .transforms import *  # noqa: F401,F403
from .widerface import WIDERFaceDataset, WIDERFaceFormatError

__all__ = ['WIDERFaceDataset', 'WIDERFaceFormatError']
