_base_ = [
    '../_base_/models/retinaface_mnet025.py',
    '../_base_/datasets/widerface.py',
    '../_base_/schedules/retinaface_250e.py',
    '../_base_/default_runtime.py',
    '../_base_/face_tta.py',
]
