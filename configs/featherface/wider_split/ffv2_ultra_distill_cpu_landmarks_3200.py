# Recipe of the shipped default checkpoint
# (checkpoints/ffv2_ultra_wider_split_distilled.pth):
# ffv2_ultra_distill_cpu_landmarks.py on a schedule twice as long: 3,200
# iterations (40 epochs of the split), the cosine decay stretched to the
# end; warm-up and freeze unchanged. About three hours on one core: run it
# in the background and `--resume`.
_base_ = './ffv2_ultra_distill_cpu_landmarks.py'

max_iters = 3200
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=_base_.warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=_base_.warmup_iters,
         end=max_iters, eta_min=1e-5),
]
