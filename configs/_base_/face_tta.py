# Test-time augmentation for face detectors: 3 scales x {flip, no flip}.
# `python tools/test.py CONFIG CKPT --tta` wraps the model in `tta_model`
# and tests with `tta_pipeline`. Each view is predicted without NMS at the
# original image size; flipped views are mirrored back with their
# left/right landmarks swapped, then one NMS (IoU 0.4, as RetinaFace's
# evaluation) merges all views.
tta_model = dict(type='FaceTTAModel',
                 tta_cfg=dict(nms=dict(type='nms', iou_threshold=0.4),
                              max_per_img=750))

tta_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='TestTimeAug',
        transforms=[
            [
                dict(type='FaceResize', scale_factor=0.5, keep_ratio=True),
                dict(type='FaceResize', scale_factor=1.0, keep_ratio=True),
                dict(type='FaceResize', scale_factor=1.5, keep_ratio=True),
            ],
            [
                dict(type='FaceRandomFlip', prob=1.),
                dict(type='FaceRandomFlip', prob=0.),
            ],
            # ground truth stays in original-image coordinates
            [dict(type='LoadFaceAnnotations')],
            [
                dict(type='PackFaceInputs',
                     meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                                'scale_factor', 'flip', 'flip_direction')),
            ],
        ]),
]
