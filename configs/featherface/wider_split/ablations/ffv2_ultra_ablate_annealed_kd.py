# Training ablation (issue 14) on the distilled ablation recipe: the
# default annealed T/alpha stages (6/0.9 -> 4/0.7 -> 2/0.5 -> 1/0.3,
# squeezed into the run) instead of the constant T 2 / alpha 0.5.
_base_ = '../ffv2_ultra_ablate_cpu.py'

custom_hooks = _base_.kd_iter_hooks + [
    dict(type='BackboneFreezeHook', unfreeze_iter=_base_.unfreeze_iter)]
model = dict(distill_cfg=dict(alpha=0.9, temperature=6.0))
