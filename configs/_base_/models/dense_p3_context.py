# The context modules of V2-Ultra with a dense SSH at stride 8: groups 1
# at P3, V2's grouped SSH (groups 8) at P4 and P5. Only this variable is
# defined here, so that a model base and recipes whose own bases already
# define `model` can all take it (`neck.context=_base_.dense_p3_context`).
grouped_ssh = dict(type='FaceSSH', conv_cfg=None, groups=8,
                   norm_cfg=dict(type='BN'))
dense_p3_context = [dict(grouped_ssh, groups=1), grouped_ssh, grouped_ssh]
