# FeatherFace V2-Ultra as published: at most 250,000 parameters with every
# idea on (244,031). Not the default: ./ffv2_ultra.py switches the
# compute-costing ideas off, since none measured a gain on WIDER FACE.
# The backbone alone is 213,072, so neck and heads share ~37K:
#   * BiFPN-Ultra: grouped (2) shared input projections and per-image
#     adaptive fusion weights (AdaptiveFusion) in 2 cells of width 32;
#   * CBAM-Cascade: 3 attention stages after the BiFPN sharing one CBAM
#     (0 extra parameters), CBAM reduction 64;
#   * zero-parameter feature reuse between neighbouring levels;
#   * grouped SSH (groups 8) gated per image by a complexity score (<1K);
#   * zero-parameter progressive enhancement (x + 0.1 tanh x, shuffle)
#     instead of V1's shuffle blocks;
#   * SmartHead: task features with cross-task fusion, shared by levels.
# Each idea is one key here; configs/featherface/ablations/ set one back.
_base_ = './ffv2.py'

model = dict(
    neck=dict(
        backbone_attention=dict(reduction=64),
        fusion=dict(proj_groups=2, fusion_cfg=dict(type='AdaptiveFusion')),
        fusion_attention=dict(num_stages=3, reduction=64),
        feature_reuse=dict(type='FeatureReuse', weight=0.1),
        context_gate=dict(type='DynamicGate', hidden=4),
        shuffle_block=None,
        enhancement=dict(
            type='ProgressiveEnhancement',
            rounds=2,
            alpha=0.1,
            shuffle_groups=2)),
    bbox_head=dict(task_convs=True, cross_task=True))
