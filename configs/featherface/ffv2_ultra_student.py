# The plain V2-Ultra student (every idea on, <= 250,000 parameters) with the
# V1 recipe and no teacher: the config to test or export checkpoints saved
# by ffv2_ultra.py's distillation (they hold the student's weights only).
_base_ = [
    '../_base_/models/ffv2_ultra.py',
    '../_base_/datasets/widerface.py',
    '../_base_/schedules/featherface_350e.py',
    '../_base_/default_runtime.py',
    '../_base_/face_tta.py',
]
