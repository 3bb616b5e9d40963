# The default V2-Ultra (./ffv2_ultra.py) with a dense SSH at stride 8
# (groups 1 instead of 8; strides 16 and 32 keep groups 8): 248,948
# parameters. The student's recall trails V1's most on 16-64 px faces,
# which stride 8 detects, and its grouped SSH (1,176 parameters a level)
# is its thinnest stage; the spare budget up to 250,000 buys one dense SSH.
_base_ = ['./ffv2_ultra.py', './dense_p3_context.py']

model = dict(neck=dict(context=_base_.dense_p3_context))
