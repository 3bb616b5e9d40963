# FeatherFace V2: a slimmed FeatherFace V1 (~254K parameters, vs 592K) with
# the same MobileNetV1-0.25 backbone (213,072 parameters; its features match
# V1's one to one for distillation). Savings: a lean CBAM (reduction 32), a
# 2-cell BiFPN of width 32 whose 1x1 input projections are shared by the
# top-down and bottom-up paths (BiFPNUltra), SSH with plain grouped convs
# (groups 8) instead of deformable ones, and one set of head weights for
# all levels. Every V2-Ultra idea is one key of a FeatherFaceNeck
# sub-config or of SmartFaceHead, off here (see ffv2_ultra_full.py).
_base_ = './featherface_v1.py'

out_channels = 32
attention_norm = dict(type='BN', momentum=0.01, eps=1e-5)
fusion_norm = dict(type='BN', momentum=0.01, eps=1e-3)
model = dict(
    neck=dict(
        _delete_=True,
        type='FeatherFaceNeck',
        in_channels=[64, 128, 256],
        out_channels=out_channels,
        backbone_attention=dict(
            type='CBAM', reduction=32, norm_cfg=attention_norm),
        fusion=dict(
            type='BiFPNUltra',
            num_cells=2,
            proj_groups=1,
            fusion_cfg=dict(type='WeightedFusion', eps=1e-4),
            norm_cfg=fusion_norm),
        fusion_attention=dict(
            type='CBAMCascade',
            num_stages=1,
            share=True,
            reduction=32,
            norm_cfg=attention_norm),
        context=dict(
            type='FaceSSH', conv_cfg=None, groups=8,
            norm_cfg=dict(type='BN')),
        shuffle_block=dict(
            type='ChannelShuffleBlock', groups=2, norm_cfg=dict(type='BN')),
        # feature_reuse, context_gate and enhancement: off (None) by default
    ),
    bbox_head=dict(
        type='SmartFaceHead',
        in_channels=out_channels,
        share_levels=True,
        task_convs=False,
        cross_task=False))
