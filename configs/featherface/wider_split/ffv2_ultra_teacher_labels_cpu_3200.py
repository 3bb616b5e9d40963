# V2-Ultra distilled offline: FeatherFace V1's landmarks, computed once on
# the train split's images at original size, are its landmark labels. The
# teacher does not run during training, so this trains at the control's
# speed (the landmark-annotator recipe runs V1 on every batch: 2.4x the
# time). Everything else is ffv2_ultra_nokd_cpu_3200.py, the control: the
# same student, initialisation, images, boxes, schedule and seed; only the
# label file differs (the same lines with landmarks appended). Write the
# label file first, once (about 30 min on one core):
#
#   make teacher-landmarks     # tools/dataset/teacher_landmarks.py
_base_ = './ffv2_ultra_nokd_cpu_3200.py'

teacher_landmarks = 'data/wider_split/train_v1_landmarks.txt'
train_dataloader = dict(
    dataset=dict(data_root='', ann_file=teacher_landmarks,
                 data_prefix=dict(img=_base_.data_root + 'images/')))
