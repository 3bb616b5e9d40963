# The first CPU recipe (ffv2_ultra_distill_cpu.py) with the every-idea
# V2-Ultra student (../ffv2_ultra_full_student.py, 244,031 parameters):
# it made checkpoints/ffv2_ultra_full_wider_split_distilled.pth and is the
# base of the experiments run before the default changed (the constant
# balance, the 1,200-iteration recipes, the ablation recipe).
_base_ = './ffv2_ultra_distill_cpu.py'

model = dict(
    student=dict(
        neck=dict(
            fusion=dict(fusion_cfg=dict(type='AdaptiveFusion')),
            fusion_attention=dict(num_stages=3),
            # _delete_: a dict where the default student has None
            feature_reuse=dict(_delete_=True, type='FeatureReuse',
                               weight=0.1),
            enhancement=dict(
                _delete_=True,
                type='ProgressiveEnhancement',
                rounds=2,
                alpha=0.1,
                shuffle_groups=2),
            context_gate=dict(_delete_=True, type='DynamicGate', hidden=4)),
        bbox_head=dict(cross_task=True)))
