# ffv2_ultra_distill_cpu.py (the default student's first CPU recipe)
# without the feature-map distillation. In the 600-iteration ablation
# study, dropping it gave the only distilled run above the no-teacher run
# on all three settings (one run, within the seed spread); this checks it
# on the full recipe against its control, ffv2_ultra_nokd_cpu.py.
_base_ = './ffv2_ultra_distill_cpu.py'

model = dict(distiller=dict(distill_losses=dict(loss_kd_feat=None)))
