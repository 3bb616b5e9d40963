# The second CPU experiment (README, "Results on WIDER FACE"): the constant
# balance and 1,200 iterations of ffv2_ultra_distill_cpu_1200.py, and crops
# of half RetinaFace's sides (0.15-0.5 of the short side instead of 0.2-1.0)
# resized to half its 640, so faces are shown at the scale of RetinaFace's
# 640 training (x0.9 to x3 on a 1024x680 WIDER image; 0.2-1.0 gives x0.47
# to x2.4). Measured on dev: no better than the first recipe, and its
# no-teacher control (ffv2_ultra_nokd_cpu_retina_scales.py) lost 6 points
# on Hard against the first control.
_base_ = './ffv2_ultra_distill_cpu_1200.py'

crop_scales = (0.15, 0.225, 0.3, 0.4, 0.5)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceAnnotations'),
    dict(type='RandomSquareCrop', out_size=_base_.img_size,
         scales=crop_scales),
    dict(type='PhotoMetricDistortion'),
    dict(type='FaceRandomFlip', prob=0.5),
    dict(type='FaceResize', scale=(_base_.img_size, _base_.img_size),
         keep_ratio=False),
    dict(type='PackFaceInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
