from .ssh import SSH
from .bifpn import BiFPN, BiFPNCell, WeightedFusion
from .channel_shuffle import ChannelShuffle, ChannelShuffleBlock
from .modulated_dcn import ScaledModulatedDeformConv2d
from .adaptive_fusion import AdaptiveFusion
from .bifpn_ultra import BiFPNUltra
from .dynamic_gate import DynamicGate
from .feature_reuse import FeatureReuse
from .progressive_enhancement import ProgressiveEnhancement
