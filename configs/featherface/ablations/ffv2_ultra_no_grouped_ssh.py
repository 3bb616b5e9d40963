# V2-Ultra without the parameter savers: dense SSH (groups 1) and CBAM
# reduction 16 (as V1). Exceeds the 250K budget by design.
_base_ = ['../ffv2_ultra.py']

model = dict(student=dict(neck=dict(ssh_groups=1, cbam_reduction=16)))
