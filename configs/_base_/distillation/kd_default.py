# The default knowledge distillation of ffmm: what is recorded, adapted and
# compared (`kd_distiller`, after MMRazor's ConfigurableDistiller), the
# distiller model without student and teachers (`kd_model`), and the T/alpha
# schedule with its hooks. A distillation config inherits its student and
# this file, and fills in the rest:
#
#   _base_ = ['STUDENT_CONFIG.py', '../_base_/distillation/kd_default.py']
#   teacher_ckpt = 'weights/converted/featherface_v1_widerface.pth'
#   model = dict(
#       _base_.kd_model,
#       _delete_=True,
#       student=_base_.model,
#       teachers=[dict(config='configs/featherface/featherface_v1.py',
#                      checkpoint=teacher_ckpt, weight=1.0)])
#   custom_hooks = _base_.kd_hooks       # epoch-based runs
#   custom_hooks = _base_.kd_iter_hooks  # short iteration-based runs
#
# Total loss: (1 - alpha) * (loss_cls + loss_bbox + loss_ldm)
#           + alpha * (loss_kd_cls + loss_kd_loc + loss_kd_feat + loss_kd_att)
# Ablations switch a loss off with
#   model = dict(distiller=dict(distill_losses=dict(loss_kd_feat=None)))

# Recorded on the student and on every teacher (same module paths).
kd_recorders = dict(
    neck=dict(type='ModuleOutputsRecorder', source='neck'),
    head=dict(type='FaceHeadOutputsRecorder', source='bbox_head'))

kd_distiller = dict(
    type='FaceConfigurableDistiller',
    recorders=kd_recorders,
    # 1x1 convs from student to teacher neck widths, one per teacher,
    # sized from the recorded features (training only)
    connectors=dict(neck=dict(type='ConvConnector', recorder='neck')),
    distill_losses=dict(
        # KL(teacher || student) of the softened face/background
        # probabilities on every anchor, x T^2
        loss_kd_cls=dict(type='KDClsLoss', loss_weight=1.0),
        # box (x2) and landmark deltas pulled toward the teacher's
        # (smooth L1) on anchors with teacher face probability >= 0.5
        loss_kd_loc=dict(type='KDLocLoss', bbox_weight=2.0, loss_weight=1.0),
        # adapted neck features, 'mse' or channel-wise 'cwd'
        loss_kd_feat=dict(type='FeatureDistillLoss', mode='mse',
                          loss_weight=1.0),
        # L2-normalised channel mean of |F|^2 of the neck features
        loss_kd_att=dict(type='AttentionDistillLoss', loss_weight=1.0)),
    loss_forward_mappings=dict(
        loss_kd_cls=dict(
            student_logits=dict(from_student=True, recorder='head',
                                data_idx='cls_logits'),
            teacher_logits=dict(from_student=False, recorder='head',
                                data_idx='cls_logits')),
        loss_kd_loc=dict(
            student_bbox=dict(from_student=True, recorder='head',
                              data_idx='bbox'),
            teacher_bbox=dict(from_student=False, recorder='head',
                              data_idx='bbox'),
            teacher_scores=dict(from_student=False, recorder='head',
                                data_idx='face_scores'),
            student_ldm=dict(from_student=True, recorder='head',
                             data_idx='ldm'),
            teacher_ldm=dict(from_student=False, recorder='head',
                             data_idx='ldm')),
        loss_kd_feat=dict(
            student_feats=dict(from_student=True, recorder='neck',
                               connector='neck'),
            teacher_feats=dict(from_student=False, recorder='neck')),
        loss_kd_att=dict(
            student_feats=dict(from_student=True, recorder='neck'),
            teacher_feats=dict(from_student=False, recorder='neck'))))

kd_model = dict(
    type='FaceDistiller',
    distiller=kd_distiller,
    distill_cfg=dict(alpha=0.9, temperature=6.0))

# Epochs 1-100: T=6, alpha=0.9; 101-200: T=4, 0.7; 201-300: T=2, 0.5;
# 301-400: T=1, 0.3.
kd_schedule = [
    dict(begin=1, end=100, temperature=6.0, alpha=0.9),
    dict(begin=101, end=200, temperature=4.0, alpha=0.7),
    dict(begin=201, end=300, temperature=2.0, alpha=0.5),
    dict(begin=301, end=400, temperature=1.0, alpha=0.3),
]
# DistillerCheckpointHook only lets runs saved before the plain checkpoint
# layout resume (see ffmm/engine/hooks/distiller_checkpoint_hook.py).
kd_hooks = [
    dict(type='DistillationScheduleHook', schedule=kd_schedule,
         by_epoch=True),
    dict(type='DistillerCheckpointHook'),
]
# The same four stages squeezed into an iteration-based run of any length.
kd_iter_hooks = [
    dict(type='DistillationScheduleHook', schedule=kd_schedule,
         by_epoch=False, scale='auto'),
    dict(type='DistillerCheckpointHook'),
]

# The teacher as landmark annotator only (WIDER FACE has no landmarks to
# learn from): its landmark deltas are one extra target next to the
# full-weight ground-truth losses, task + 1.0 * KD, no T/alpha schedule:
#   model = dict(distill_cfg=_base_.kd_annotator_cfg,
#                distiller=dict(distill_losses=_base_.kd_landmarks_only))
kd_landmarks_only = dict(
    loss_kd_cls=None,
    loss_kd_loc=dict(bbox_weight=0.0),
    loss_kd_feat=None,
    loss_kd_att=None)
kd_annotator_cfg = dict(alpha=1.0, temperature=1.0, balance_task=False)
