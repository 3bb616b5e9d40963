# FeatherFace V2: a slimmed FeatherFace V1 (~254K parameters, vs 592K) with
# the same MobileNetV1-0.25 backbone (213,072 parameters; its features match
# V1's one to one for distillation). Savings: a lean CBAM (reduction 32), a
# 2-cell BiFPN of width 32 whose 1x1 input projections are shared by the
# top-down and bottom-up paths, SSH with plain grouped convs (groups 8)
# instead of deformable ones, and one set of head weights for all levels.
# Every V2-Ultra idea is a switch of FeatherFaceV2Neck / SmartFaceHead, off
# here (see ffv2_ultra.py).
_base_ = './featherface_v1.py'

out_channels = 32
model = dict(
    neck=dict(
        _delete_=True,
        type='FeatherFaceV2Neck',
        in_channels=[64, 128, 256],
        out_channels=out_channels,
        num_bifpn_cells=2,
        proj_groups=1,
        cbam_reduction=32,
        backbone_attention=True,
        ssh_groups=8,
        ssh_conv_cfg=None,
        use_channel_shuffle=True,
        # the V2-Ultra ideas, all off
        adaptive_fusion=False,
        attention_stages=1,
        share_attention=True,
        feature_reuse=False,
        dynamic_gate=False,
        enhancement_rounds=0),
    bbox_head=dict(
        type='SmartFaceHead',
        in_channels=out_channels,
        share_levels=True,
        task_convs=False,
        cross_task=False))
