from .ssh import SSH
from .bifpn import BiFPN, BiFPNCell, WeightedFusion
from .cbam import CBAM, ChannelGate, SpatialGate
from .channel_shuffle import ChannelShuffle, ChannelShuffleBlock
from .modulated_dcn import ScaledModulatedDeformConv2d
