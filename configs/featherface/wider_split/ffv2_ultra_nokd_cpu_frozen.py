# Control for ffv2_ultra_distill_cpu_landmarks_frozen.py: V1's backbone
# frozen for the whole run, trained without the teacher.
_base_ = './ffv2_ultra_distill_cpu_landmarks_frozen.py'

model = dict(teachers=[])
