# FeatherFace V1 (Electronics 2025): MobileNetV1-0.25 -> CBAM (residual) ->
# 3 BiFPN cells -> CBAM (residual) -> SSH with DCNv2 3x3 convs ->
# channel-shuffle blocks -> 1x1 heads; width C = 64 (592,371 parameters).
_base_ = './retinaface_mnet025.py'

out_channels = 64
# The reference BN momentum (0.01, PyTorch's convention) of the attention
# and BiFPN norms; short runs set 0.1 (see featherface_v1_mini.py).
attention_norm = dict(type='BN', momentum=0.01, eps=1e-5)
fusion_norm = dict(type='BN', momentum=0.01, eps=1e-3)
model = dict(
    neck=dict(
        _delete_=True,
        type='FeatherFaceNeck',
        in_channels=[64, 128, 256],
        out_channels=out_channels,
        backbone_attention=dict(
            type='CBAM', reduction=16, norm_cfg=attention_norm),
        fusion=dict(
            type='BiFPN',
            num_cells=3,
            fusion_cfg=dict(type='WeightedFusion', eps=1e-4),
            # the reference's P5 node: 3 weights for 2 inputs
            legacy_p5_weights=True,
            norm_cfg=fusion_norm),
        fusion_attention=dict(
            type='CBAM', reduction=16, norm_cfg=attention_norm),
        context=dict(
            type='FaceSSH',
            conv_cfg=dict(type='ScaledDCNv2'),
            norm_cfg=dict(type='BN')),
        shuffle_block=dict(
            type='ChannelShuffleBlock', groups=2, norm_cfg=dict(type='BN')),
        # feature_reuse, context_gate and enhancement: off (None) by default
    ),
    bbox_head=dict(in_channels=out_channels))
