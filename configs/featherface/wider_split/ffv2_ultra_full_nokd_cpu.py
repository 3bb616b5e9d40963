# Control for ffv2_ultra_full_distill_cpu.py: the every-idea student
# trained the same way without the teacher.
_base_ = './ffv2_ultra_full_distill_cpu.py'

model = dict(teachers=[])
