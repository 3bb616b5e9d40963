# Variant of ffv2_ultra_distill_cpu.py with the annealed distillation of
# configs/_base_/distillation/kd_default.py instead of the constant
# balance: T/alpha 6/0.9 -> 4/0.7 -> 2/0.5 -> 1/0.3, the four stages
# squeezed into the run. Same data, schedule and seed.
_base_ = './ffv2_ultra_distill_cpu.py'

custom_hooks = _base_.kd_iter_hooks + [
    dict(type='BackboneFreezeHook', unfreeze_iter=_base_.unfreeze_iter)]
