# The FeatherFace reference recipe: AdamW, lr 1e-3 (torch's default weight
# decay 0.01), 350 epochs, x0.1 at epochs 190 and 220, after a linear
# warm-up; 640x640 crops, batch 32 (dataset base).
max_epochs = 350
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-3, weight_decay=1e-2))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=500),
    dict(type='MultiStepLR', by_epoch=True, milestones=[190, 220],
         gamma=0.1),
]
auto_scale_lr = dict(enable=False, base_batch_size=32)
