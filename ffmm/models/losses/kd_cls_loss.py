"""Classification knowledge distillation on every anchor.

The KL term is mmdet's ``knowledge_distillation_kl_div_loss``. mmdet's
``KnowledgeDistillationKLDivLoss`` module itself is not used: its
temperature is fixed when it is built (ours is scheduled and passed per
call) and it averages the KL over the classes instead of summing it, so
its values would be half of the published FeatherFace loss.
"""
import torch
import torch.nn as nn
from mmdet.models.losses.kd_loss import knowledge_distillation_kl_div_loss
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
        normalize (str): ``'anchors'`` averages the KL over all anchors
            (the published FeatherFace loss); ``'teacher_faces'`` sums it
            and divides by the teacher's face probability mass (at least
            1), like the task losses divide by the positives. With a few
            dozen faces among thousands of anchors the mean is about a
            hundred times smaller than the ground-truth class loss.
    """

    NORMALIZE_MODES = ('anchors', 'teacher_faces')

    def __init__(self, temperature=1.0, loss_weight=1.0,
                 normalize='anchors'):
        super().__init__()
        if normalize not in self.NORMALIZE_MODES:
            raise ValueError(f'KDClsLoss: normalize must be one of '
                             f'{self.NORMALIZE_MODES}, got {normalize!r}')
        self.temperature = temperature
        self.loss_weight = loss_weight
        self.normalize = normalize

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
        num_classes = student_logits.shape[-1]
        # T^2 * KL / C per anchor; times C gives T^2 * KL
        kl = knowledge_distillation_kl_div_loss(
            student_logits.reshape(-1, num_classes),
            teacher_logits.reshape(-1, num_classes), T=t,
            reduction='none') * num_classes
        if weight is None and self.normalize == 'teacher_faces':
            # index 0 is the face class (see two_class_logits)
            face_mass = teacher_logits.detach().reshape(
                -1, num_classes).softmax(-1)[:, 0].sum()
            loss = kl.sum() / face_mass.clamp(min=1.0)
        elif weight is None:
            loss = kl.mean()
        else:
            weight = weight.reshape(-1)
            loss = (kl * weight).sum() / weight.sum().clamp(min=1e-6)
        return self.loss_weight * loss
