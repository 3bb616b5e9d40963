# ffv2_ultra_distill_cpu_landmarks_480.py (480x480 crops) on the shipped
# model's 3,200-iteration schedule (40 epochs of the split), the cosine
# decay stretched to the end; warm-up and freeze unchanged. About five
# hours on one core (V1 runs on every 480 batch): run it in the background
# and `--resume` across stops.
_base_ = './ffv2_ultra_distill_cpu_landmarks_480.py'

max_iters = 3200
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [_base_.param_scheduler[0],
                   dict(_base_.param_scheduler[1], end=max_iters)]
