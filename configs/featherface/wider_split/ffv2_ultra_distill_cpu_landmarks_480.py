# ffv2_ultra_distill_cpu_landmarks.py (the 1,600-iteration landmark
# annotator) on 480x480 crops: the distilled counterpart of
# ffv2_ultra_nokd_cpu_480.py, which gained +4.46 / +4.04 / +3.86 over its
# 320 control (mean of two seeds; README, "Why the students trail V1").
# About 2.25 times the 320 recipe's time: run it in the background and
# `--resume`.
_base_ = ['./ffv2_ultra_distill_cpu_landmarks.py',
          '../../_base_/datasets/wider_split_crops_480.py']

train_dataloader = dict(dataset=dict(pipeline=[
    _base_.crop_480 if t['type'] == 'RandomSquareCrop' else
    _base_.resize_480 if t['type'] == 'FaceResize' else t
    for t in _base_.train_pipeline]))
