# Distillation ablation: the teacher teaches the landmarks only (WIDER val
# has none to learn from); classes and boxes come from the ground truth
# alone, as in the no-teacher control, which beat every full distillation
# on boxes so far (README, "Results on WIDER FACE").
_base_ = ['../ffv2_ultra_full.py']

model = dict(distiller=dict(distill_losses=_base_.kd_landmarks_only))
