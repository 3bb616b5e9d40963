"""CBAM attention (Woo et al., ECCV 2018) in the form FeatherFace uses.

A channel gate (shared MLP over globally avg- and max-pooled descriptors)
followed by a spatial gate (7x7 conv + norm over the channel-wise max and
mean maps). :class:`CBAM` returns the attended features only; FeatherFace's
neck adds the residual and a ReLU itself (``relu(cbam(x) + x)``).

Registered in mmdet's ``MODELS`` as a plugin (as MMYOLO's CBAM), so a neck
or a backbone's ``plugins`` can build it from a config; ``norm_cfg`` and
``act_cfg`` come from that config. The defaults are the reference's (BN
momentum 0.01 in PyTorch's convention, eps 1e-5): short training runs set
``norm_cfg=dict(type='BN', momentum=0.1)`` in their config instead.

The gates are separate modules so that variants can change the reduction,
drop a gate, or share one gate instance between several CBAM blocks
(pass the same ``channel_gate``/``spatial_gate`` object to each of them).
"""
import torch
import torch.nn as nn
from mmcv.cnn import build_activation_layer, build_norm_layer
from mmdet.registry import MODELS

CBAM_NORM = dict(type='BN', momentum=0.01, eps=1e-5)


class ChannelGate(nn.Module):
    """Channel attention: ``x * sigmoid(sum_p MLP(pool_p(x)))``.

    Args:
        channels (int): input channels.
        reduction (int): hidden width is ``channels // reduction`` (at
            least 1).
        pool_types (Sequence[str]): global poolings fed to the shared MLP,
            any of ``'avg'`` and ``'max'``; their MLP outputs are summed.
        act_cfg (dict): activation between the two linear layers.
    """

    def __init__(self,
                 channels,
                 reduction=16,
                 pool_types=('avg', 'max'),
                 act_cfg=dict(type='ReLU')):
        super().__init__()
        unknown = set(pool_types) - {'avg', 'max'}
        if unknown or not pool_types:
            raise ValueError(f'unsupported pool_types {pool_types}')
        self.channels = channels
        self.hidden_channels = max(channels // reduction, 1)
        self.pool_types = tuple(pool_types)
        self.fc1 = nn.Linear(channels, self.hidden_channels)
        self.act = build_activation_layer(act_cfg)
        self.fc2 = nn.Linear(self.hidden_channels, channels)

    def mlp(self, v):
        return self.fc2(self.act(self.fc1(v)))

    def forward(self, x):
        logits = None
        for kind in self.pool_types:
            if kind == 'avg':
                v = x.mean(dim=(2, 3))
            else:
                v = x.amax(dim=(2, 3))
            out = self.mlp(v)
            logits = out if logits is None else logits + out
        return x * torch.sigmoid(logits)[:, :, None, None]


class SpatialGate(nn.Module):
    """Spatial attention: ``x * sigmoid(norm(conv([max_c(x), mean_c(x)])))``.

    The two descriptor maps are stacked max first, then mean; the conv has
    no bias and no activation follows the norm (``norm_cfg=None`` drops
    it).
    """

    def __init__(self, kernel_size=7, norm_cfg=CBAM_NORM):
        super().__init__()
        self.conv = nn.Conv2d(
            2, 1, kernel_size, padding=(kernel_size - 1) // 2, bias=False)
        self.bn = build_norm_layer(norm_cfg, 1)[1] if norm_cfg else None

    def forward(self, x):
        pooled = torch.cat(
            [x.amax(dim=1, keepdim=True),
             x.mean(dim=1, keepdim=True)], dim=1)
        att = self.conv(pooled)
        if self.bn is not None:
            att = self.bn(att)
        return x * torch.sigmoid(att)


@MODELS.register_module()
class CBAM(nn.Module):
    """Channel gate then spatial gate; returns the attended features.

    Args:
        channels (int): input channels.
        reduction (int): channel-gate MLP reduction.
        spatial_kernel (int): spatial-gate conv size.
        pool_types (Sequence[str]): channel-gate poolings.
        use_spatial (bool): keep the spatial gate.
        norm_cfg (dict): spatial-gate norm.
        act_cfg (dict): channel-gate MLP activation.
        channel_gate (nn.Module, optional): a prebuilt gate to use (e.g. one
            shared with other CBAM blocks) instead of building one.
        spatial_gate (nn.Module, optional): likewise for the spatial gate.
    """

    def __init__(self,
                 channels,
                 reduction=16,
                 spatial_kernel=7,
                 pool_types=('avg', 'max'),
                 use_spatial=True,
                 norm_cfg=CBAM_NORM,
                 act_cfg=dict(type='ReLU'),
                 channel_gate=None,
                 spatial_gate=None):
        super().__init__()
        self.channel_gate = channel_gate if channel_gate is not None else \
            ChannelGate(channels, reduction, pool_types, act_cfg)
        if spatial_gate is not None:
            self.spatial_gate = spatial_gate
        elif use_spatial:
            self.spatial_gate = SpatialGate(spatial_kernel, norm_cfg)
        else:
            self.spatial_gate = None

    def forward(self, x):
        x = self.channel_gate(x)
        if self.spatial_gate is not None:
            x = self.spatial_gate(x)
        return x
