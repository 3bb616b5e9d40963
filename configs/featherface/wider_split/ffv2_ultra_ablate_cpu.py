# The ablation recipe (issue 14) on the CPU: ffv2_ultra_distill_cpu_1200.py
# (constant T 2 / alpha 0.5, V1's backbone, 320 crops, batch 16) halved
# to 600 iterations, every stage scaled by the same factor, so that the
# seeds and ablations of tools/analysis/ablate.py fit an afternoon on two
# cores (300 iterations were tried first: 35.5 / 45.6 / 26.0 on `dev`,
# too early in training to say anything about the finished model).
# Distilled from V1; ffv2_ultra_ablate_cpu_nokd.py is the same run without
# the teacher.
_base_ = './ffv2_ultra_distill_cpu_1200.py'

max_iters = 600
warmup_iters = 50
unfreeze_iter = 300

train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
# tools/analysis/ablate.py evaluates the final checkpoint on `dev` itself
val_cfg = None
val_dataloader = None
val_evaluator = None
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup_iters,
         end=max_iters, eta_min=1e-5),
]
default_hooks = dict(checkpoint=dict(interval=200, max_keep_ckpts=1))
custom_hooks = [
    dict(type='DistillationScheduleHook',
         schedule=[dict(begin=1, end=max_iters, **_base_.kd_constant)],
         by_epoch=False),
    dict(type='DistillerCheckpointHook'),
    dict(type='BackboneFreezeHook', unfreeze_iter=unfreeze_iter),
]
