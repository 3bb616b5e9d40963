# The mini recipe with a sigmoid focal loss on every anchor instead of the
# softmax cross entropy with online hard negative mining.
_base_ = ['./retinaface_mnet025_mini.py']

model = dict(bbox_head=dict(
    loss_cls=dict(_delete_=True,
                  type='FocalLoss',
                  use_sigmoid=True,
                  gamma=2.0,
                  alpha=0.25,
                  loss_weight=1.0),
    # The classifier bias starts at the focal-loss prior (p = 0.01) so
    # the ~10^4 background anchors do not swamp the first iterations.
    init_cfg=dict(
        type='Normal',
        layer='Conv2d',
        std=0.01,
        override=dict(
            type='Normal', name='cls_convs', std=0.01, bias_prob=0.01))))
