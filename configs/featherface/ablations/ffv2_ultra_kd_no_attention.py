# Distillation ablation: everything of ffv2_ultra_full.py except the
# spatial-attention distillation (logits, box/landmark and feature-map
# distillation remain).
_base_ = ['../ffv2_ultra_full.py']

model = dict(distiller=dict(distill_losses=dict(loss_kd_att=None)))
