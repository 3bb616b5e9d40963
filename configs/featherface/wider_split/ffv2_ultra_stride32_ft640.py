# The shipped default's stride-32 path alone (the P5 CBAM-Cascade and SSH
# after the BiFPN, 1,373 parameters) fine-tuned on 640x640 crops.
# On `dev` its highest-scoring false positives on Easy are faces of 300-700
# px found with boxes of about 250x320 px (IoU 0.3-0.5): trained on 320
# crops, it never saw a face larger than 320 px, so its stride-32 anchors
# never learned the boxes of larger ones. TrainOnlyHook keeps every other
# weight and BatchNorm statistic exactly, and nothing after the BiFPN mixes
# levels, so the stride-8 and stride-16 outputs (the faces under about 180
# px) stay the shipped model's bit for bit. No teacher in the loop: the
# boxes are the split's, the landmarks V1's offline labels
# (`make teacher-landmarks`).
_base_ = ['./ffv2_ultra_teacher_labels_cpu_3200.py',
          '../../_base_/datasets/wider_split_crops_640.py']

finetune_from = 'checkpoints/ffv2_ultra_wider_split_distilled.pth'
max_iters = 600
warmup_iters = 50

model = dict(student=dict(
    init_cfg=dict(type='Pretrained', checkpoint=finetune_from),
    backbone=dict(init_cfg=None)))
train_dataloader = dict(dataset=dict(pipeline=[
    _base_.crop_640 if t['type'] == 'RandomSquareCrop' else
    _base_.resize_640 if t['type'] == 'FaceResize' else t
    for t in _base_.train_pipeline]))
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
warmup, cosine = _base_.param_scheduler
param_scheduler = [
    dict(warmup, end=warmup_iters),
    dict(cosine, begin=warmup_iters, end=max_iters),
]
default_hooks = dict(checkpoint=dict(interval=100))
custom_hooks = [h for h in _base_.custom_hooks
                if h['type'] != 'BackboneFreezeHook'] + [
    dict(type='TrainOnlyHook',
         trainable=['neck.bifpn_cbam.2', 'neck.ssh.2'])]
