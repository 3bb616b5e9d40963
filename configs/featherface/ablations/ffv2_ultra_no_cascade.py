# V2-Ultra with a single CBAM stage after the BiFPN (no cascade).
_base_ = ['../ffv2_ultra.py']

model = dict(student=dict(neck=dict(attention_stages=1)))
