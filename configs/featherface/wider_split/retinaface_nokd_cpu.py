# Reference, not a student: RetinaFace-MobileNet-0.25's architecture
# (426,608 parameters, over the 250K budget; the public RetinaFace
# checkpoint loads strictly into it) trained by the students' no-teacher
# CPU recipe, ffv2_ultra_nokd_cpu.py: same split, initialisation from V1's
# backbone, 320 crops, 1,600 iterations and seed. Next to the public
# RetinaFace (12,880 WIDER FACE train images, 640 crops, 250 epochs) and
# the V2-Ultra control, it tells how much of the students' gap to V1 is
# this recipe and its 1,283 training images rather than the students' size.
# Neck and head become RetinaFace's: FPN + SSH of width 64 and a 1x1 head
# per level.
_base_ = './ffv2_ultra_nokd_cpu.py'

model = dict(
    student=dict(
        neck=dict(_delete_=True, type='RetinaFaceNeck',
                  in_channels=[64, 128, 256], out_channels=64),
        bbox_head=dict(in_channels=64, share_levels=False,
                       task_convs=False)))
