# The plain default V2-Ultra with a two-scale test (`tools/test.py ...
# --tta`): the image at original size and shrunk to 0.75, no flip (1.56
# times the pixels of one pass). The students train on 320 crops and so
# never see a face larger than 320 px; shrunk by a quarter, the largest
# faces fall into the sizes they were trained on (README, "Why the
# students trail V1").
_base_ = './ffv2_ultra_student.py'

tta_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='TestTimeAug',
        transforms=[
            [
                dict(type='FaceResize', scale_factor=0.75, keep_ratio=True),
                dict(type='FaceResize', scale_factor=1.0, keep_ratio=True),
            ],
            [dict(type='LoadFaceAnnotations')],
            [
                dict(type='PackFaceInputs',
                     meta_keys=('img_id', 'img_path', 'ori_shape',
                                'img_shape', 'scale_factor', 'flip',
                                'flip_direction')),
            ],
        ]),
]
