"""Channel shuffle and the FeatherFace post-SSH shuffle block."""
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmdet.registry import MODELS


def channel_shuffle(x, groups):
    """Shuffle channels with the ordering of the FeatherFace reference.

    The C channels are read as a ``(C // groups, groups)`` grid and written
    out column by column, i.e. output channel ``g * (C // groups) + i`` is
    input channel ``i * groups + g``. With ``groups=2`` the even input
    channels come first, then the odd ones. (This is the inverse of the
    ShuffleNet-v1 permutation, which reads a ``(groups, C // groups)``
    grid; the two coincide only when ``groups ** 2 == C``.)
    """
    b, c, h, w = x.shape
    if c % groups:
        raise ValueError(f'{c} channels cannot be split into {groups} groups')
    return x.reshape(b, c // groups, groups, h, w).transpose(1, 2).reshape(
        b, c, h, w)


class ChannelShuffle(nn.Module):
    """Module wrapper of :func:`channel_shuffle`."""

    def __init__(self, groups=2):
        super().__init__()
        self.groups = groups

    def forward(self, x):
        return channel_shuffle(x, self.groups)

    def extra_repr(self):
        return f'groups={self.groups}'


@MODELS.register_module()
class ChannelShuffleBlock(nn.Module):
    """shuffle -> 1x1 (C -> C/2) + BN -> depthwise 3x3 + BN -> 1x1 (C/2 -> C)
    + BN -> ReLU.

    As in the reference, the convs have no bias and the only activation is
    the final one (none between the three convs).

    Args:
        channels (int): input and output channels.
        groups (int): shuffle groups.
        mid_channels (int, optional): bottleneck width, ``channels // 2`` by
            default.
        norm_cfg (dict): norm after each conv.
        act_cfg (dict): final activation.
    """

    def __init__(self,
                 channels,
                 groups=2,
                 mid_channels=None,
                 norm_cfg=dict(type='BN'),
                 act_cfg=dict(type='ReLU')):
        super().__init__()
        mid = mid_channels or channels // 2
        self.shuffle = ChannelShuffle(groups)
        self.conv1 = ConvModule(channels, mid, 1, bias=False,
                                norm_cfg=norm_cfg, act_cfg=None)
        self.dwconv = ConvModule(mid, mid, 3, padding=1, groups=mid,
                                 bias=False, norm_cfg=norm_cfg, act_cfg=None)
        self.conv2 = ConvModule(mid, channels, 1, bias=False,
                                norm_cfg=norm_cfg, act_cfg=act_cfg)

    def forward(self, x):
        return self.conv2(self.dwconv(self.conv1(self.shuffle(x))))
