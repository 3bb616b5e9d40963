# ffv2_ultra_distill_cpu.py with the teacher as a landmark annotator only:
# its landmark deltas on the anchors where it sees a face are an extra
# target next to the full-weight ground-truth losses (task + 1.0 * KD
# landmarks, no T/alpha schedule). Classes and boxes learn exactly as in
# the control, ffv2_ultra_nokd_cpu.py, which beat every distilled run
# that took weight from the labels; in the 600-iteration ablation the
# landmark-only teacher gave the student the landmarks closest to V1's.
_base_ = './ffv2_ultra_distill_cpu.py'

model = dict(
    distill_cfg=_base_.kd_annotator_cfg,
    distiller=dict(distill_losses=_base_.kd_landmarks_only))
custom_hooks = [h for h in _base_.custom_hooks
                if h['type'] != 'DistillationScheduleHook']
