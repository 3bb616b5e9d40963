# Control for ffv2_ultra_distill_cpu_retina_scales.py: the same student,
# initialisation, data, schedule and seed, without the teacher.
_base_ = './ffv2_ultra_distill_cpu_retina_scales.py'

model = dict(teachers=[])
