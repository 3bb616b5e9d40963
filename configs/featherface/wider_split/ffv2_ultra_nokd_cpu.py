# Control for ffv2_ultra_distill_cpu.py: the same (default) student,
# initialisation, data, schedule and seed, trained without the teacher
# (a FaceDistiller without teachers trains on the task losses alone).
# WIDER val has no landmarks, so this model learns none.
_base_ = './ffv2_ultra_distill_cpu.py'

model = dict(teachers=[])
