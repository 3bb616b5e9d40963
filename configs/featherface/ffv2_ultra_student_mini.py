# The plain V2-Ultra student on the embedded mini set (no teacher): the
# baseline of the mini distillation run and the config to test its
# checkpoints.
_base_ = [
    '../_base_/models/ffv2_ultra.py',
    '../_base_/datasets/mini_widerface.py',
    '../_base_/schedules/mini_150i.py',
    '../_base_/face_tta.py',
]
