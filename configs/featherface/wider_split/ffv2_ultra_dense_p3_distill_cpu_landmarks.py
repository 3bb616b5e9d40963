# ffv2_ultra_distill_cpu_landmarks.py (the 1,600-iteration landmark
# annotator recipe) with one change to the student: a dense SSH at stride
# 8 (../../_base_/models/ffv2_ultra_dense_p3.py, 248,948 parameters).
# Test its checkpoints with configs/featherface/ffv2_ultra_dense_p3_student.py.
_base_ = ['./ffv2_ultra_distill_cpu_landmarks.py',
          '../../_base_/models/dense_p3_context.py']

model = dict(student=dict(neck=dict(context=_base_.dense_p3_context)))
