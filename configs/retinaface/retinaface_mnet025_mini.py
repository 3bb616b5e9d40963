# RetinaFace-MobileNet-0.25 for a few CPU minutes on the embedded mini set.
_base_ = [
    '../_base_/models/retinaface_mnet025.py',
    '../_base_/datasets/mini_widerface.py',
    '../_base_/schedules/mini_150i.py',
    '../_base_/face_tta.py',
]
