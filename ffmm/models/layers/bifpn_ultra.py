"""BiFPN-Ultra: the BiFPN of the V2 students with lean input projections.

In V1's BiFPN the first cell projects each backbone level to the BiFPN
width twice (once for the top-down path, once more for the bottom-up skip
inputs P4_in', P5_in'): at width 32 these 1x1 projections are ~27K
parameters, more than all the cells together. BiFPN-Ultra projects each
level once, optionally with a grouped 1x1 conv (``proj_groups``), and feeds
the same projected maps to both paths; every cell is then a projection-free
:class:`~ffmm.models.layers.bifpn.BiFPNCell` (so P4_in' = P4_in and
P5_in' = P5_in in all cells, as in V1's later cells). The fusion nodes take
any ``fusion_cfg``, e.g. the per-image ``AdaptiveFusion``. Registered in
mmdet's ``MODELS`` for the ``fusion`` config of ``FeatherFaceNeck``.
"""
import torch.nn as nn
from mmdet.registry import MODELS

from .bifpn import BIFPN_NORM, BiFPNCell, projection


@MODELS.register_module()
class BiFPNUltra(nn.Module):
    """Shared (optionally grouped) input projections + projection-free cells.

    Args:
        in_channels (Sequence[int]): backbone channels of (P3, P4, P5).
        out_channels (int): BiFPN width.
        num_cells (int): stacked cells.
        fusion_cfg (dict): fusion module of every node (``WeightedFusion``
            or ``AdaptiveFusion``; see :class:`BiFPNCell`).
        proj_groups (int): groups of the 1x1 input projections (reduced to
            a divisor of the channel counts, see :func:`projection`).
        legacy_p5_weights (bool): V1's 3-weight P5 node (off for new
            models).
        norm_cfg (dict): norm of projections and separable convs.
        act_cfg (dict): activation of the fused sums.
    """

    param_group = 'fusion'

    def __init__(self,
                 in_channels=(64, 128, 256),
                 out_channels=32,
                 num_cells=2,
                 fusion_cfg=dict(type='WeightedFusion', eps=1e-4),
                 proj_groups=1,
                 legacy_p5_weights=False,
                 norm_cfg=BIFPN_NORM,
                 act_cfg=dict(type='Swish')):
        super().__init__()
        assert len(in_channels) == 3, 'this BiFPN fuses exactly 3 levels'
        assert num_cells >= 1
        self.in_projs = nn.ModuleList(
            projection(c, out_channels, proj_groups, norm_cfg)
            for c in in_channels)
        self.cells = nn.ModuleList(
            BiFPNCell(out_channels, None, fusion_cfg, legacy_p5_weights,
                      norm_cfg, act_cfg) for _ in range(num_cells))

    def forward(self, inputs):
        feats = tuple(proj(x) for proj, x in zip(self.in_projs, inputs))
        for cell in self.cells:
            feats = cell(feats)
        return feats
