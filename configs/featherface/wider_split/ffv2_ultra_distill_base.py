# V2-Ultra distilled from the trained FeatherFace V1 on real faces: the
# shared WIDER FACE val `train` split (boxes only), evaluated on `dev`.
# The recipes (ffv2_ultra_distill_cpu.py, ffv2_ultra_distill_gpu.py) add
# the crop size, batch and schedule.
#   * teacher: the public trained V1, converted by `make weights`
#     (tools/convert_ckpt.py --from featherface ...);
#   * student: the default V2-Ultra (every compute-costing idea off);
#     ffv2_ultra_full_distill_cpu.py sets the every-idea one;
#   * student init: its MobileNetV1-0.25 backbone (213,072 of V2-Ultra's
#     241,388 parameters) is V1's, loaded by mmengine's `Pretrained` init
#     with prefix `backbone.`; `student_backbone_init` is the switch;
#   * landmarks: WIDER val has none, so the student learns them from the
#     teacher (KDLocLoss pulls its landmark deltas toward V1's on anchors
#     where V1 sees a face).
# Saved checkpoints hold the student only: test them with
# configs/featherface/ffv2_ultra_student.py (e.g. `--split dev`).
_base_ = [
    '../../_base_/models/ffv2_ultra.py',
    '../../_base_/datasets/wider_val_split.py',
    '../../_base_/default_runtime.py',
    '../../_base_/face_tta.py',
    '../../_base_/distillation/kd_default.py',
]

teacher_config = 'configs/featherface/featherface_v1.py'
teacher_ckpt = 'weights/converted/featherface_v1_widerface.pth'
student_backbone_init = dict(
    type='Pretrained', checkpoint=teacher_ckpt, prefix='backbone.')

# mmengine exposes the merged bases as `_base_` while this file runs.
model = dict(
    _base_.kd_model,
    _delete_=True,
    student=dict(
        _base_.model,
        backbone=dict(_base_.model.backbone,
                      init_cfg=student_backbone_init)),
    teachers=[dict(config=teacher_config, checkpoint=teacher_ckpt,
                   weight=1.0)])

# The recipes freeze the student's backbone first (BackboneFreezeHook):
# several processes (tools/dist_train.sh) need DDP to allow parameters
# without gradients.
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', find_unused_parameters=True)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
randomness = dict(seed=0)
