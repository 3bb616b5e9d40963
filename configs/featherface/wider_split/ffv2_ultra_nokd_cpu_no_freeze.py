# ffv2_ultra_nokd_cpu.py without freezing the teacher-initialised backbone
# for the first 600 iterations: it is fine-tuned at a tenth of the
# learning rate from the start. Measures whether the frozen start helps
# (the same student, data, schedule and seed otherwise).
_base_ = './ffv2_ultra_nokd_cpu.py'

custom_hooks = [h for h in _base_.custom_hooks
                if h['type'] != 'BackboneFreezeHook']
