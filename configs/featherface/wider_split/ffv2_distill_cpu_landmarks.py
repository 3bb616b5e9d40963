# The plain FeatherFace V2 student distilled like the landmark-annotator
# V2-Ultra (ffv2_ultra_distill_cpu_landmarks.py): the teacher only adds its
# landmark deltas as an extra target next to the full-weight ground-truth
# losses. A test checks that the distillation settings agree.
_base_ = './ffv2_distill_cpu.py'

model = dict(
    distill_cfg=_base_.kd_annotator_cfg,
    distiller=dict(distill_losses=_base_.kd_landmarks_only))
custom_hooks = [h for h in _base_.custom_hooks
                if h['type'] != 'DistillationScheduleHook']
