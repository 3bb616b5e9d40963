# FeatherFace V1 (Electronics 2025): MobileNetV1-0.25 -> CBAM (residual) ->
# 3 BiFPN cells -> CBAM (residual) -> SSH with DCNv2 3x3 convs ->
# channel-shuffle blocks -> 1x1 heads; width C = 64 (592,371 parameters).
_base_ = './retinaface_mnet025.py'

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
