# V2-Ultra without the complexity-driven gates of the SSH blocks.
_base_ = ['../ffv2_ultra_full.py']

model = dict(student=dict(neck=dict(context_gate=None)))
