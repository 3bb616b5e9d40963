# FeatherFace V2-Ultra: at most 250,000 parameters with every idea on.
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
# configs/featherface/ablations/ switch one idea off each.
_base_ = './ffv2.py'

model = dict(
    neck=dict(
        proj_groups=2,
        cbam_reduction=64,
        adaptive_fusion=True,
        attention_stages=3,
        share_attention=True,
        feature_reuse=True,
        ssh_groups=8,
        dynamic_gate=True,
        use_channel_shuffle=False,
        enhancement_rounds=2),
    bbox_head=dict(task_convs=True, cross_task=True))
