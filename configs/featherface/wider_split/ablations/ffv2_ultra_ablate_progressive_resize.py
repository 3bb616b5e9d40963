# Training ablation (issue 14) on the no-teacher ablation recipe: crops of
# 224, then 288, then 320 (the recipe's size) over the run, by
# ProgressiveResizeHook.
_base_ = '../ffv2_ultra_ablate_cpu_nokd.py'

custom_hooks = _base_.custom_hooks + [
    dict(type='ProgressiveResizeHook', by_epoch=False,
         schedule=[(0, 224), (200, 288), (400, _base_.img_size)])]
