# V2-Ultra with static learned fusion scalars (WeightedFusion) in the BiFPN.
_base_ = ['../ffv2_ultra_full.py']

model = dict(
    student=dict(
        neck=dict(fusion=dict(fusion_cfg=dict(type='WeightedFusion')))))
