# The plain V2-Ultra student with one head per level instead of one shared
# head (245,420 parameters): the config to test and export checkpoints of
# wider_split/ffv2_ultra_distill_cpu_landmarks_ft320_unshared_head.py.
_base_ = './ffv2_ultra_student.py'

model = dict(bbox_head=dict(share_levels=False))
