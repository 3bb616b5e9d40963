# Control for ffv2_ultra_distill_cpu_landmarks_cycle2.py: the same second
# cycle without the teacher, started from the control of the shipped
# default (ffv2_ultra_nokd_cpu_3200.py, seed 0, published with
# tools/model_converters/publish_model.py to the path below).
_base_ = './ffv2_ultra_distill_cpu_landmarks_cycle2.py'

finetune_from = 'work_dirs/wider_split12/ffv2_ultra_nokd_cpu_3200/student_iter_3200.pth'
model = dict(
    teachers=[],
    student=dict(init_cfg=dict(type='Pretrained', checkpoint=finetune_from)))
# Measured on dev (seed 0): 83.60 / 78.79 / 59.88 (trained weights) from
# 83.30 / 78.42 / 57.88 at its start.
