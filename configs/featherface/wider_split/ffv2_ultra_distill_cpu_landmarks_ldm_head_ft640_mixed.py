# The shipped default's landmark branch alone fine-tuned on V1's landmarks
# with 640 crops, half of them resized to 320
# (ffv2_ultra_distill_cpu_landmarks_ft640_mixed.py, which trained every
# weight: the landmarks closest to V1's of any model, but -1.41 Hard).
# TrainOnlyHook freezes every other weight and BatchNorm statistic, so the
# boxes and scores, hence the WIDER APs, stay the shipped model's exactly;
# the branch (depthwise task conv and 1x1 landmark conv, 980
# parameters shared by the three levels) sees faces up to 640 px, not 320.
_base_ = './ffv2_ultra_distill_cpu_landmarks_ft640_mixed.py'

optim_wrapper = dict(optimizer=dict(lr=2e-3))
custom_hooks = _base_.custom_hooks + [
    dict(type='TrainOnlyHook',
         trainable=['bbox_head.task_convs.ldm', 'bbox_head.ldm_convs'])]
