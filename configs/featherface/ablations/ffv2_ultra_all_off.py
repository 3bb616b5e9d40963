# V2-Ultra's widths with every idea switched off (static fusion, one CBAM
# stage, no feature reuse, no enhancement, no gates, no cross-task head);
# the parameter savers (grouped SSH, CBAM reduction 64) stay on.
_base_ = ['../ffv2_ultra.py']

model = dict(
    student=dict(
        neck=dict(
            adaptive_fusion=False,
            attention_stages=1,
            feature_reuse=False,
            enhancement_rounds=0,
            dynamic_gate=False),
        bbox_head=dict(cross_task=False)))
