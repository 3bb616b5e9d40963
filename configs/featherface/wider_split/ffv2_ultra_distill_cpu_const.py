# Variant of ffv2_ultra_full_distill_cpu.py (the every-idea student) with
# a constant distillation balance: alpha 0.5 and T 2 for the whole run
# instead of the squeezed (0.9, 6) -> (0.3, 1) stages, which weight the
# ground truth by only 0.1 for the first quarter. Same data, schedule and
# seed.
_base_ = './ffv2_ultra_full_distill_cpu.py'

kd_constant = dict(temperature=2.0, alpha=0.5)
model = dict(distill_cfg=kd_constant)
custom_hooks = [
    dict(type='DistillationScheduleHook',
         schedule=[dict(begin=1, end=_base_.max_iters, **kd_constant)],
         by_epoch=False),
    dict(type='DistillerCheckpointHook'),
    dict(type='BackboneFreezeHook', unfreeze_iter=_base_.unfreeze_iter),
]
