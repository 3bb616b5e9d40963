# Ablation: everything of the main distillation config except the
# feature-map distillation through the adapters (loss_kd_feat): logits,
# box/landmark and attention distillation remain.
_base_ = ['../retinaface_c32_from_retinaface_mini.py']

model = dict(loss_kd_feat=None)
