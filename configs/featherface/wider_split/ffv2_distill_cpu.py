# The plain FeatherFace V2 student (254,179 parameters) distilled exactly
# like ffv2_ultra_distill_cpu.py: V2-Ultra's switches set back to the
# values of configs/_base_/models/ffv2.py (a test checks they agree).
_base_ = './ffv2_ultra_distill_cpu.py'

model = dict(
    student=dict(
        neck=dict(
            backbone_attention=dict(reduction=32),
            fusion=dict(
                proj_groups=1,
                fusion_cfg=dict(_delete_=True, type='WeightedFusion',
                                eps=1e-4)),
            fusion_attention=dict(num_stages=1, reduction=32),
            feature_reuse=None,
            context_gate=None,
            shuffle_block=dict(
                _delete_=True, type='ChannelShuffleBlock', groups=2,
                norm_cfg=dict(type='BN')),
            enhancement=None),
        bbox_head=dict(task_convs=False, cross_task=False)))
