"""Shared per-level plumbing of the feature-map distillation losses."""
import torch.nn as nn
import torch.nn.functional as F


class MultiLevelFeatureLoss(nn.Module):
    """Mean over levels of ``_single(student, teacher)``.

    Accepts one (B, C, H, W) map or a list of levels per side; the teacher
    is detached and a student map of another spatial size is resized
    (bilinear) to the teacher's before ``_single`` sees it.
    """

    def __init__(self, loss_weight=1.0):
        super().__init__()
        self.loss_weight = loss_weight

    def _single(self, s, t):
        raise NotImplementedError

    def forward(self, student_feats, teacher_feats):
        if not isinstance(student_feats, (list, tuple)):
            student_feats, teacher_feats = [student_feats], [teacher_feats]
        if len(student_feats) != len(teacher_feats):
            raise ValueError('student and teacher give different numbers of '
                             'feature levels')
        losses = []
        for s, t in zip(student_feats, teacher_feats):
            t = t.detach()
            if s.shape[-2:] != t.shape[-2:]:
                s = F.interpolate(s, size=t.shape[-2:], mode='bilinear',
                                  align_corners=False)
            losses.append(self._single(s, t))
        return self.loss_weight * sum(losses) / len(losses)
