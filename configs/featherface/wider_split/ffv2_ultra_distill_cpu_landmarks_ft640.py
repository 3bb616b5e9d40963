# ffv2_ultra_distill_cpu_landmarks_ft320.py on 640x640 crops, the size V1
# and RetinaFace train at, with RetinaFace's crop scales (0.3-1.0 of the
# short side). A 320 crop never holds a face larger than 320 px, so the
# largest anchors (256 and 512 px at stride 32) hardly ever meet a
# positive, while the test at original size has faces up to ~800 px.
_base_ = ['./ffv2_ultra_distill_cpu_landmarks_ft320.py',
          '../../_base_/datasets/wider_split_crops_640.py']

train_dataloader = dict(dataset=dict(pipeline=[
    _base_.crop_640 if t['type'] == 'RandomSquareCrop' else
    _base_.resize_640 if t['type'] == 'FaceResize' else t
    for t in _base_.train_pipeline]))
