# WIDER FACE in the Pytorch_Retinaface layout:
#   data/widerface/train/label.txt, train/images/<event>/*.jpg
#   data/widerface/val/wider_val.txt, val/images/<event>/*.jpg
#   data/widerface/ground_truth/wider_{face,easy,medium,hard}_val.mat
# ffmm's (text formats, landmarks); mmdet's WIDERFaceDataset reads VOC XML
dataset_type = 'WIDERFaceLandmarkDataset'
data_root = 'data/widerface/'
train_ann_file = 'train/label.txt'
train_img_prefix = 'train/images/'
val_ann_file = 'val/wider_val.txt'
val_img_prefix = 'val/images/'
widerface_gt_dir = data_root + 'ground_truth/'
img_size = 640
batch_size = 32
num_workers = 2

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceAnnotations'),
    dict(type='RandomSquareCrop', out_size=img_size),
    dict(type='PhotoMetricDistortion'),
    dict(type='FaceRandomFlip', prob=0.5),
    dict(type='FaceResize', scale=(img_size, img_size), keep_ratio=False),
    dict(type='PackFaceInputs'),
]
# Single scale at the original image size, as WIDER FACE results are
# reported for RetinaFace-family detectors.
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='FaceResize', scale_factor=1.0, keep_ratio=True),
    dict(type='LoadFaceAnnotations'),
    dict(
        type='PackFaceInputs',
        meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                   'scale_factor')),
]

train_dataloader = dict(
    batch_size=batch_size,
    num_workers=num_workers,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=train_ann_file,
        data_prefix=dict(img=train_img_prefix),
        filter_cfg=dict(filter_empty_gt=True),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=num_workers,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=val_ann_file,
        data_prefix=dict(img=val_img_prefix),
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(type='WIDERFaceMetric', gt_dir=widerface_gt_dir)
test_evaluator = val_evaluator
