# The plain FeatherFace V2 student distilled like the shipped V2-Ultra
# (ffv2_ultra_distill_cpu_landmarks.py): the teacher only adds its
# landmark deltas as an extra target next to the full-weight ground-truth
# losses. A test checks that the distillation settings agree.
_base_ = './ffv2_distill_cpu.py'

model = dict(
    distill_cfg=dict(alpha=1.0, temperature=1.0, balance_task=False),
    distiller=dict(
        distill_losses=dict(
            loss_kd_cls=None,
            loss_kd_loc=dict(bbox_weight=0.0),
            loss_kd_feat=None,
            loss_kd_att=None)))
custom_hooks = [h for h in _base_.custom_hooks
                if h['type'] != 'DistillationScheduleHook']
