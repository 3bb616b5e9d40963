# V2-Ultra's widths with every idea switched off (static fusion, one CBAM
# stage, no feature reuse, no enhancement, no gates, no cross-task head);
# the parameter savers (grouped SSH, CBAM reduction 64) stay on. The
# student is the default V2-Ultra (_base_/models/ffv2_ultra.py, which
# the study chose by this ablation).
_base_ = ['../ffv2_ultra_full.py']

model = dict(
    student=dict(
        neck=dict(
            fusion=dict(fusion_cfg=dict(type='WeightedFusion')),
            fusion_attention=dict(num_stages=1),
            feature_reuse=None,
            enhancement=None,
            context_gate=None),
        bbox_head=dict(cross_task=False)))
