# ffv2_ultra_distill_cpu_landmarks.py plus V1's neck features as a target:
# the student's neck outputs, through a 1x1 connector to V1's 64 channels,
# are pulled toward V1's (mean squared error, weight 1) next to the
# full-weight ground-truth and landmark losses. The first recipe had this
# term but took weight from the labels for it (1 - alpha); here the labels
# keep theirs, as in the landmark annotator that beat its control.
_base_ = './ffv2_ultra_distill_cpu_landmarks.py'

# kd_default's feature term, which kd_landmarks_only had set to None
model = dict(distiller=dict(distill_losses=dict(loss_kd_feat=dict(
    _base_.kd_distiller.distill_losses.loss_kd_feat, _delete_=True))))
# Measured on dev (seed 0, 65 min): 83.21 / 78.99 / 55.01, -0.95 / -0.49 /
# -0.45 against the recipe at the same seed, within its seed spread.
