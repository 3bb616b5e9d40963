"""3-level BiFPN (P3-P5) as used by FeatherFace (EfficientDet-D0 style).

One cell, with fast normalised fusion ``sum_i relu(w_i) x_i /
(sum_j relu(w_j) + eps)`` at each node::

    P5_in ------------------------------------------> P5_out
      | (nearest up)                                    ^ (max-pool down)
    P4_in ------> P4_td ----------------------------> P4_out
                    | (nearest up)                      ^ (max-pool down)
    P3_in ---------------------------------------> P3_out

    P4_td  = conv(swish(fuse(P4_in, up(P5_in))))
    P3_out = conv(swish(fuse(P3_in, up(P4_td))))
    P4_out = conv(swish(fuse(P4_in', P4_td, down(P3_out))))
    P5_out = conv(swish(fuse(P5_in', down(P4_out))))

``conv`` is a depthwise 3x3 (no bias) + pointwise 1x1 (bias) + BN (eps 1e-3,
momentum 0.01) with no activation; ``up`` is nearest interpolation to the
finer map's size; ``down`` is a 3x3 stride-2 max pool with TensorFlow "same"
padding done by zero padding (extra row/column at the bottom/right for even
sizes), exactly as the reference. In the first cell the backbone levels are
projected to the BiFPN width by 1x1 conv (bias) + BN (an mmcv
``ConvModule`` without activation, see :func:`projection`), and the bottom-up
path uses a second, separate pair of projections for P4_in' and P5_in'; in
later cells P4_in' = P4_in and P5_in' = P5_in.

Reference quirk kept for checkpoint compatibility: the P5_out node owns 3
fusion weights but fuses only 2 inputs; the third weight still takes part
in the normalisation (``legacy_p5_weights=True``).

The fusion is a replaceable module (``fusion_cfg``, built from mmdet's
``MODELS``), called as ``fusion(list_of_tensors)``, so variants with
per-image (adaptive) weights can be dropped in. :class:`BiFPN` is registered
in ``MODELS`` for the ``fusion`` config of ``FeatherFaceNeck``; its norm
defaults to the reference's (momentum 0.01, eps 1e-3).
"""
import math
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule, build_activation_layer, build_norm_layer
from mmdet.registry import MODELS

BIFPN_NORM = dict(type='BN', momentum=0.01, eps=1e-3)


@MODELS.register_module()
class WeightedFusion(nn.Module):
    """Fast normalised fusion with learnable, input-independent weights.

    Args:
        num_inputs (int): number of fused maps.
        channels (int): channels of each map (unused here; part of the
            fusion interface for adaptive variants).
        eps (float): added to the weight sum.
        num_weights (int, optional): number of weights, ``num_inputs`` by
            default; more weights than inputs reproduces the reference P5
            node, whose surplus weights only enter the normalisation.
    """

    def __init__(self, num_inputs, channels=None, eps=1e-4, num_weights=None):
        super().__init__()
        num_weights = num_weights or num_inputs
        if num_weights < num_inputs:
            raise ValueError('num_weights must be >= num_inputs')
        self.num_inputs = num_inputs
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_weights))

    def normalized_weights(self):
        w = F.relu(self.weight)
        return w / (w.sum() + self.eps)

    def forward(self, inputs):
        assert len(inputs) == self.num_inputs
        w = self.normalized_weights()
        out = w[0] * inputs[0]
        for i in range(1, len(inputs)):
            out = out + w[i] * inputs[i]
        return out

    def extra_repr(self):
        return f'num_inputs={self.num_inputs}, eps={self.eps}'


def projection(in_channels, out_channels, groups=1, norm_cfg=BIFPN_NORM):
    """1x1 conv (bias, as the reference) -> norm, no activation.

    ``groups`` is reduced to the largest divisor of both channel counts that
    does not exceed it. The ``ConvModule`` names its parts ``conv`` and
    ``bn``, the keys of the checkpoints.
    """
    groups = math.gcd(math.gcd(in_channels, out_channels), groups)
    with warnings.catch_warnings():
        # ConvModule warns of a bias before a norm; the reference has one
        warnings.filterwarnings('ignore', 'Unnecessary conv bias')
        return ConvModule(in_channels, out_channels, 1, groups=groups,
                          bias=True, norm_cfg=norm_cfg, act_cfg=None)


class SeparableConvBN(nn.Module):
    """Depthwise 3x3 (no bias) -> pointwise 1x1 (bias) -> norm."""

    def __init__(self, channels, norm_cfg=BIFPN_NORM):
        super().__init__()
        self.depthwise_conv = nn.Conv2d(
            channels, channels, 3, padding=1, groups=channels, bias=False)
        self.pointwise_conv = nn.Conv2d(channels, channels, 1, bias=True)
        self.bn = build_norm_layer(norm_cfg, channels)[1]

    def forward(self, x):
        return self.bn(self.pointwise_conv(self.depthwise_conv(x)))


# Modules calling max_pool_same on P3/P4 declare this: a traced graph is
# right for inputs whose sides are multiples of it (ONNX export records it).
EXPORT_SIZE_DIVISOR = 32


