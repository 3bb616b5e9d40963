# Distillation ablation: no teacher. A FaceDistiller without teachers trains
# the V2-Ultra student on the task losses alone (alpha held at 0).
_base_ = ['../ffv2_ultra_full.py']

model = dict(teachers=[])
