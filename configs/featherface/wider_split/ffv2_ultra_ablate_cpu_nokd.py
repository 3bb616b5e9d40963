# ffv2_ultra_ablate_cpu.py without the teacher: the recipe of the
# architecture ablations (half the cost of a distilled run on the CPU).
_base_ = './ffv2_ultra_ablate_cpu.py'

model = dict(teachers=[])
