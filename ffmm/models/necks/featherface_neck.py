"""FeatherFace V1 neck: CBAM -> BiFPN -> CBAM -> deformable SSH -> shuffle."""
import torch.nn as nn
import torch.nn.functional as F
from mmdet.registry import MODELS
from mmengine.model import BaseModule

from ..layers.bifpn import BIFPN_NORM, BiFPN
from ..layers.cbam import CBAM
from ..layers.channel_shuffle import ChannelShuffleBlock
from ..layers.ssh import SSH


@MODELS.register_module()
class FeatherFaceNeck(BaseModule):
    """The FeatherFace neck (Electronics 2025), per level::

        x = relu(cbam_b(x) + x)            # on each backbone level
        P3, P4, P5 = BiFPN(x3, x4, x5)     # num_bifpn_cells cells
        y = relu(cbam_f(P) + P)            # on each BiFPN level
        y = SSH(y)                         # 3x3 convs are DCNv2 by default
        y = ChannelShuffleBlock(y)         # if use_channel_shuffle

    Submodules: ``backbone_cbam``, ``bifpn``, ``bifpn_cbam``, ``ssh`` and
    ``channel_shuffle`` (``nn.ModuleList`` per level, except ``bifpn``).

    Args:
        in_channels (Sequence[int]): backbone channels, finest first.
        out_channels (int): width C of the BiFPN and of every output level.
        num_bifpn_cells (int): stacked BiFPN cells.
        cbam_reduction (int): channel-gate reduction of every CBAM.
        ssh_conv_cfg (dict): conv layer of the SSH 3x3 convs.
        use_channel_shuffle (bool): append the shuffle block per level.
        shuffle_groups (int): channel-shuffle groups.
        norm_cfg (dict): norm of SSH and shuffle blocks.
        bifpn_norm_cfg (dict): norm inside the BiFPN.
        bifpn_fusion_cfg (dict): BiFPN fusion module (see ``BiFPNCell``).
        legacy_p5_weights (bool): the reference's 3-weight P5 node.
    """

    def __init__(self,
                 in_channels=(64, 128, 256),
                 out_channels=64,
                 num_bifpn_cells=3,
                 cbam_reduction=16,
                 ssh_conv_cfg=dict(type='ScaledDCNv2'),
                 use_channel_shuffle=True,
                 shuffle_groups=2,
                 norm_cfg=dict(type='BN'),
                 bifpn_norm_cfg=BIFPN_NORM,
                 bifpn_fusion_cfg=dict(type='WeightedFusion', eps=1e-4),
                 legacy_p5_weights=True,
                 init_cfg=None):
        super().__init__(init_cfg)
        in_channels = tuple(in_channels)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.backbone_cbam = nn.ModuleList(
            CBAM(c, cbam_reduction) for c in in_channels)
        self.bifpn = BiFPN(in_channels, out_channels, num_bifpn_cells,
                           fusion_cfg=bifpn_fusion_cfg,
                           legacy_p5_weights=legacy_p5_weights,
                           norm_cfg=bifpn_norm_cfg)
        self.bifpn_cbam = nn.ModuleList(
            CBAM(out_channels, cbam_reduction) for _ in in_channels)
        self.ssh = nn.ModuleList(
            SSH(out_channels, out_channels, conv_cfg=ssh_conv_cfg,
                norm_cfg=norm_cfg) for _ in in_channels)
        if use_channel_shuffle:
            self.channel_shuffle = nn.ModuleList(
                ChannelShuffleBlock(out_channels, shuffle_groups,
                                    norm_cfg=norm_cfg) for _ in in_channels)
        else:
            self.channel_shuffle = None

    @staticmethod
    def _attend(cbams, feats):
        return [F.relu(cbam(x) + x) for cbam, x in zip(cbams, feats)]

    def forward(self, inputs):
        assert len(inputs) == len(self.in_channels)
        feats = self._attend(self.backbone_cbam, inputs)
        feats = self.bifpn(feats)
        feats = self._attend(self.bifpn_cbam, feats)
        feats = [ssh(x) for ssh, x in zip(self.ssh, feats)]
        if self.channel_shuffle is not None:
            feats = [cs(x) for cs, x in zip(self.channel_shuffle, feats)]
        return tuple(feats)
