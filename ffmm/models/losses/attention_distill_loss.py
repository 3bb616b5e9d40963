"""Spatial attention transfer between feature maps of any widths."""
import torch.nn.functional as F
from mmdet.registry import MODELS

from .multi_level_loss import MultiLevelFeatureLoss


def spatial_attention(feat, p=2.0):
    """Spatial attention map of a (B, C, H, W) feature: the channel mean of
    ``|F|^p``, flattened and L2-normalised per image -> (B, H*W).

    It needs no learned parameters, so it compares networks whose feature
    widths differ (no adapter).
    """
    att = feat.abs().pow(p).mean(dim=1).flatten(1)
    return F.normalize(att, p=2, dim=1)


@MODELS.register_module()
class AttentionDistillLoss(MultiLevelFeatureLoss):
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
        super().__init__(loss_weight)
        self.p = p

    def _single(self, s, t):
        a_s = spatial_attention(s, self.p)
        a_t = spatial_attention(t, self.p)
        return (a_s - a_t).pow(2).sum(1).mean()
