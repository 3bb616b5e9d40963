# Training ablation (issue 14) on the no-teacher ablation recipe: a sigmoid
# focal loss on every anchor instead of softmax cross entropy with online
# hard negative mining; the classifier bias starts at p = 0.01.
_base_ = '../ffv2_ultra_ablate_cpu_nokd.py'

model = dict(student=dict(bbox_head=dict(
    loss_cls=dict(_delete_=True, type='FocalLoss', use_sigmoid=True,
                  gamma=2.0, alpha=0.25, loss_weight=1.0),
    init_cfg=dict(type='Normal', layer='Conv2d', std=0.01,
                  override=dict(type='Normal', name='cls_convs', std=0.01,
                                bias_prob=0.01)))))
