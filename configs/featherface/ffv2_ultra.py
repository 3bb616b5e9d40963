# FeatherFace V2-Ultra trained by distillation from the FeatherFace V1
# teacher: the student is the default V2-Ultra (241,388 parameters; the
# compute-costing ideas off, see _base_/models/ffv2_ultra.py;
# ffv2_ultra_full.py distils the every-idea one). The total loss is
# (1 - alpha) * task + alpha * distill, with T and alpha annealed by epoch
# (kd_default.py).
#
#   python tools/train.py configs/featherface/ffv2_ultra.py \
#       [--cfg-options teacher_ckpt=work_dirs/featherface_v1/epoch_350.pth]
#
# The default teacher is the public trained V1 converted by `make weights`.
#
# configs/ffv2_ultra.py is this run under its short name. Checkpoints hold
# the distiller (student.*, connectors, EMA teacher): tools/test.py and the
# WIDER evaluation with configs/featherface/ffv2_ultra_student.py take the
# student out on the fly; tools/model_converters/extract_student.py writes
# it on its own. Ablations (./ablations/) flip one switch of
# ffv2_ultra_full.py: ffv2_ultra_no_* of `model.student`, ffv2_ultra_kd_*
# of the distillation.
_base_ = [
    './ffv2_ultra_student.py',
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
