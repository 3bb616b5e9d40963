# Mini distillation benchmark: the width-32 RetinaFace student learns from
# the fully trained RetinaFace-MobileNet-0.25 (width 64) on the mini set,
# a few minutes on CPU (iteration-based, 300 iterations, 320 px).
#
# Teacher weights: convert the public release once,
#   python tools/convert_ckpt.py --from retinaface \
#       ../shared/weights/retinaface_mnet025_widerface.pth \
#       work_dirs/teachers/retinaface_mnet025_widerface.pth
# or point `teacher_ckpt` elsewhere (`--cfg-options
# model.teachers.0.checkpoint=PATH`).
# Checkpoints saved by this config load into the plain student:
#   python tools/test.py \
#       configs/distillation/students/retinaface_c32_mini.py CKPT
_base_ = [
    './students/retinaface_c32_mini.py',
    '../_base_/distillation/kd_default.py',
]

teacher_config = 'configs/retinaface/retinaface_mnet025_widerface.py'
teacher_ckpt = 'work_dirs/teachers/retinaface_mnet025_widerface.pth'

model = dict(
    _base_.kd_model,
    _delete_=True,
    student=_base_.model,
    teachers=[dict(config=teacher_config, checkpoint=teacher_ckpt,
                   weight=1.0)])

# the 400-epoch T/alpha schedule fitted to the 300 iterations
custom_hooks = _base_.kd_iter_hooks
