# The embedded mini WIDER-format set written by
# `python tools/dataset/make_mini_widerface.py data/mini_widerface`
# (real photographs from scikit-image/matplotlib pasted onto real
# backgrounds). No .mat ground truth: the metric reports one "all" AP.
_base_ = './widerface.py'

data_root = 'data/mini_widerface/'
train_ann_file = 'train/label.txt'
val_ann_file = 'val/label.txt'
batch_size = 8
num_workers = 0

train_dataloader = dict(
    batch_size=batch_size,
    num_workers=num_workers,
    persistent_workers=False,
    dataset=dict(data_root=data_root, ann_file=train_ann_file))
val_dataloader = dict(
    num_workers=num_workers,
    persistent_workers=False,
    dataset=dict(data_root=data_root, ann_file=val_ann_file))
test_dataloader = val_dataloader

val_evaluator = dict(type='WIDERFaceMetric', gt_dir=None)
test_evaluator = val_evaluator
