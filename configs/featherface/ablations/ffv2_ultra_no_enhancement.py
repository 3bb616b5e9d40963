# V2-Ultra without the progressive enhancement (x + 0.1 tanh x, shuffle).
_base_ = ['../ffv2_ultra_full.py']

model = dict(student=dict(neck=dict(enhancement=None)))
