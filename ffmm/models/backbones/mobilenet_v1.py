"""MobileNetV1 backbone in the layout of the public RetinaFace/FeatherFace code.

The module tree (``stage1/2/3`` of ``nn.Sequential`` blocks) deliberately keeps
the reference layout, so the public ImageNet checkpoint
(``mobilenetV1X0.25_pretrain.tar``, keys ``module.stageN.*``) and converted
detector checkpoints load without renaming.
"""
import os.path as osp

import torch.nn as nn
from mmdet.registry import MODELS
from mmengine.logging import print_log
from mmengine.model import BaseModule


def _conv_bn(cin, cout, stride, slope):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout),
        nn.LeakyReLU(slope, inplace=True))


def _conv_dw(cin, cout, stride, slope):
    return nn.Sequential(
        nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False),
        nn.BatchNorm2d(cin), nn.LeakyReLU(slope, inplace=True),
        nn.Conv2d(cin, cout, 1, 1, 0, bias=False), nn.BatchNorm2d(cout),
        nn.LeakyReLU(slope, inplace=True))


@MODELS.register_module()
class MobileNetV1(BaseModule):
    """MobileNetV1 returning stride 8/16/32 features.

    Args:
        widen_factor (float): channel multiplier; 0.25 gives 64/128/256
            output channels, the RetinaFace/FeatherFace setting.
        leaky_slope (float): LeakyReLU slope of every block (0.1 in the
            reference).
        frozen_stages (int): stages (1..3) whose weights and BN statistics are
            frozen; 0 trains everything.
        out_indices (tuple[int]): which of stage1..3 (0-based) to return.
    """

    # (out_channels at width 1.0, stride) of each block after the stem.
    _STAGES = (
        ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1)),
        ((512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1)),
        ((1024, 2), (1024, 1)),
    )

    def __init__(self,
                 widen_factor=0.25,
                 leaky_slope=0.1,
                 frozen_stages=0,
                 out_indices=(0, 1, 2),
                 init_cfg=None):
        super().__init__(init_cfg)
        self.frozen_stages = frozen_stages
        self.out_indices = tuple(out_indices)
        stem = int(32 * widen_factor)
        cin = stem
        stages = []
        for i, spec in enumerate(self._STAGES):
            blocks = [_conv_bn(3, stem, 2, leaky_slope)] if i == 0 else []
            for cout, stride in spec:
                cout = int(cout * widen_factor)
                blocks.append(_conv_dw(cin, cout, stride, leaky_slope))
                cin = cout
            stages.append(nn.Sequential(*blocks))
        self.stage1, self.stage2, self.stage3 = stages
        self.out_channels = [
            int(spec[-1][0] * widen_factor) for spec in self._STAGES
        ]

    def init_weights(self):
        # A missing local pretrained file is a notice, not a crash: training
        # from scratch still works (only slower to converge).
        cfg = self.init_cfg
        if (isinstance(cfg, dict) and cfg.get('type') == 'Pretrained'
                and '://' not in str(cfg.get('checkpoint'))
                and not osp.isfile(str(cfg.get('checkpoint')))):
            print_log(
                f'Pretrained backbone {cfg.get("checkpoint")} not found: '
                'training MobileNetV1 from scratch. Get the public '
                'mobilenetV1X0.25_pretrain.tar (Pytorch_Retinaface release) '
                'and put it there for the published recipe.',
                logger='current',
                level=30)
            self.init_cfg = None
        super().init_weights()

    def forward(self, x):
        outs = []
        for i, stage in enumerate((self.stage1, self.stage2, self.stage3)):
            x = stage(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)

    def _freeze_stages(self):
        for i in range(1, self.frozen_stages + 1):
            stage = getattr(self, f'stage{i}')
            stage.eval()
            for p in stage.parameters():
                p.requires_grad = False

    def train(self, mode=True):
        super().train(mode)
        self._freeze_stages()
        return self
