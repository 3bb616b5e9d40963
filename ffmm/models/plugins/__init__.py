from .cbam import CBAM, ChannelGate, SpatialGate
from .cbam_cascade import CBAMCascade

__all__ = ['CBAM', 'ChannelGate', 'SpatialGate', 'CBAMCascade']
