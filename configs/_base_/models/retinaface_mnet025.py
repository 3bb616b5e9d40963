# RetinaFace with a MobileNetV1-0.25 backbone (426,608 parameters), as in
# the public Pytorch_Retinaface release.

# ImageNet-pretrained backbone (public Pytorch_Retinaface release file);
# `make` links it here from ../shared/weights when available. Without it the
# backbone trains from scratch, with a warning.
pretrained = 'weights/mobilenetV1X0.25_pretrain.tar'

model = dict(
    type='FaceDetector',
    data_preprocessor=dict(
        type='DetDataPreprocessor',
        # BGR images minus the RetinaFace mean, no scaling.
        mean=[104, 117, 123],
        std=[1, 1, 1],
        bgr_to_rgb=False,
        pad_size_divisor=1),
    backbone=dict(
        type='MobileNetV1',
        widen_factor=0.25,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)),
    neck=dict(
        type='RetinaFaceNeck', in_channels=[64, 128, 256], out_channels=64),
    bbox_head=dict(
        type='FaceAnchorHead',
        num_classes=1,
        in_channels=64,
        anchor_generator=dict(
            type='AnchorGenerator',
            strides=[8, 16, 32],
            ratios=[1.0],
            scales=[1, 2],
            base_sizes=[16, 64, 256],
            # anchor centres at (i + 0.5) * stride
            centers=[(4, 4), (8, 8), (16, 16)]),
        bbox_coder=dict(
            type='DeltaXYWHBBoxCoder',
            target_means=[0., 0., 0., 0.],
            target_stds=[0.1, 0.1, 0.2, 0.2],
            clip_border=False),
        landmark_coder=dict(type='LandmarkCoder', variance=0.1),
        loss_cls=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
        loss_bbox=dict(type='SmoothL1Loss', beta=1.0, loss_weight=2.0),
        loss_ldm=dict(type='SmoothL1Loss', beta=1.0, loss_weight=1.0)),
    train_cfg=dict(
        assigner=dict(
            type='MaxIoUAssigner',
            pos_iou_thr=0.35,
            neg_iou_thr=0.35,
            min_pos_iou=0.2,
            match_low_quality=True,
            gt_max_assign_all=False,
            ignore_iof_thr=-1),
        allowed_border=-1,
        pos_weight=-1,
        neg_pos_ratio=7,
        debug=False),
    # RetinaFace-family evaluation settings (original image size).
    test_cfg=dict(
        nms_pre=5000,
        score_thr=0.02,
        nms=dict(type='nms', iou_threshold=0.4),
        max_per_img=750))
