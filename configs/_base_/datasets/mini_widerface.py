# The embedded mini WIDER-format set written by
# `python tools/dataset/make_mini_widerface.py data/mini_widerface`
# (real photographs from scikit-image/matplotlib pasted onto real
# backgrounds), sized for CPU training: 320 px crops, batch 8. No .mat
# ground truth: the metric reports one "all" AP.
_base_ = './widerface.py'

data_root = 'data/mini_widerface/'
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
train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        ann_file='train/label.txt',
        pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    dataset=dict(data_root=data_root, ann_file='val/label.txt'))
test_dataloader = val_dataloader

val_evaluator = dict(type='WIDERFaceMetric', gt_dir=None)
test_evaluator = val_evaluator
