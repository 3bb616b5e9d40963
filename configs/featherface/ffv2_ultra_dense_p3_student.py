# The plain V2-Ultra student with a dense SSH at stride 8 (248,948
# parameters), no teacher: the config to test and export checkpoints of
# wider_split/ffv2_ultra_dense_p3_distill_cpu_landmarks.py.
_base_ = [
    '../_base_/models/ffv2_ultra_dense_p3.py',
    '../_base_/datasets/widerface.py',
    '../_base_/schedules/featherface_350e.py',
    '../_base_/default_runtime.py',
    '../_base_/face_tta.py',
]
