# FeatherFace V1 on the embedded mini set. On CPU its training step is ~10x
# the students' (the backward pass of mmcv's deformable convs dominates),
# hence 40 iterations instead of 150.
_base_ = [
    '../_base_/models/featherface_v1.py',
    '../_base_/datasets/mini_widerface.py',
    '../_base_/schedules/mini_150i.py',
    '../_base_/face_tta.py',
]

max_iters = 40
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=5),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=5, end=max_iters,
         eta_min=1e-5),
]
default_hooks = dict(checkpoint=dict(interval=max_iters))

# BN momentum 0.1 in attention and BiFPN: the reference's 0.01 would leave
# their running statistics near their initial values after so few steps
model = dict(
    neck=dict(
        backbone_attention=dict(norm_cfg=dict(momentum=0.1)),
        fusion=dict(norm_cfg=dict(momentum=0.1)),
        fusion_attention=dict(norm_cfg=dict(momentum=0.1))))
