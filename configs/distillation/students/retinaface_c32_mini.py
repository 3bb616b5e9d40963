# The plain student of the mini distillation benchmark: RetinaFace
# MobileNet-0.25 with the FPN/SSH/head width halved to 32 (same backbone,
# strides and anchors as the teacher). Trains alone (the no-distillation
# baseline) and tests checkpoints saved by
# configs/distillation/retinaface_c32_from_retinaface_mini.py:
#   python tools/test.py \
#       configs/distillation/students/retinaface_c32_mini.py CKPT
_base_ = ['../../retinaface/retinaface_mnet025_mini.py']

student_width = 32
model = dict(
    neck=dict(out_channels=student_width),
    bbox_head=dict(in_channels=student_width))
