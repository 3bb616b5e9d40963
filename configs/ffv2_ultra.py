# THE FeatherFace V2-Ultra run: the V2-Ultra student (241,388 parameters)
# distilled from the trained FeatherFace V1 teacher (the public V1
# converted by `make weights`), T/alpha annealed over 400 epochs.
#
#   python tools/train.py configs/ffv2_ultra.py \
#       [--cfg-options teacher_ckpt=work_dirs/featherface_v1/epoch_350.pth]
#   python tools/test.py configs/featherface/ffv2_ultra_student.py CKPT
#
# The recipe lives in configs/featherface/ffv2_ultra.py (next to the V1
# teacher and the ablations); the distillation defaults in
# configs/_base_/distillation/kd_default.py.
_base_ = ['./featherface/ffv2_ultra.py']
