"""Spatial attention transfer between feature maps of any widths."""
import torch.nn as nn
import torch.nn.functional as F
from mmdet.registry import MODELS


def spatial_attention(feat, p=2.0):
    """Spatial attention map of a (B, C, H, W) feature: the channel mean of
    ``|F|^p``, flattened and L2-normalised per image -> (B, H*W).

    It needs no learned parameters, so it compares networks whose feature
    widths differ (no adapter).
    """
    att = feat.abs().pow(p).mean(dim=1).flatten(1)
    return F.normalize(att, p=2, dim=1)


@MODELS.register_module()
class AttentionDistillLoss(nn.Module):
    """Attention transfer (Zagoruyko & Komodakis, 2017) per level.

    ``sum_hw (a_s - a_t)^2`` between the normalised spatial attention maps
    (:func:`spatial_attention`) of student and teacher, averaged over the
    batch and the levels. A student map of another spatial size is resized
    to the teacher's. The loss is 0 when the maps agree (up to a positive
    factor) and at most 2 per level.

    Args:
        p (float): exponent of ``|F|`` in the attention map.
        loss_weight (float): multiplier of the result.
    """

    def __init__(self, p=2.0, loss_weight=1.0):
        super().__init__()
        self.p = p
        self.loss_weight = loss_weight

    def _single(self, s, t):
        t = t.detach()
        if s.shape[-2:] != t.shape[-2:]:
            s = F.interpolate(s, size=t.shape[-2:], mode='bilinear',
                              align_corners=False)
        a_s = spatial_attention(s, self.p)
        a_t = spatial_attention(t, self.p)
        return (a_s - a_t).pow(2).sum(1).mean()

    def forward(self, student_feats, teacher_feats):
        if not isinstance(student_feats, (list, tuple)):
            student_feats, teacher_feats = [student_feats], [teacher_feats]
        if len(student_feats) != len(teacher_feats):
            raise ValueError('student and teacher give different numbers of '
                             'feature levels')
        losses = [self._single(s, t)
                  for s, t in zip(student_feats, teacher_feats)]
        return self.loss_weight * sum(losses) / len(losses)
