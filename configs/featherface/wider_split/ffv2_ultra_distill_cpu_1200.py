# The constant distillation balance of ffv2_ultra_distill_cpu_const.py
# (T 2, alpha 0.5) on a 1,200-iteration schedule (15 epochs of the split):
# the common base of the later CPU experiments, which each change one thing
# (the crops, the class distillation) and have a no-teacher control.
_base_ = './ffv2_ultra_distill_cpu_const.py'

max_iters = 1200
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=_base_.warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=_base_.warmup_iters,
         end=max_iters, eta_min=1e-5),
]
custom_hooks = [
    dict(type='DistillationScheduleHook',
         schedule=[dict(begin=1, end=max_iters, **_base_.kd_constant)],
         by_epoch=False),
    dict(type='DistillerCheckpointHook'),
    dict(type='BackboneFreezeHook', unfreeze_iter=_base_.unfreeze_iter),
]
