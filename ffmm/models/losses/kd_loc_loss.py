"""Localisation knowledge distillation: box and landmark deltas."""
import torch.nn as nn
import torch.nn.functional as F
from mmdet.registry import MODELS


@MODELS.register_module()
class KDLocLoss(nn.Module):
    """Smooth L1 pulling the student's box and landmark deltas toward the
    teacher's on anchors where the teacher is confident it sees a face.

    Both networks must use the same anchors and the same box/landmark
    coding (true for all RetinaFace/FeatherFace models), so their deltas
    are directly comparable.

    Args:
        score_thr (float): anchors whose teacher face probability is
            ``>= score_thr`` are distilled.
        beta (float): smooth L1 transition point.
        bbox_weight (float): weight of the box term.
        ldm_weight (float): weight of the landmark term.
        loss_weight (float): multiplier of the result.

    The loss is summed over the coordinates of the selected anchors and
    divided by their number (at least 1), like the task losses; it is 0
    when the teacher is confident nowhere.
    """

    def __init__(self,
                 score_thr=0.5,
                 beta=1.0,
                 bbox_weight=1.0,
                 ldm_weight=1.0,
                 loss_weight=1.0):
        super().__init__()
        self.score_thr = score_thr
        self.beta = beta
        self.bbox_weight = bbox_weight
        self.ldm_weight = ldm_weight
        self.loss_weight = loss_weight

    def forward(self, student_bbox, teacher_bbox, teacher_scores,
                student_ldm=None, teacher_ldm=None):
        """
        Args:
            student_bbox, teacher_bbox (Tensor): (B, A, 4) box deltas.
            teacher_scores (Tensor): (B, A) teacher face probabilities.
            student_ldm, teacher_ldm (Tensor, optional): (B, A, 2K)
                landmark deltas; the landmark term is skipped when either
                is missing or their shapes differ (another K).
        """
        mask = (teacher_scores.detach() >= self.score_thr).to(
            student_bbox.dtype)
        num = mask.sum().clamp(min=1.0)

        def term(s, t):
            d = F.smooth_l1_loss(s, t.detach(), beta=self.beta,
                                 reduction='none')
            return (d.sum(-1) * mask).sum() / num

        loss = self.bbox_weight * term(student_bbox, teacher_bbox)
        if student_ldm is not None and teacher_ldm is not None \
                and student_ldm.shape == teacher_ldm.shape \
                and self.ldm_weight:
            loss = loss + self.ldm_weight * term(student_ldm, teacher_ldm)
        return self.loss_weight * loss
