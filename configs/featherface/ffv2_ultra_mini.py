# V2-Ultra distilled from a FeatherFace V1 teacher on the embedded mini set
# (make demo trains the teacher with featherface_v1_mini.py first), with
# the four T/alpha stages squeezed into the 150 iterations. Test saved
# checkpoints with ffv2_ultra_student_mini.py.
_base_ = [
    './ffv2_ultra_student_mini.py',
    '../_base_/distillation/kd_default.py',
]

teacher_config = 'configs/featherface/featherface_v1_mini.py'
teacher_ckpt = 'work_dirs/demo/featherface_v1/iter_40.pth'

model = dict(
    _base_.kd_model,
    _delete_=True,
    student=_base_.model,
    teachers=[dict(config=teacher_config, checkpoint=teacher_ckpt,
                   weight=1.0)])
custom_hooks = _base_.kd_iter_hooks
