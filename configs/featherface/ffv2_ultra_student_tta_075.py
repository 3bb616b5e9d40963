# The plain default V2-Ultra with a two-scale test (`tools/test.py ...
# --tta`): the image at original size and shrunk to 0.75, no flip (1.56
# times the pixels of one pass). The students train on 320 crops and so
# never see a face larger than 320 px; shrunk by a quarter, the largest
# faces fall into the sizes they were trained on (README, "Why the
# students trail V1").
_base_ = './ffv2_ultra_student.py'

# face_tta.py's pipeline with its scales replaced and its flips left out
tta_pipeline = [
    _base_.tta_pipeline[0],
    dict(_base_.tta_pipeline[1], transforms=[
        [dict(type='FaceResize', scale_factor=s, keep_ratio=True)
         for s in (0.75, 1.0)],
        *_base_.tta_pipeline[1]['transforms'][2:]]),
]
