# ffv2_ultra_teacher_labels_cpu_480_ldm025.py (V1's landmarks as offline
# labels, landmark term at 0.25, 480 crops) on the 3,200-iteration schedule
# of its control ffv2_ultra_nokd_cpu_480_3200.py: the cosine decay
# stretched to the end, warm-up and freeze unchanged. At 320 the landmark
# term's lead over the control grew with the schedule's length (README,
# "A longer schedule widens the lead"). About two hours next to one other
# run: run it in the background and `--resume` across stops.
_base_ = './ffv2_ultra_teacher_labels_cpu_480_ldm025.py'

max_iters = 3200
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [_base_.param_scheduler[0],
                   dict(_base_.param_scheduler[1], end=max_iters)]
