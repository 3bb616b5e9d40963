# Control for ffv2_ultra_distill_cpu_landmarks_3200.py: the same student,
# initialisation, data, 3,200-iteration schedule and seed, without the
# teacher (without one, FaceDistiller trains on the task losses alone).
_base_ = './ffv2_ultra_distill_cpu_landmarks_3200.py'

model = dict(teachers=[])
