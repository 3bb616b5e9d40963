# ffv2_ultra_distill_cpu_landmarks_ft320_ldm4.py with the teacher's
# landmark term weighted 8: the next step of the same question.
_base_ = './ffv2_ultra_distill_cpu_landmarks_ft320_ldm4.py'

model = dict(distiller=dict(distill_losses=dict(
    loss_kd_loc=dict(loss_weight=8.0))))
