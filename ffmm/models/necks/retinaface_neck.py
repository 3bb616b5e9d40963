"""RetinaFace neck: a 3-level FPN followed by one SSH context module per level."""
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmdet.registry import MODELS
from mmengine.model import BaseModule

from ..layers.ssh import SSH


@MODELS.register_module()
class RetinaFaceNeck(BaseModule):
    """FPN (1x1 laterals, nearest top-down, 3x3 merges) + SSH.

    Args:
        in_channels (Sequence[int]): backbone channels, finest level first.
        out_channels (int): width of every output level.
        ssh_conv_cfg (dict, optional): conv layer used inside SSH.
    """

    def __init__(self,
                 in_channels=(64, 128, 256),
                 out_channels=64,
                 norm_cfg=dict(type='BN'),
                 ssh_conv_cfg=None,
                 init_cfg=None):
        super().__init__(init_cfg)
        slope = 0.1 if out_channels <= 64 else 0.0
        act = dict(type='LeakyReLU', negative_slope=slope)
        self.lateral_convs = nn.ModuleList(
            ConvModule(c, out_channels, 1, bias=False, norm_cfg=norm_cfg,
                       act_cfg=act) for c in in_channels)
        self.merge_convs = nn.ModuleList(
            ConvModule(out_channels, out_channels, 3, padding=1, bias=False,
                       norm_cfg=norm_cfg, act_cfg=act)
            for _ in range(len(in_channels) - 1))
        self.ssh = nn.ModuleList(
            SSH(out_channels, out_channels, conv_cfg=ssh_conv_cfg,
                norm_cfg=norm_cfg) for _ in in_channels)

    def forward(self, inputs):
        feats = [conv(x) for conv, x in zip(self.lateral_convs, inputs)]
        for i in range(len(feats) - 2, -1, -1):
            up = F.interpolate(feats[i + 1], size=feats[i].shape[-2:],
                               mode='nearest')
            feats[i] = self.merge_convs[i](feats[i] + up)
        return tuple(ssh(f) for ssh, f in zip(self.ssh, feats))
