# ffv2_ultra_teacher_labels_cpu_480.py with the landmark term at a quarter
# of its weight (0.25 against the boxes' 2 and the classes' 1). Every
# 480-crop run that learned landmarks lost Hard AP to its control; this
# tests whether the landmark targets take the shared head's capacity from
# the boxes (README, "V1's landmarks as offline labels at 480").
_base_ = './ffv2_ultra_teacher_labels_cpu_480.py'

model = dict(student=dict(bbox_head=dict(loss_ldm=dict(loss_weight=0.25))))
