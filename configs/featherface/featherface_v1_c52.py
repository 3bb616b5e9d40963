# FeatherFace V1 at width C = 52 (498,102 parameters); same recipe.
_base_ = ['./featherface_v1.py']

out_channels = 52
model = dict(
    neck=dict(out_channels=out_channels),
    bbox_head=dict(in_channels=out_channels))
