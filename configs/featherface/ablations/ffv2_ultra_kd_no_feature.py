# Distillation ablation: everything of ffv2_ultra_full.py except the
# feature-map distillation through the connectors (logits, box/landmark
# and attention distillation remain).
_base_ = ['../ffv2_ultra_full.py']

model = dict(distiller=dict(distill_losses=dict(loss_kd_feat=None)))
