# Ablation: no distillation. The one change: no teacher. A FaceDistiller
# without teachers trains its student on the task losses alone (alpha is
# held at 0), i.e. the plain student config
# configs/distillation/students/retinaface_c32_mini.py.
_base_ = ['../retinaface_c32_from_retinaface_mini.py']

model = dict(teachers=[])
