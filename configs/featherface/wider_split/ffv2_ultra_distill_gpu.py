# Full recipe for a GPU: 640x640 crops, batch 32, 250 epochs of the split
# (about 10,000 iterations), the T/alpha stages by epoch range scaled to
# the run, the backbone (V1's) frozen for the first 800 iterations (20
# epochs).
_base_ = './ffv2_ultra_distill_base.py'

max_epochs = 250
train_dataloader = dict(batch_size=32, num_workers=4)
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=25)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-3, weight_decay=5e-4),
    paramwise_cfg=dict(custom_keys={'student.backbone': dict(lr_mult=0.1)}))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=200),
    dict(type='CosineAnnealingLR', by_epoch=True, begin=0, end=max_epochs,
         eta_min=1e-5),
]
default_hooks = dict(checkpoint=dict(interval=25, max_keep_ckpts=3))
custom_hooks = _base_.kd_iter_hooks + [
    dict(type='BackboneFreezeHook', unfreeze_iter=800)]
