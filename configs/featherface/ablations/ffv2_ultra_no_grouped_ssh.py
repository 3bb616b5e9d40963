# V2-Ultra without the parameter savers: dense SSH (groups 1) and CBAM
# reduction 16 (as V1). Exceeds the 250K budget by design.
_base_ = ['../ffv2_ultra_full.py']

model = dict(
    student=dict(
        neck=dict(
            context=dict(groups=1),
            backbone_attention=dict(reduction=16),
            fusion_attention=dict(reduction=16))))
