# The default knowledge-distillation schedule and hooks. The default losses
# are FaceDistiller's own defaults (ffmm/models/detectors/face_distiller.py):
#   * KDClsLoss: KL(teacher || student) of the softened face/background
#     probabilities on every anchor, x T^2;
#   * KDLocLoss: box (x2) and landmark deltas pulled toward the teacher's
#     (smooth L1) on anchors with teacher face probability >= 0.5;
#   * FeatureDistillLoss: adapted neck features, 'mse' or channel-wise 'cwd';
#   * AttentionDistillLoss: L2-normalised channel mean of |F|^2;
# each with loss_weight 1, initial alpha 0.9 and T 6. A config wraps its
# student like
#
#   _base_ = ['STUDENT_CONFIG.py', '../_base_/distillation/kd_default.py']
#   teacher_ckpt = 'work_dirs/teachers/featherface_v1.pth'
#   model = dict(
#       _delete_=True,
#       type='FaceDistiller',
#       student={{_base_.model}},
#       teachers=[dict(config='configs/featherface/featherface_v1.py',
#                      checkpoint=teacher_ckpt, weight=1.0)])
#   custom_hooks = {{_base_.kd_hooks}}      # epoch-based runs
#   custom_hooks = {{_base_.kd_iter_hooks}}  # short iteration-based runs
#
# Total loss: (1 - alpha) * (loss_cls + loss_bbox + loss_ldm)
#           + alpha * (loss_kd_cls + loss_kd_loc + loss_kd_feat + loss_kd_att)

# Epochs 1-100: T=6, alpha=0.9; 101-200: T=4, 0.7; 201-300: T=2, 0.5;
# 301-400: T=1, 0.3.
kd_schedule = [
    dict(begin=1, end=100, temperature=6.0, alpha=0.9),
    dict(begin=101, end=200, temperature=4.0, alpha=0.7),
    dict(begin=201, end=300, temperature=2.0, alpha=0.5),
    dict(begin=301, end=400, temperature=1.0, alpha=0.3),
]
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
