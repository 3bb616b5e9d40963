# Training ablation (issue 14) on the no-teacher ablation recipe: faces
# under 12 px (after the resize) ignored by the loss for the first half of
# the run, then every face (FaceCurriculumHook + FaceCurriculumFilter;
# anchors over ignored faces are not negatives).
_base_ = '../ffv2_ultra_ablate_cpu_nokd.py'

train_dataloader = dict(dataset=dict(
    pipeline=_base_.train_pipeline[:-1] + [dict(type='FaceCurriculumFilter')] +
    _base_.train_pipeline[-1:]))
model = dict(student=dict(train_cfg=dict(assigner=dict(ignore_iof_thr=0.5))))
custom_hooks = _base_.custom_hooks + [
    dict(type='FaceCurriculumHook', by_epoch=False,
         schedule=[(0, 12), (_base_.max_iters // 2, 0)])]
