# ffv2_ultra_stride32_ft640.py with the landmark branch (980 parameters,
# shared by the three levels) trained too: the stride-32 fine-tune alone
# moved the largest bundled face's landmarks away from V1's, as the P5
# features changed under a frozen branch. The branch outputs landmarks
# only, so the stride-8 and stride-16 boxes and scores stay the shipped
# model's bit for bit; their landmarks learn from V1's labels on 640 crops.
_base_ = './ffv2_ultra_stride32_ft640.py'

custom_hooks = [
    dict(h, trainable=h['trainable'] +
         ['bbox_head.task_convs.ldm', 'bbox_head.ldm_convs'])
    if h['type'] == 'TrainOnlyHook' else h for h in _base_.custom_hooks]
