"""Classification knowledge distillation on every anchor."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.registry import MODELS


def two_class_logits(logits, use_sigmoid):
    """Logits as [face, background] pairs (..., 2).

    A softmax face head already gives them; a sigmoid head's face logit
    ``x`` becomes ``[x, 0]``, whose softmax equals ``[sigmoid(x),
    1 - sigmoid(x)]``. Teachers and students of either kind can then be
    compared.
    """
    if not use_sigmoid:
        return logits
    return torch.cat([logits, torch.zeros_like(logits)], dim=-1)


@MODELS.register_module()
class KDClsLoss(nn.Module):
    """``T^2 * KL(p_teacher || p_student)`` of temperature-softened class
    probabilities, averaged over anchors.

    Inputs are logits of shape (B, A, C) (any leading shape works, the last
    dimension holds the classes). For the face heads C = 2, ordered
    [face, background]; a sigmoid head's single face logit ``x`` can be
    passed as the two logits ``[x, 0]`` (``softmax([x, 0])[0] ==
    sigmoid(x)``), see :func:`two_class_logits`.

    Args:
        temperature (float): default softening temperature; the distiller
            passes the scheduled value at call time.
        loss_weight (float): multiplier of the result.
    """

    def __init__(self, temperature=1.0, loss_weight=1.0):
        super().__init__()
        self.temperature = temperature
        self.loss_weight = loss_weight

    def forward(self, student_logits, teacher_logits, temperature=None,
                weight=None):
        """
        Args:
            student_logits (Tensor): (..., C) logits of the student.
            teacher_logits (Tensor): (..., C) logits of the teacher (its
                gradient is never used).
            temperature (float, optional): overrides ``self.temperature``.
            weight (Tensor, optional): (...) per-anchor weights; the result
                is then ``sum(w * kl) / max(sum(w), 1e-6)``.
        """
        t = float(self.temperature if temperature is None else temperature)
        log_p_s = F.log_softmax(student_logits / t, dim=-1)
        log_p_t = F.log_softmax(teacher_logits.detach() / t, dim=-1)
        kl = (log_p_t.exp() * (log_p_t - log_p_s)).sum(-1)
        if weight is None:
            loss = kl.mean()
        else:
            loss = (kl * weight).sum() / weight.sum().clamp(min=1e-6)
        return self.loss_weight * t * t * loss