def max_pool_same(x, kernel_size=3, stride=2):
    """Max pool with TF "same" padding; the pad value is 0 (the reference
    pads with F.pad's default), not -inf.

    The pads are Python ints, so an ONNX trace stores them as constants:
    they are the same for every even map size (the maps of any input whose
    sides are multiples of 32), the sizes a dynamic export supports (see
    ``EXPORT_SIZE_DIVISOR``). A traced ``ceil(h / stride)`` would be frozen
    while ``h`` stays dynamic, giving negative pads at other sizes.
    """
    h, w = (int(s) for s in x.shape[-2:])
    pad_h = max((math.ceil(h / stride) - 1) * stride - h + kernel_size, 0)
    pad_w = max((math.ceil(w / stride) - 1) * stride - w + kernel_size, 0)
    x = F.pad(x, [pad_w // 2, pad_w - pad_w // 2,
                  pad_h // 2, pad_h - pad_h // 2])
    return F.max_pool2d(x, kernel_size, stride)


def upsample_to(x, ref):
    return F.interpolate(x, size=ref.shape[-2:], mode='nearest')


class BiFPNCell(nn.Module):
    """One bidirectional fusion cell over (P3, P4, P5).

    Args:
        channels (int): BiFPN width.
        in_channels (Sequence[int], optional): backbone channels of
            (P3, P4, P5); given only for the first cell, which then owns the
            input projections.
        fusion_cfg (dict): fusion module config; ``num_inputs`` and
            ``channels`` (and ``num_weights`` for the legacy P5 node) are
            filled in.
        legacy_p5_weights (bool): give the P5 node 3 weights for 2 inputs,
            as the reference does.
        norm_cfg (dict): norm of the separable convs and projections.
        act_cfg (dict): activation applied to each fused sum (Swish =
            ``x * sigmoid(x)``).
    """

    export_size_divisor = EXPORT_SIZE_DIVISOR

    def __init__(self,
                 channels,
                 in_channels=None,
                 fusion_cfg=dict(type='WeightedFusion', eps=1e-4),
                 legacy_p5_weights=True,
                 norm_cfg=BIFPN_NORM,
                 act_cfg=dict(type='Swish')):
        super().__init__()
        self.first = in_channels is not None
        if self.first:

            def proj(cin):
                return projection(cin, channels, norm_cfg=norm_cfg)

            # P3_in, P4_in, P5_in for the top-down path ...
            self.in_projs = nn.ModuleList(proj(c) for c in in_channels)
            # ... and separate P4_in', P5_in' for the bottom-up path.
            self.skip_projs = nn.ModuleList(
                proj(c) for c in in_channels[1:])

        def fusion(n, num_weights=None):
            cfg = dict(fusion_cfg, num_inputs=n, channels=channels)
            if num_weights is not None:
                cfg['num_weights'] = num_weights
            return MODELS.build(cfg)

        self.fuse_p4_td = fusion(2)
        self.fuse_p3_out = fusion(2)
        self.fuse_p4_out = fusion(3)
        self.fuse_p5_out = fusion(2, 3 if legacy_p5_weights else None)
        self.conv_p4_td = SeparableConvBN(channels, norm_cfg)
        self.conv_p3_out = SeparableConvBN(channels, norm_cfg)
        self.conv_p4_out = SeparableConvBN(channels, norm_cfg)
        self.conv_p5_out = SeparableConvBN(channels, norm_cfg)
        self.act = build_activation_layer(act_cfg)

    def forward(self, inputs):
        p3, p4, p5 = inputs
        if self.first:
            p3_in, p4_in, p5_in = (
                proj(x) for proj, x in zip(self.in_projs, inputs))
        else:
            p3_in, p4_in, p5_in = p3, p4, p5

        p4_td = self.conv_p4_td(
            self.act(self.fuse_p4_td([p4_in, upsample_to(p5_in, p4_in)])))
        p3_out = self.conv_p3_out(
            self.act(self.fuse_p3_out([p3_in, upsample_to(p4_td, p3_in)])))

        if self.first:
            p4_in = self.skip_projs[0](p4)
            p5_in = self.skip_projs[1](p5)
        p4_out = self.conv_p4_out(
            self.act(
                self.fuse_p4_out([p4_in, p4_td,
                                  max_pool_same(p3_out)])))
        p5_out = self.conv_p5_out(
            self.act(self.fuse_p5_out([p5_in, max_pool_same(p4_out)])))
        return p3_out, p4_out, p5_out


@MODELS.register_module()
class BiFPN(nn.Module):
    """A stack of :class:`BiFPNCell`; the first one projects the inputs.

    Args:
        in_channels (Sequence[int]): backbone channels of (P3, P4, P5).
        out_channels (int): BiFPN width.
        num_cells (int): number of stacked cells (3 in FeatherFace V1).
        Other arguments: see :class:`BiFPNCell`.
    """

    def __init__(self,
                 in_channels=(64, 128, 256),
                 out_channels=64,
                 num_cells=3,
                 fusion_cfg=dict(type='WeightedFusion', eps=1e-4),
                 legacy_p5_weights=True,
                 norm_cfg=BIFPN_NORM,
                 act_cfg=dict(type='Swish')):
        super().__init__()
        assert len(in_channels) == 3, 'this BiFPN fuses exactly 3 levels'
        assert num_cells >= 1
        self.cells = nn.ModuleList(
            BiFPNCell(out_channels, in_channels if i == 0 else None,
                      fusion_cfg, legacy_p5_weights, norm_cfg, act_cfg)
            for i in range(num_cells))

    def forward(self, inputs):
        feats = tuple(inputs)
        for cell in self.cells:
            feats = cell(feats)
        return feats
