# FeatherFace V1 (Electronics 2025): MobileNetV1-0.25, CBAM on backbone and
# BiFPN outputs, 3 BiFPN cells, SSH with DCNv2 3x3 convs, channel-shuffle
# blocks, 1x1 heads; width C = 64 (592,371 parameters).
_base_ = ['../retinaface/retinaface_mnet025_widerface.py']

out_channels = 64
model = dict(
    neck=dict(
        _delete_=True,
        type='FeatherFaceNeck',
        in_channels=[64, 128, 256],
        out_channels=out_channels,
        num_bifpn_cells=3,
        cbam_reduction=16,
        ssh_conv_cfg=dict(type='ScaledDCNv2'),
        use_channel_shuffle=True),
    bbox_head=dict(in_channels=out_channels))

# Reference recipe: 640x640 crops, batch 32 (dataset base), AdamW lr 1e-3
# (torch's default weight decay 0.01), 350 epochs, x0.1 at epochs 190 and
# 220, after a linear warm-up.
max_epochs = 350
train_cfg = dict(max_epochs=max_epochs)
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-3, weight_decay=1e-2))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=500),
    dict(type='MultiStepLR', by_epoch=True, milestones=[190, 220],
         gamma=0.1),
]
