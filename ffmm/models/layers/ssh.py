"""SSH context module (Najibi et al., 2017) as used by RetinaFace/FeatherFace.

Registered in mmdet's ``MODELS`` as ``'FaceSSH'`` (mmdet's own ``'SSH'`` is
a whole neck), for the ``context`` config of ``FeatherFaceNeck``.
"""
import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmdet.registry import MODELS
from mmengine.logging import print_log
from mmengine.model import BaseModule


def grouped_to_dense(weight, in_channels):
    """The dense conv weight ``(out, in_channels, kh, kw)`` that computes
    what the grouped ``weight`` ``(out, in_channels // groups, kh, kw)``
    does: its groups laid out block-diagonally, zeros elsewhere."""
    out_channels, in_per_group = weight.shape[:2]
    groups = in_channels // in_per_group
    if in_channels % in_per_group or out_channels % groups:
        raise ValueError(
            f'a weight of shape {tuple(weight.shape)} is no grouped conv of '
            f'{in_channels} input channels')
    out_per_group = out_channels // groups
    dense = weight.new_zeros((out_channels, in_channels) + weight.shape[2:])
    for g in range(groups):
        rows = slice(g * out_per_group, (g + 1) * out_per_group)
        dense[rows, g * in_per_group:(g + 1) * in_per_group] = weight[rows]
    return dense


@MODELS.register_module('FaceSSH')
class SSH(BaseModule):
    """Three parallel receptive fields (3x3, 5x5, 7x7 built from stacked 3x3s).

    Branch widths are C/2, C/4, C/4; the 5x5 and 7x7 branches share their
    first conv. Leaky ReLU (0.1) is used inside branches when C <= 64, as in
    the reference implementations. ``conv_cfg`` swaps the 3x3 convs (e.g. for
    a modulated deformable conv in FeatherFace V1); ``groups`` makes the
    branch convs grouped (the V2 parameter saver). A grouped SSH's
    checkpoint loads into a dense one (``groups=1``) block-diagonally (any
    load, e.g. mmengine's ``Pretrained`` init), so a dense SSH fine-tuned
    from a grouped one starts out computing exactly what that one did.
    """

    def __init__(self,
                 in_channels,
                 out_channels,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN'),
                 groups=1,
                 init_cfg=None):
        super().__init__(init_cfg)
        assert out_channels % 4 == 0, 'SSH needs out_channels divisible by 4'
        slope = 0.1 if out_channels <= 64 else 0.0
        act = dict(type='LeakyReLU', negative_slope=slope)

        def conv(cin, cout, act_cfg):
            g = groups if cin % groups == 0 and cout % groups == 0 else 1
            return ConvModule(cin, cout, 3, padding=1, groups=g, bias=False,
                              conv_cfg=conv_cfg, norm_cfg=norm_cfg,
                              act_cfg=act_cfg)

        self.conv3x3 = conv(in_channels, out_channels // 2, None)
        self.conv5x5_1 = conv(in_channels, out_channels // 4, act)
        self.conv5x5_2 = conv(out_channels // 4, out_channels // 4, None)
        self.conv7x7_2 = conv(out_channels // 4, out_channels // 4, act)
        self.conv7x7_3 = conv(out_channels // 4, out_channels // 4, None)
        self._register_load_state_dict_pre_hook(self._densify_grouped)

    def _densify_grouped(self, state_dict, prefix, *args):
        densified = []
        for name, module in self.named_modules(prefix=prefix[:-1]):
            key = f'{name}.weight'
            if (not isinstance(module, torch.nn.Conv2d)
                    or module.groups != 1 or key not in state_dict):
                continue
            weight = state_dict[key]
            if (weight.dim() == 4 and weight.shape[0] == module.out_channels
                    and weight.shape[1] < module.in_channels):
                state_dict[key] = grouped_to_dense(weight, module.in_channels)
                densified.append(key)
        if densified:
            print_log(f'grouped conv weights loaded block-diagonally: '
                      f'{", ".join(densified)}', logger='current')

    def forward(self, x):
        b3 = self.conv3x3(x)
        mid = self.conv5x5_1(x)
        b5 = self.conv5x5_2(mid)
        b7 = self.conv7x7_3(self.conv7x7_2(mid))
        return F.relu(torch.cat([b3, b5, b7], dim=1))
