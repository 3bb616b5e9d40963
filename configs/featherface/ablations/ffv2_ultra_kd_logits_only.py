# Distillation ablation: response-based only. The student still learns the
# teacher's classification logits and box/landmark outputs; no feature-map
# and no attention distillation (no connectors are built).
_base_ = ['../ffv2_ultra_full.py']

model = dict(
    distiller=dict(distill_losses=dict(loss_kd_feat=None, loss_kd_att=None)))
