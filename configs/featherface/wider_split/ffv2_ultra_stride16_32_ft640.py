# ffv2_ultra_stride32_ft640.py with the stride-16 path trained too (P4's
# CBAM-Cascade and SSH after the BiFPN): after the stride-32 fine-tune the
# poor boxes left among the first Easy detections sit on faces of 170-210
# px, between the 128 px (stride 16) and 256 px (stride 32) anchors. The
# stride-8 outputs stay the trained model's bit for bit.
_base_ = './ffv2_ultra_stride32_ft640.py'

custom_hooks = [
    dict(h, trainable=h['trainable'] + ['neck.bifpn_cbam.1', 'neck.ssh.1'])
    if h['type'] == 'TrainOnlyHook' else h for h in _base_.custom_hooks]
