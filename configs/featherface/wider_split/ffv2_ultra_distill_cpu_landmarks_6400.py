# ffv2_ultra_distill_cpu_landmarks_3200.py (the shipped model's recipe) on
# 6,400 iterations (80 epochs of the split), the cosine decay stretched to
# the end; warm-up and freeze unchanged. Its control is
# ffv2_ultra_nokd_cpu_6400.py. About 6 hours on one core (V1 runs on every
# batch): run it in the background and `--resume` across stops.
_base_ = './ffv2_ultra_distill_cpu_landmarks_3200.py'

max_iters = 6400
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [_base_.param_scheduler[0],
                   dict(_base_.param_scheduler[1], end=max_iters)]
