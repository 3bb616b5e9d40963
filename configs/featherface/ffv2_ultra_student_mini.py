# The plain V2-Ultra student on the embedded mini set (no teacher): the
# baseline of the mini distillation run and the config to test its
# checkpoints.
_base_ = [
    '../_base_/models/ffv2_ultra.py',
    '../_base_/datasets/mini_widerface.py',
    '../_base_/schedules/mini_150i.py',
    '../_base_/face_tta.py',
]

# BN momentum 0.1 in attention and BiFPN: the reference's 0.01 would leave
# their running statistics near their initial values after so few steps
model = dict(
    neck=dict(
        backbone_attention=dict(norm_cfg=dict(momentum=0.1)),
        fusion=dict(norm_cfg=dict(momentum=0.1)),
        fusion_attention=dict(norm_cfg=dict(momentum=0.1))))
