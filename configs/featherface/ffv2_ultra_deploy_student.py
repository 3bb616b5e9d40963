# V2-Ultra for deployment (lowest latency): the student of
# ablations/ffv2_ultra_all_off.py, i.e. V2-Ultra's widths and parameter
# savers (grouped SSH, CBAM reduction 64) with the compute-costing ideas
# off (static fusion, one CBAM stage, no feature reuse, no enhancement, no
# gates, no cross-task head). Chosen by measurement (README, "Ablation
# study"): on `dev` it was not worse than full V2-Ultra beyond the seed
# spread on any setting, and it runs at 0.86-0.89x RetinaFace-0.25's ONNX
# latency on one CPU thread against 1.00-1.10x for full V2-Ultra.
# The plain student (test / export); train it on any recipe with
#   python tools/analysis/ablate.py RECIPE \
#       --ablations configs/featherface/ablations/ffv2_ultra_all_off.py
_base_ = ['./ablations/ffv2_ultra_all_off.py']

model = dict(_delete_=True, **_base_.model.student)
custom_hooks = []
