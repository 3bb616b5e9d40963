"""FeatherFace V2 / V2-Ultra neck: V1's pipeline, slimmed, with switches.

Per forward pass (levels P3, P4, P5)::

    x = relu(cbam_b(x) + x)                 # backbone CBAM (lean reduction)
    P = BiFPN-Ultra(x)                      # shared (grouped) projections,
                                            # static or adaptive fusion
    P = relu(cascade(P) + P)                # 1-3 CBAM stages, shared or not
    P = FeatureReuse(P)                     # feature_reuse: + w * neighbours
    y = SSH(P)                              # grouped SSH (ssh_groups)
    y = g * y + (1 - g) * P                 # dynamic_gate: g = gate(P)
    y = ChannelShuffleBlock(y)              # use_channel_shuffle
    y = ProgressiveEnhancement(y)           # enhancement_rounds > 0

Every idea of the students is one constructor switch (see Args), so the
ablation configs change exactly one argument. Submodules keep V1's names
where they have a V1 counterpart (``backbone_cbam``, ``bifpn``,
``bifpn_cbam``, ``ssh``, ``channel_shuffle``) so that features can be
matched by name in distillation; the new ones are ``feature_reuse``,
``context_gates`` and ``enhancement`` (``None`` when switched off).
"""
import torch.nn as nn
import torch.nn.functional as F
from mmdet.registry import MODELS
from mmengine.model import BaseModule

from ..layers.bifpn import BIFPN_NORM
from ..layers.bifpn_ultra import BiFPNUltra
from ..layers.cbam import CBAM
from ..layers.cbam_cascade import CBAMCascade
from ..layers.channel_shuffle import ChannelShuffleBlock
from ..layers.dynamic_gate import DynamicGate
from ..layers.feature_reuse import FeatureReuse
from ..layers.progressive_enhancement import ProgressiveEnhancement
from ..layers.ssh import SSH


@MODELS.register_module()
class FeatherFaceV2Neck(BaseModule):
    """The neck of FeatherFace V2 and V2-Ultra.

    Args:
        in_channels (Sequence[int]): backbone channels, finest first.
        out_channels (int): width C of the BiFPN and of every output level.
        num_bifpn_cells (int): stacked BiFPN cells.
        proj_groups (int): groups of the BiFPN's 1x1 input projections
            (the projections are always shared by the top-down and
            bottom-up paths; see :class:`BiFPNUltra`).
        adaptive_fusion (bool): per-image fusion weights
            (:class:`AdaptiveFusion`) instead of learned scalars
            (``WeightedFusion``).
        fusion_normalize (str): ``'softmax'`` or ``'relu'`` normalisation
            of the adaptive weights.
        cbam_reduction (int): channel-gate reduction of every CBAM.
        backbone_attention (bool): CBAM on the backbone levels.
        attention_stages (int): CBAM stages after the BiFPN (1 = V1's
            single CBAM, 2-3 = CBAM-Cascade).
        share_attention (bool): the cascade's stages share one CBAM.
        feature_reuse (bool): add fixed-weight neighbouring levels before
            the context modules.
        reuse_weight (float): that fixed weight.
        ssh_groups (int): groups of the SSH convs.
        ssh_conv_cfg (dict, optional): conv of the SSH 3x3 convs (plain
            conv by default; V1 uses DCNv2).
        dynamic_gate (bool): gate each SSH by a per-image complexity score.
        gate_hidden (int): hidden width of each gate's MLP.
        use_channel_shuffle (bool): V1's post-SSH shuffle block.
        shuffle_groups (int): channel-shuffle groups (block and
            enhancement).
        enhancement_rounds (int): rounds of ``x + alpha * tanh(x)`` and
            channel shuffle on each output (0 = off).
        enhancement_alpha (float): ``alpha`` of the enhancement.
        norm_cfg (dict): norm of SSH and shuffle blocks.
        bifpn_norm_cfg (dict): norm inside the BiFPN.
    """

    def __init__(self,
                 in_channels=(64, 128, 256),
                 out_channels=32,
                 num_bifpn_cells=2,
                 proj_groups=1,
                 adaptive_fusion=False,
                 fusion_normalize='softmax',
                 cbam_reduction=32,
                 backbone_attention=True,
                 attention_stages=1,
                 share_attention=True,
                 feature_reuse=False,
                 reuse_weight=0.1,
                 ssh_groups=8,
                 ssh_conv_cfg=None,
                 dynamic_gate=False,
                 gate_hidden=4,
                 use_channel_shuffle=True,
                 shuffle_groups=2,
                 enhancement_rounds=0,
                 enhancement_alpha=0.1,
                 norm_cfg=dict(type='BN'),
                 bifpn_norm_cfg=BIFPN_NORM,
                 init_cfg=None):
        super().__init__(init_cfg)
        in_channels = tuple(in_channels)
        assert len(in_channels) == 3, 'FeatherFaceV2Neck takes 3 levels'
        self.in_channels = in_channels
        self.out_channels = out_channels
        levels = range(len(in_channels))

        if backbone_attention:
            self.backbone_cbam = nn.ModuleList(
                CBAM(c, cbam_reduction) for c in in_channels)
        else:
            self.backbone_cbam = None

        if adaptive_fusion:
            fusion_cfg = dict(type='AdaptiveFusion',
                              normalize=fusion_normalize)
        else:
            fusion_cfg = dict(type='WeightedFusion', eps=1e-4)
        self.bifpn = BiFPNUltra(in_channels, out_channels, num_bifpn_cells,
                                fusion_cfg=fusion_cfg,
                                proj_groups=proj_groups,
                                norm_cfg=bifpn_norm_cfg)

        self.bifpn_cbam = nn.ModuleList(
            CBAMCascade(out_channels, attention_stages, share_attention,
                        cbam_reduction) for _ in levels)

        self.feature_reuse = FeatureReuse(reuse_weight) \
            if feature_reuse else None

        self.ssh = nn.ModuleList(
            SSH(out_channels, out_channels, conv_cfg=ssh_conv_cfg,
                norm_cfg=norm_cfg, groups=ssh_groups) for _ in levels)
        self.context_gates = nn.ModuleList(
            DynamicGate(out_channels, gate_hidden)
            for _ in levels) if dynamic_gate else None

        self.channel_shuffle = nn.ModuleList(
            ChannelShuffleBlock(out_channels, shuffle_groups,
                                norm_cfg=norm_cfg)
            for _ in levels) if use_channel_shuffle else None
        self.enhancement = ProgressiveEnhancement(
            enhancement_rounds, enhancement_alpha, shuffle_groups) \
            if enhancement_rounds > 0 else None

    @staticmethod
    def _attend(cbams, feats):
        return [F.relu(cbam(x) + x) for cbam, x in zip(cbams, feats)]

    def forward(self, inputs):
        assert len(inputs) == len(self.in_channels)
        feats = list(inputs)
        if self.backbone_cbam is not None:
            feats = self._attend(self.backbone_cbam, feats)
        feats = self.bifpn(feats)
        feats = self._attend(self.bifpn_cbam, feats)
        if self.feature_reuse is not None:
            feats = self.feature_reuse(feats)
        outs = [ssh(x) for ssh, x in zip(self.ssh, feats)]
        if self.context_gates is not None:
            outs = [
                gate.blend(x, y, gate(x))
                for gate, x, y in zip(self.context_gates, feats, outs)
            ]
        if self.channel_shuffle is not None:
            outs = [cs(y) for cs, y in zip(self.channel_shuffle, outs)]
        if self.enhancement is not None:
            outs = [self.enhancement(y) for y in outs]
        return tuple(outs)
