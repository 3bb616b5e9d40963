# The mini recipe with the training-recipe options switched on: CutMix and
# MixUp (MultiImageMixDataset), progressive resizing with multi-scale
# sizes, an easy-faces-first curriculum and difficulty-aware loss weights.
_base_ = ['./retinaface_mnet025_mini.py']

img_size = 320
# Loading runs in the inner dataset; the mixing wrapper runs the rest.
load_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceAnnotations'),
]
train_pipeline = [
    dict(type='FaceCutMix', cut_ratio=(0.3, 0.6), drop_thr=0.5, prob=0.3),
    dict(type='FaceMixUp', alpha=8.0, prob=0.2),
    dict(type='RandomSquareCrop', out_size=img_size),
    dict(type='PhotoMetricDistortion'),
    dict(type='FaceRandomFlip', prob=0.5),
    # per-sample size in {0.75, 1, 1.25} x the progressive base size
    dict(type='FaceRandomChoiceResize',
         scale=(img_size, img_size),
         ratios=(0.75, 1.0, 1.25),
         size_divisor=32),
    # thresholds set by FaceCurriculumHook (inactive as configured here)
    dict(type='FaceCurriculumFilter'),
    dict(type='PackFaceInputs'),
]
train_dataloader = dict(
    dataset=dict(_delete_=True,
                 type='MultiImageMixDataset',
                 dataset=dict(type='WIDERFaceLandmarkDataset',
                              data_root='data/mini_widerface/',
                              ann_file='train/label.txt',
                              data_prefix=dict(img='train/images/'),
                              filter_cfg=dict(filter_empty_gt=True),
                              pipeline=load_pipeline),
                 pipeline=train_pipeline))

model = dict(train_cfg=dict(
    # anchors over faces the curriculum ignores are not negatives
    assigner=dict(ignore_iof_thr=0.5),
    # small faces weigh up to 3x (32 px: 1x, 8 px: 2x), mean kept at 1
    difficulty_weight=dict(ref_size=32, power=0.5, max_weight=3.0)))

custom_hooks = [
    dict(type='ProgressiveResizeHook',
         by_epoch=False,
         schedule=[(0, 224), (100, 288), (200, 320)]),
    dict(type='FaceCurriculumHook',
         by_epoch=False,
         schedule=[(0, dict(min_size=12, min_sharpness=None)), (150, 0)]),
]
