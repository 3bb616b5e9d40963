# The plain FeatherFace V2 student (254,179 parameters) distilled exactly
# like ffv2_ultra_distill_cpu.py: V2-Ultra's switches set back to the
# values of configs/_base_/models/ffv2.py (a test checks they agree).
_base_ = './ffv2_ultra_distill_cpu.py'

model = dict(
    student=dict(
        neck=dict(
            proj_groups=1,
            cbam_reduction=32,
            adaptive_fusion=False,
            attention_stages=1,
            feature_reuse=False,
            dynamic_gate=False,
            use_channel_shuffle=True,
            enhancement_rounds=0),
        bbox_head=dict(task_convs=False, cross_task=False)))
