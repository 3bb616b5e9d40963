"""CBAM-Cascade: up to three attention stages over the same features.

Stage k attends to the running sum of the input and all previous stages::

    a1 = cbam_1(x)                  # raw features
    a2 = cbam_2(a1 + x)             # context-aware: sees what stage 1 kept
    a3 = cbam_3(a2 + a1 + x)        # task-specific refinement

and the cascade returns the last stage (the neck adds the residual and
ReLU itself, as for a plain CBAM). With ``share=True`` all stages are the
same :class:`~ffmm.models.plugins.cbam.CBAM` instance, so the extra stages
cost no parameters (``stages`` lists that one module ``num_stages`` times;
``parameters()`` yields it once). With ``share=False`` each stage owns a
CBAM. One stage is exactly a CBAM. Registered in mmdet's ``MODELS`` like
:class:`CBAM`; ``norm_cfg``/``act_cfg`` reach every stage's CBAM.
"""
import torch.nn as nn
from mmdet.registry import MODELS

from .cbam import CBAM


@MODELS.register_module()
class CBAMCascade(nn.Module):
    """Cascaded CBAM with optional weight sharing across stages.

    Args:
        channels (int): input channels.
        num_stages (int): attention stages (1 to 3).
        share (bool): reuse one CBAM for every stage.
        reduction (int): channel-gate reduction.
        **cbam_kwargs: other :class:`CBAM` arguments (``norm_cfg``,
            ``act_cfg``, ...).
    """

    param_group = 'attention'

    def __init__(self, channels, num_stages=3, share=True, reduction=16,
                 **cbam_kwargs):
        super().__init__()
        if not 1 <= num_stages <= 3:
            raise ValueError('CBAMCascade has 1 to 3 stages')
        self.num_stages = num_stages
        self.share = share
        if share:
            cbam = CBAM(channels, reduction, **cbam_kwargs)
            self.stages = nn.ModuleList([cbam] * num_stages)
        else:
            self.stages = nn.ModuleList(
                CBAM(channels, reduction, **cbam_kwargs)
                for _ in range(num_stages))

    def forward(self, x):
        acc = x
        out = None
        for i, stage in enumerate(self.stages):
            out = stage(acc)
            if i + 1 < self.num_stages:
                acc = acc + out
        return out

    def extra_repr(self):
        return f'num_stages={self.num_stages}, share={self.share}'
