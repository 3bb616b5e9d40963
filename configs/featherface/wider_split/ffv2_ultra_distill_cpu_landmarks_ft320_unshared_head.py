# ffv2_ultra_distill_cpu_landmarks_ft320.py with a head of its own per
# level (share_levels=False, 245,420 parameters): each level's head starts
# from the shipped shared one (its checkpoint holds the shared weights
# under every level's key), so training starts from exactly the shipped
# model's detections. Test its checkpoints with
# configs/featherface/ffv2_ultra_unshared_head_student.py.
_base_ = './ffv2_ultra_distill_cpu_landmarks_ft320.py'

model = dict(student=dict(bbox_head=dict(share_levels=False)))
