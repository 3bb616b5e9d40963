# ffv2_ultra_distill_cpu_landmarks_ft320_ldm4_ema.py with the teacher's face
# probabilities as one more target: KL(V1 || student) on every anchor at
# T = 1, divided by V1's face mass like the task losses by the positives
# (KDClsLoss normalize='teacher_faces'), next to the full-weight labels.
# V1 finds 0.73 of the 16-32 px faces of dev at score 0.5, the shipped
# student 0.43; earlier class KD ran inside the T/alpha schedule, which
# took weight from the labels. Measured (two seeds, README): about +0.3 /
# +0.4 / -0.6 against the same fine-tune without it; not adopted.
_base_ = './ffv2_ultra_distill_cpu_landmarks_ft320_ldm4_ema.py'

model = dict(distiller=dict(distill_losses=dict(
    loss_kd_cls=dict(_delete_=True, type='KDClsLoss',
                     normalize='teacher_faces',
                     loss_weight=1.0))))
