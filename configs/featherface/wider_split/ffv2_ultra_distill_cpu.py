# CPU recipe (about an hour on a 2-core machine, one OpenMP thread) of
# the default V2-Ultra, the base of the landmark-annotator recipes (the
# shipped checkpoints/ffv2_ultra_wider_split_distilled.pth came from
# ffv2_ultra_distill_cpu_landmarks_3200.py): 320x320 crops, batch
# 16, 1,600 iterations (20 epochs of the split) with a cosine schedule,
# the T/alpha stages squeezed into the run, the backbone (V1's) frozen for
# the first 600 iterations and then fine-tuned at a tenth of the learning
# rate. Run it in the background and resume
# after a stop:
#
#   OMP_NUM_THREADS=1 nohup python tools/train.py \
#       configs/featherface/wider_split/ffv2_ultra_distill_cpu.py \
#       --threads 1 > train.log 2>&1 &
#   python tools/train.py ... --resume        # continue from the latest
_base_ = './ffv2_ultra_distill_base.py'

img_size = 320
max_iters = 1600
warmup_iters = 100
unfreeze_iter = 600

# Crops half the RetinaFace scales of the short side, so that faces keep
# about the scale they have in 640 training (and at test, original size).
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceAnnotations'),
    dict(type='RandomSquareCrop', out_size=img_size,
         scales=(0.2, 0.3, 0.45, 0.6, 0.8, 1.0)),
    dict(type='PhotoMetricDistortion'),
    dict(type='FaceRandomFlip', prob=0.5),
    dict(type='FaceResize', scale=(img_size, img_size), keep_ratio=False),
    dict(type='PackFaceInputs'),
]
train_dataloader = dict(
    batch_size=16,
    num_workers=1,
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(num_workers=1)
test_dataloader = val_dataloader

# FastResume: --resume positions the data stream without loading what it
# skips (mmengine's own loop reloads every finished iteration's images).
train_cfg = dict(
    type='FastResumeIterBasedTrainLoop', max_iters=max_iters,
    val_interval=max_iters)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=2e-3, weight_decay=5e-4),
    paramwise_cfg=dict(custom_keys={'student.backbone': dict(lr_mult=0.1)}))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup_iters,
         end=max_iters, eta_min=1e-5),
]
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(by_epoch=False, interval=200, max_keep_ckpts=2))
log_processor = dict(by_epoch=False)
custom_hooks = _base_.kd_iter_hooks + [
    dict(type='BackboneFreezeHook', unfreeze_iter=unfreeze_iter)]
