# The deployment student (configs/featherface/ffv2_ultra_deploy_student.py:
# every compute-costing V2-Ultra idea off) distilled from V1 with the same
# CPU recipe as the shipped V2-Ultra, so that the two compare directly.
# Test / export the result with ffv2_ultra_deploy_student.py.
_base_ = ['./ffv2_ultra_distill_cpu.py']

model = dict(
    student=dict(
        neck=dict(
            fusion=dict(fusion_cfg=dict(type='WeightedFusion')),
            fusion_attention=dict(num_stages=1),
            feature_reuse=None,
            enhancement=None,
            context_gate=None),
        bbox_head=dict(cross_task=False)))
