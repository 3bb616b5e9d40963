"""Deprecated ``FeatherFaceV2Neck``: configs dumped before the neck became
one configurable :class:`FeatherFaceNeck` (work_dirs of earlier runs).

The old flat switches are translated to the sub-configs; the result is a
``FeatherFaceNeck`` with the same modules, names and parameters, so such
configs and their checkpoints keep working. New configs use
``FeatherFaceNeck`` (see ``configs/_base_/models/ffv2*.py``).
"""
import warnings

from mmdet.registry import MODELS

from ..layers.bifpn import BIFPN_NORM
from ..plugins.cbam import CBAM_NORM
from .featherface_neck import FeatherFaceNeck


@MODELS.register_module()
def FeatherFaceV2Neck(in_channels=(64, 128, 256),  # noqa: N802 (old name)
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
    """Build the :class:`FeatherFaceNeck` an old V2 neck config describes."""
    warnings.warn('FeatherFaceV2Neck is deprecated: use FeatherFaceNeck '
                  'with sub-configs', DeprecationWarning)
    if adaptive_fusion:
        node = dict(type='AdaptiveFusion', normalize=fusion_normalize)
    else:
        node = dict(type='WeightedFusion', eps=1e-4)
    attention = dict(type='CBAM', reduction=cbam_reduction,
                     norm_cfg=CBAM_NORM)
    return FeatherFaceNeck(
        in_channels=in_channels,
        out_channels=out_channels,
        backbone_attention=attention if backbone_attention else None,
        fusion=dict(type='BiFPNUltra', num_cells=num_bifpn_cells,
                    fusion_cfg=node, proj_groups=proj_groups,
                    norm_cfg=bifpn_norm_cfg),
        fusion_attention=dict(type='CBAMCascade', num_stages=attention_stages,
                              share=share_attention,
                              reduction=cbam_reduction, norm_cfg=CBAM_NORM),
        feature_reuse=dict(type='FeatureReuse', weight=reuse_weight)
        if feature_reuse else None,
        context=dict(type='FaceSSH', conv_cfg=ssh_conv_cfg,
                     norm_cfg=norm_cfg, groups=ssh_groups),
        context_gate=dict(type='DynamicGate', hidden=gate_hidden)
        if dynamic_gate else None,
        shuffle_block=dict(type='ChannelShuffleBlock', groups=shuffle_groups,
                           norm_cfg=norm_cfg) if use_channel_shuffle else None,
        enhancement=dict(type='ProgressiveEnhancement',
                         rounds=enhancement_rounds, alpha=enhancement_alpha,
                         shuffle_groups=shuffle_groups)
        if enhancement_rounds > 0 else None,
        init_cfg=init_cfg)
