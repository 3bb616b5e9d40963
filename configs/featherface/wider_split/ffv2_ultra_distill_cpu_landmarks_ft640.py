# ffv2_ultra_distill_cpu_landmarks_ft320.py on 640x640 crops, the size V1
# and RetinaFace train at, with RetinaFace's crop scales (0.3-1.0 of the
# short side). A 320 crop never holds a face larger than 320 px, so the
# largest anchors (256 and 512 px at stride 32) hardly ever meet a
# positive, while the test at original size has faces up to ~800 px.
_base_ = './ffv2_ultra_distill_cpu_landmarks_ft320.py'

img_size = 640
crop = dict(type='RandomSquareCrop', out_size=img_size,
            scales=(0.3, 0.45, 0.6, 0.8, 1.0))
resize = dict(type='FaceResize', scale=(img_size, img_size),
              keep_ratio=False)
train_dataloader = dict(dataset=dict(pipeline=[
    crop if t['type'] == 'RandomSquareCrop' else
    resize if t['type'] == 'FaceResize' else t
    for t in _base_.train_pipeline]))
