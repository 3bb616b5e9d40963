# The shipped default (ffv2_ultra_distill_cpu_landmarks_3200.py) trained
# further, as it was trained: 320x320 crops, the teacher as landmark
# annotator, batch 8, 800 iterations (5 epochs of the split), AdamW 5e-4
# cosine, the backbone at a tenth of it and not frozen (the heads are
# trained already). The control of ffv2_ultra_distill_cpu_landmarks_ft640.py,
# which changes only the crop size, so that the difference between the
# two is the size and not the extra training.
_base_ = './ffv2_ultra_distill_cpu_landmarks_3200.py'

finetune_from = 'checkpoints/ffv2_ultra_wider_split_distilled.pth'
max_iters = 800
warmup_iters = 50

model = dict(student=dict(
    init_cfg=dict(type='Pretrained', checkpoint=finetune_from),
    backbone=dict(init_cfg=None)))
train_dataloader = dict(batch_size=8)
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
optim_wrapper = dict(optimizer=dict(lr=5e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup_iters,
         end=max_iters, eta_min=1e-5),
]
default_hooks = dict(checkpoint=dict(interval=100))
custom_hooks = [h for h in _base_.custom_hooks
                if h['type'] != 'BackboneFreezeHook']
