# V2-Ultra with a single CBAM stage after the BiFPN (no cascade).
_base_ = ['../ffv2_ultra_full.py']

model = dict(student=dict(neck=dict(fusion_attention=dict(num_stages=1))))
