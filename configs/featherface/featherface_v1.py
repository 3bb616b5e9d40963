# FeatherFace V1, C = 64 (592,371 parameters), the reference recipe.
_base_ = [
    '../_base_/models/featherface_v1.py',
    '../_base_/datasets/widerface.py',
    '../_base_/schedules/featherface_350e.py',
    '../_base_/default_runtime.py',
    '../_base_/face_tta.py',
]
