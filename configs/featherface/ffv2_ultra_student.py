# The plain V2-Ultra student (the default: 241,388 parameters, the
# compute-costing ideas off) with the V1 recipe and no teacher: the config
# to test or export checkpoints of ffv2_ultra.py's distillation (it takes
# the student out of them) and of the shipped
# checkpoints/ffv2_ultra_wider_split_distilled.pth.
_base_ = [
    '../_base_/models/ffv2_ultra.py',
    '../_base_/datasets/widerface.py',
    '../_base_/schedules/featherface_350e.py',
    '../_base_/default_runtime.py',
    '../_base_/face_tta.py',
]
