# ffv2_ultra_distill_cpu_landmarks_ft320_ldm4.py with a weight average of
# the student (configs/_base_/weight_ema.py), its time constant scaled to
# the 800-iteration fine-tune (about the last 250 iterations). The
# averaging does not change the training: the trained weights, kept in the
# checkpoint too, are those of the run without it.
_base_ = ['./ffv2_ultra_distill_cpu_landmarks_ft320_ldm4.py',
          '../../_base_/weight_ema.py']

custom_hooks = _base_.custom_hooks + [
    dict(_base_.weight_ema_hook, momentum=0.004, gamma=100)]
