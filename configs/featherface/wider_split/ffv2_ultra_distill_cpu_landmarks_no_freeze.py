# ffv2_ultra_distill_cpu_landmarks.py without freezing the teacher-
# initialised backbone for the first 600 iterations (fine-tuned at a tenth
# of the learning rate from the start). Its control is
# ffv2_ultra_nokd_cpu_no_freeze.py, which beat the frozen control.
_base_ = './ffv2_ultra_distill_cpu_landmarks.py'

custom_hooks = [h for h in _base_.custom_hooks
                if h['type'] != 'BackboneFreezeHook']
