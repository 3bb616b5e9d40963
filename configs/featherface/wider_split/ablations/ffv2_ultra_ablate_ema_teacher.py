# Training ablation (issue 14) on the no-teacher ablation recipe:
# self-distillation from an EMA copy of the student (momentum 1e-3), with
# the recipe's constant T 2 / alpha 0.5.
_base_ = '../ffv2_ultra_ablate_cpu_nokd.py'

model = dict(ema_teacher=dict(momentum=1e-3, weight=1.0))
