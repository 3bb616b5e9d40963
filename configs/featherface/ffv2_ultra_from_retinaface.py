# V2-Ultra distilled from the fully trained RetinaFace-MobileNet-0.25
# instead of V1 (usable before a V1 teacher exists). Convert the public
# weights first:
#   python tools/convert_ckpt.py --from retinaface \
#       weights/retinaface_mnet025_widerface.pth \
#       work_dirs/teachers/retinaface_mnet025_widerface.pth
_base_ = ['./ffv2_ultra.py']

teacher_config = 'configs/retinaface/retinaface_mnet025_widerface.py'
teacher_ckpt = 'work_dirs/teachers/retinaface_mnet025_widerface.pth'
model = dict(teachers=[
    dict(config=teacher_config, checkpoint=teacher_ckpt, weight=1.0)
])
