# Control for ffv2_ultra_distill_cpu_landmarks_480_3200.py: the same
# student, initialisation, 480 crops, 3,200-iteration schedule and seed,
# without the teacher (FaceDistiller then trains on the task losses alone).
_base_ = './ffv2_ultra_distill_cpu_landmarks_480_3200.py'

model = dict(teachers=[])
