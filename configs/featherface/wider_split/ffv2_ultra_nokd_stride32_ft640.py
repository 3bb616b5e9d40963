# Control for ffv2_ultra_stride32_ft640.py: the same stride-32 fine-tune of
# the control of the shipped default (ffv2_ultra_nokd_cpu_3200.py, published
# with tools/model_converters/publish_model.py to the path below), on the
# split's own label file: boxes only, no landmarks from V1.
_base_ = './ffv2_ultra_stride32_ft640.py'

finetune_from = 'work_dirs/wider_split/ffv2_ultra_nokd_cpu_3200/student_iter_3200.pth'
model = dict(student=dict(init_cfg=dict(checkpoint=finetune_from)))
train_dataloader = dict(dataset=dict(
    data_root=_base_.data_root,
    ann_file=f'wider_face_{_base_.train_split}_bbx_gt.txt',
    data_prefix=dict(img='images/')))
