"""The FeatherFace neck (V1, V2 and V2-Ultra), assembled from sub-configs.

Per forward pass (levels P3, P4, P5)::

    x = relu(att_b(x) + x)          # backbone_attention (CBAM), optional
    P = fusion(x)                   # BiFPN / BiFPN-Ultra (fusion nodes,
                                    #   cells, width, projection groups)
    P = relu(att_f(P) + P)          # fusion_attention (CBAM / CBAM-Cascade)
    P = reuse(P)                    # feature_reuse, optional
    y = context(P)                  # SSH (deformable or grouped convs)
    y = g * y + (1 - g) * P         # context_gate: g = gate(P), optional
    y = shuffle_block(y)            # V1's post-SSH block, optional
    y = enhancement(y)              # progressive enhancement, optional

Every stage is a config built from mmdet's ``MODELS``; the neck fills in
the channel arguments (``channels`` / ``in_channels`` / ``out_channels``),
so configs name only what differs. An optional stage is off with ``None``:
each V2-Ultra idea is one key of one sub-config (see
``configs/_base_/models/ffv2_ultra_full.py`` and the ablations).

Submodules keep the names of the checkpoints written so far (and of the
features matched by distillation): ``backbone_cbam``, ``bifpn``,
``bifpn_cbam``, ``feature_reuse``, ``ssh``, ``context_gates``,
``channel_shuffle`` and ``enhancement`` (``None`` when switched off); the
per-level ones are ``nn.ModuleList``.
"""
import torch.nn as nn
import torch.nn.functional as F
from mmdet.registry import MODELS
from mmengine.model import BaseModule

from ..layers.bifpn import BIFPN_NORM
from ..plugins.cbam import CBAM_NORM

# FeatherFace V1, the default.
V1_ATTENTION = dict(type='CBAM', reduction=16, norm_cfg=CBAM_NORM)
V1_FUSION = dict(
    type='BiFPN',
    num_cells=3,
    fusion_cfg=dict(type='WeightedFusion', eps=1e-4),
    legacy_p5_weights=True,
    norm_cfg=BIFPN_NORM)
V1_CONTEXT = dict(
    type='FaceSSH', conv_cfg=dict(type='ScaledDCNv2'),
    norm_cfg=dict(type='BN'))
V1_SHUFFLE = dict(type='ChannelShuffleBlock', groups=2,
                  norm_cfg=dict(type='BN'))


def _per_level(cfg, num_levels, **channel_args):
    """One module per level from one config, or from a list (finest first)
    where levels differ (e.g. a denser context module at stride 8)."""
    if cfg is None:
        return None
    cfgs = list(cfg) if isinstance(cfg, (list, tuple)) else [cfg] * num_levels
    if len(cfgs) != num_levels:
        raise ValueError(
            f'{len(cfgs)} per-level configs for {num_levels} levels')
    return nn.ModuleList(
        MODELS.build(c, default_args=channel_args) for c in cfgs)


@MODELS.register_module()
class FeatherFaceNeck(BaseModule):
    """Attention -> fusion -> attention -> context -> post-processing.

    Args:
        in_channels (Sequence[int]): backbone channels, finest first.
        out_channels (int): width C of the fusion and of every output level.
        backbone_attention (dict, optional): attention on each backbone
            level (``channels`` filled in), used as ``relu(att(x) + x)``.
        fusion (dict): the cross-scale fusion (``in_channels`` and
            ``out_channels`` filled in), e.g. ``BiFPN`` or ``BiFPNUltra``
            with their ``num_cells``, ``fusion_cfg`` and ``proj_groups``.
        fusion_attention (dict): attention on each fused level, e.g.
            ``CBAM`` or ``CBAMCascade``.
        feature_reuse (dict, optional): a module mixing the fused levels
            before the context modules (called on the list of levels).
        context (dict | list[dict]): context module of each level, or one
            config per level (``in_channels`` and
            ``out_channels`` filled in), e.g. ``FaceSSH`` with ``conv_cfg``
            (deformable) or ``groups``.
        context_gate (dict, optional): a gate per level (``channels`` filled
            in) blending each context module with its input.
        shuffle_block (dict, optional): a block per level (``channels``
            filled in) after the context modules.
        enhancement (dict, optional): one parameter-free module applied to
            every output level.
        init_cfg (dict, optional): mmengine initialisation config.
    """

    def __init__(self,
                 in_channels=(64, 128, 256),
                 out_channels=64,
                 backbone_attention=V1_ATTENTION,
                 fusion=V1_FUSION,
                 fusion_attention=V1_ATTENTION,
                 feature_reuse=None,
                 context=V1_CONTEXT,
                 context_gate=None,
                 shuffle_block=V1_SHUFFLE,
                 enhancement=None,
                 init_cfg=None):
        super().__init__(init_cfg)
        in_channels = tuple(in_channels)
        self.in_channels = in_channels
        self.out_channels = out_channels
        num_levels = len(in_channels)

        if backbone_attention is None:
            self.backbone_cbam = None
        else:
            self.backbone_cbam = nn.ModuleList(
                MODELS.build(backbone_attention, default_args=dict(channels=c))
                for c in in_channels)
        self.bifpn = MODELS.build(
            fusion,
            default_args=dict(in_channels=in_channels,
                              out_channels=out_channels))
        self.bifpn_cbam = _per_level(
            fusion_attention, num_levels, channels=out_channels)
        self.feature_reuse = MODELS.build(feature_reuse) \
            if feature_reuse is not None else None
        self.ssh = _per_level(context, num_levels, in_channels=out_channels,
                              out_channels=out_channels)
        self.context_gates = _per_level(context_gate, num_levels,
                                        channels=out_channels)
        self.channel_shuffle = _per_level(shuffle_block, num_levels,
                                          channels=out_channels)
        self.enhancement = MODELS.build(enhancement) \
            if enhancement is not None else None

    @staticmethod
    def _attend(attentions, feats):
        if attentions is None:
            return list(feats)
        return [F.relu(att(x) + x) for att, x in zip(attentions, feats)]

    def forward(self, inputs):
        assert len(inputs) == len(self.in_channels)
        feats = self._attend(self.backbone_cbam, inputs)
        feats = self._attend(self.bifpn_cbam, self.bifpn(feats))
        if self.feature_reuse is not None:
            feats = self.feature_reuse(feats)
        outs = [ssh(x) for ssh, x in zip(self.ssh, feats)]
        if self.context_gates is not None:
            outs = [
                gate.blend(x, y, gate(x))
                for gate, x, y in zip(self.context_gates, feats, outs)
            ]
        if self.channel_shuffle is not None:
            outs = [block(y) for block, y in zip(self.channel_shuffle, outs)]
        if self.enhancement is not None:
            outs = [self.enhancement(y) for y in outs]
        return tuple(outs)
