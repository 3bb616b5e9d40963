# V2-Ultra without the fixed-weight cross-level feature reuse.
_base_ = ['../ffv2_ultra_full.py']

model = dict(student=dict(neck=dict(feature_reuse=None)))
