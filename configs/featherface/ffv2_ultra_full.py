# The every-idea V2-Ultra (ffv2_ultra_full_student.py, as published)
# distilled from V1 exactly like the default V2-Ultra of ffv2_ultra.py.
# The configs of ./ablations/ switch one of its ideas or of its
# distillation parts off.
_base_ = [
    './ffv2_ultra_full_student.py',
    '../_base_/distillation/kd_default.py',
]

teacher_config = 'configs/featherface/featherface_v1.py'
teacher_ckpt = 'weights/converted/featherface_v1_widerface.pth'

model = dict(
    _base_.kd_model,
    _delete_=True,
    student=_base_.model,
    teachers=[dict(config=teacher_config, checkpoint=teacher_ckpt,
                   weight=1.0)])
custom_hooks = _base_.kd_hooks
