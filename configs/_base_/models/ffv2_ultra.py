# FeatherFace V2-Ultra, the default (241,388 parameters): the published
# design (./ffv2_ultra_full.py) with its compute-costing ideas off (static
# BiFPN fusion, one CBAM stage, no feature reuse, no enhancement, no gates,
# no cross-task head); its parameter savers (grouped SSH, CBAM reduction
# 64, grouped BiFPN projections) stay on. Measured on WIDER FACE `dev`
# (README, "Ablation study"): no idea gained beyond the seed spread, and
# together they cost 14% of the CPU latency. Each stays a switch:
# configs/featherface/ffv2_ultra_full.py turns them all on.
_base_ = './ffv2_ultra_full.py'

model = dict(
    neck=dict(
        fusion=dict(fusion_cfg=dict(type='WeightedFusion')),
        fusion_attention=dict(num_stages=1),
        feature_reuse=None,
        enhancement=None,
        context_gate=None),
    bbox_head=dict(cross_task=False))
