"""Zero-parameter cross-level feature reuse before the context modules.

Each level receives its neighbours with a fixed small weight ``w``::

    P3' = P3 + w * up(P4)
    P4' = P4 + w * (down(P3) + up(P5))
    P5' = P5 (+ w * down(P4) with ``include_top=True``)

``up`` is nearest interpolation to the finer map's size, ``down`` the BiFPN's
3x3/2 max pool with TF "same" padding (resized by nearest interpolation in
the rare case the sizes still differ). All sums use the input maps (the
updates are simultaneous). No parameters: the weights are fixed constants.
"""
import torch.nn as nn
import torch.nn.functional as F
from mmdet.registry import MODELS

from .bifpn import EXPORT_SIZE_DIVISOR, max_pool_same


def _resize_to(x, ref):
    if x.shape[-2:] != ref.shape[-2:]:
        x = F.interpolate(x, size=ref.shape[-2:], mode='nearest')
    return x


@MODELS.register_module()
class FeatureReuse(nn.Module):
    """Add fixed-weight neighbouring levels to each of (P3, P4, P5).

    Args:
        weight (float): the fixed weight ``w`` of a neighbour.
        include_top (bool): also give P5 the downsampled P4.
    """

    export_size_divisor = EXPORT_SIZE_DIVISOR

    param_group = 'extras'

    def __init__(self, weight=0.1, include_top=False):
        super().__init__()
        self.weight = float(weight)
        self.include_top = include_top

    @staticmethod
    def up(x, ref):
        return F.interpolate(x, size=ref.shape[-2:], mode='nearest')

    @staticmethod
    def down(x, ref):
        return _resize_to(max_pool_same(x), ref)

    def forward(self, feats):
        assert len(feats) == 3, 'FeatureReuse works on (P3, P4, P5)'
        p3, p4, p5 = feats
        w = self.weight
        out3 = p3 + w * self.up(p4, p3)
        out4 = p4 + w * (self.down(p3, p4) + self.up(p5, p4))
        out5 = p5 + w * self.down(p4, p5) if self.include_top else p5
        return out3, out4, out5

    def extra_repr(self):
        return f'weight={self.weight}, include_top={self.include_top}'
