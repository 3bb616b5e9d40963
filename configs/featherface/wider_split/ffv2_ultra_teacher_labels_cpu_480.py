# V1's landmarks as offline labels (ffv2_ultra_teacher_labels_cpu_3200.py)
# on the 480-crop control ffv2_ultra_nokd_cpu_480.py, 1,600 iterations.
# The landmark annotator on 480 crops (V1 in the loop) takes twice the
# control's time and did not beat it (README, "The distilled counterpart at
# 480"); this trains at the control's speed. Only the label file differs
# from the control. Write the label file first: `make teacher-landmarks`.
_base_ = './ffv2_ultra_nokd_cpu_480.py'

teacher_landmarks = 'data/wider_split/train_v1_landmarks.txt'
train_dataloader = dict(
    dataset=dict(data_root='', ann_file=teacher_landmarks,
                 data_prefix=dict(img=_base_.data_root + 'images/')))
