# ffv2_ultra_distill_cpu_landmarks_ft320.py (the shipped default trained
# further on 320 crops, 800 iterations) with a dense SSH at stride 8: the
# shipped grouped weights load block-diagonally into it (FaceSSH's load
# hook), so training starts from exactly the shipped model's detections
# and only the added capacity differs from the control.
_base_ = ['./ffv2_ultra_distill_cpu_landmarks_ft320.py',
          '../../_base_/models/dense_p3_context.py']

model = dict(student=dict(neck=dict(context=_base_.dense_p3_context)))
