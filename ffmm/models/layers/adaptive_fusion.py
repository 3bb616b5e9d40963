"""Per-image (adaptive) cross-scale fusion for the BiFPN (BiFPN-Ultra).

:class:`~ffmm.models.layers.bifpn.WeightedFusion` learns one scalar per
fused input, the same for every image. :class:`AdaptiveFusion` predicts the
weights of each image from a cheap global context instead::

    ctx_b   = [GAP(x_1)_b, ..., GAP(x_n)_b]          # n * C numbers
    logit_b = W ctx_b + c                            # n logits
    w_b     = softmax(logit_b / T)                   # or relu-normalised
    out_b   = sum_i w_b,i * x_i,b

The linear layer sees the pooled descriptors of *all* inputs, so the weight
of one scale can depend on what the other scales contain (a face-crowded
image may lean on the fine level, an image with one large face on the
coarse one). The bias ``c`` plays the role of the static weights; with
``W = 0`` the module is a (softmax-normalised) static fusion. Cost per node:
``n * n * C + n`` parameters, a few hundred for C = 32.

Drop-in for BiFPN's ``fusion_cfg`` (``dict(type='AdaptiveFusion')``): it
takes the same ``num_inputs``, ``channels``, ``eps`` and ``num_weights``
arguments. Surplus weights (``num_weights > num_inputs``, the reference's
P5 node) get logits that only enter the normalisation, as in
``WeightedFusion``.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.registry import MODELS


@MODELS.register_module()
class AdaptiveFusion(nn.Module):
    """Fusion with per-image weights from globally pooled inputs.

    Args:
        num_inputs (int): number of fused maps (all of shape B x C x H x W).
        channels (int): channels C of each map.
        eps (float): added to the weight sum (``normalize='relu'`` only).
        num_weights (int, optional): number of predicted weights,
            ``num_inputs`` by default.
        normalize (str): ``'softmax'`` (default) or ``'relu'``
            (``relu(l) / (sum relu(l) + eps)``, the fast normalised fusion
            of EfficientDet applied to predicted logits).
        temperature (float): softmax temperature.
    """

    param_group = 'fusion'

    def __init__(self,
                 num_inputs,
                 channels,
                 eps=1e-4,
                 num_weights=None,
                 normalize='softmax',
                 temperature=1.0):
        super().__init__()
        num_weights = num_weights or num_inputs
        if num_weights < num_inputs:
            raise ValueError('num_weights must be >= num_inputs')
        if normalize not in ('softmax', 'relu'):
            raise ValueError(f'unknown normalize {normalize!r}')
        if channels is None:
            raise ValueError('AdaptiveFusion needs the channels of its inputs')
        self.num_inputs = num_inputs
        self.channels = channels
        self.eps = eps
        self.normalize = normalize
        self.temperature = temperature
        self.context = nn.Linear(num_inputs * channels, num_weights)
        if normalize == 'relu':
            # start inside the linear region of the relu
            nn.init.constant_(self.context.bias, 1.0)
        else:
            nn.init.zeros_(self.context.bias)

    def fusion_weights(self, inputs):
        """The B x num_inputs weights of each image (rows sum to ~1)."""
        assert len(inputs) == self.num_inputs
        ctx = torch.cat([x.mean(dim=(2, 3)) for x in inputs], dim=1)
        logits = self.context(ctx)
        if self.normalize == 'softmax':
            w = F.softmax(logits / self.temperature, dim=1)
        else:
            w = F.relu(logits)
            w = w / (w.sum(dim=1, keepdim=True) + self.eps)
        return w[:, :self.num_inputs]

    def forward(self, inputs):
        w = self.fusion_weights(inputs)
        out = w[:, 0, None, None, None] * inputs[0]
        for i in range(1, len(inputs)):
            out = out + w[:, i, None, None, None] * inputs[i]
        return out

    def extra_repr(self):
        return (f'num_inputs={self.num_inputs}, channels={self.channels}, '
                f'normalize={self.normalize!r}')
