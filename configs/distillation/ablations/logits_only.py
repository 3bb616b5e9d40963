# Ablation: response-based distillation only. The one change: no
# feature-map and no attention distillation; the student still learns the
# teacher's classification logits (loss_kd_cls) and box/landmark outputs
# (loss_kd_loc).
_base_ = ['../retinaface_c32_from_retinaface_mini.py']

model = dict(loss_kd_feat=None, loss_kd_att=None)
