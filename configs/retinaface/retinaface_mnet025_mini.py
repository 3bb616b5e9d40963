# A few minutes of CPU training on the embedded mini set (make demo).
_base_ = [
    '../_base_/models/retinaface_mnet025.py',
    '../_base_/datasets/mini_widerface.py',
    '../_base_/default_runtime.py',
]

img_size = 320
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceAnnotations'),
    dict(type='RandomSquareCrop', out_size=img_size),
    dict(type='PhotoMetricDistortion'),
    dict(type='FaceRandomFlip', prob=0.5),
    dict(type='FaceResize', scale=(img_size, img_size), keep_ratio=False),
    dict(type='PackFaceInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

max_iters = 150
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters,
                 val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=2e-3, weight_decay=5e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=20),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=20, end=max_iters,
         eta_min=1e-5),
]
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(by_epoch=False, interval=100, max_keep_ckpts=2))
log_processor = dict(by_epoch=False)
