# FeatherFace V2 (~254K parameters), trained alone with the V1 recipe.
_base_ = [
    '../_base_/models/ffv2.py',
    '../_base_/datasets/widerface.py',
    '../_base_/schedules/featherface_350e.py',
    '../_base_/default_runtime.py',
    '../_base_/face_tta.py',
]
