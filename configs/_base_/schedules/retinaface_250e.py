# The Pytorch_Retinaface MobileNet-0.25 recipe: SGD, lr 1e-3, 250 epochs,
# decay x0.1 at epochs 190 and 220.
max_epochs = 250
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=500),
    dict(type='MultiStepLR', by_epoch=True, milestones=[190, 220],
         gamma=0.1),
]
auto_scale_lr = dict(enable=False, base_batch_size=32)
