# ffv2_ultra_nokd_cpu.py (the 1,600-iteration control, no teacher) on
# 480x480 crops instead of 320, batch and schedule unchanged (2.25 times
# the pixels). A 320 crop never holds a face larger than 320 px, while the
# test at original size has faces up to ~800 px: the shipped student gains
# Easy AP when the test image is shrunk (README, "Why the students trail
# V1").
_base_ = ['./ffv2_ultra_nokd_cpu.py',
          '../../_base_/datasets/wider_split_crops_480.py']

train_dataloader = dict(dataset=dict(pipeline=[
    _base_.crop_480 if t['type'] == 'RandomSquareCrop' else
    _base_.resize_480 if t['type'] == 'FaceResize' else t
    for t in _base_.train_pipeline]))
