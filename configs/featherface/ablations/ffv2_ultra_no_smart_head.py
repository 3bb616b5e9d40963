# V2-Ultra without the cross-task connections of the head (task convs kept).
_base_ = ['../ffv2_ultra_full.py']

model = dict(student=dict(bbox_head=dict(cross_task=False)))
