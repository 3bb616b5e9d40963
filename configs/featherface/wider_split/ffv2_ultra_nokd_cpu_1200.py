# Control for ffv2_ultra_distill_cpu_clsnorm.py (and any other experiment
# on ffv2_ultra_distill_cpu_1200.py): the same student, initialisation,
# data, schedule and seed, without the teacher.
_base_ = './ffv2_ultra_distill_cpu_1200.py'

model = dict(teachers=[])
