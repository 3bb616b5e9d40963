# The plain V2-Ultra student as published, every idea on (244,031
# parameters; not the default, see _base_/models/ffv2_ultra.py): tests and
# exports ffv2_ultra_full.py's checkpoints and the shipped
# checkpoints/ffv2_ultra_full_wider_split_distilled.pth.
_base_ = [
    '../_base_/models/ffv2_ultra_full.py',
    '../_base_/datasets/widerface.py',
    '../_base_/schedules/featherface_350e.py',
    '../_base_/default_runtime.py',
    '../_base_/face_tta.py',
]
