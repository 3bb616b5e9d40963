# Training ablation (issue 14) on the no-teacher ablation recipe: CutMix
# (p 0.3) and MixUp (p 0.2) of two training images before the crop, through
# mmdet's MultiImageMixDataset (loading in the inner dataset).
_base_ = '../ffv2_ultra_ablate_cpu_nokd.py'

train_dataloader = dict(dataset=dict(
    _delete_=True,
    type='MultiImageMixDataset',
    dataset=dict(_base_.train_dataloader.dataset,
                 pipeline=_base_.train_pipeline[:2]),
    pipeline=[dict(type='FaceCutMix', cut_ratio=(0.3, 0.6), drop_thr=0.5,
                   prob=0.3),
              dict(type='FaceMixUp', alpha=8.0, prob=0.2)] +
    _base_.train_pipeline[2:]))
