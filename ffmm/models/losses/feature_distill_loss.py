"""Feature-map distillation: MSE or channel-wise distillation (CWD)."""
import torch.nn.functional as F
from mmdet.registry import MODELS

from .multi_level_loss import MultiLevelFeatureLoss


@MODELS.register_module()
class FeatureDistillLoss(MultiLevelFeatureLoss):
    """Distance between (adapted) student feature maps and the teacher's.

    Modes:
        ``'mse'``: mean squared error over all elements.
        ``'cwd'``: channel-wise distillation (Shu et al., ICCV 2021): each
            channel is turned into a distribution over spatial positions by
            a softmax with temperature ``tau``; the loss is
            ``tau^2 * KL(teacher || student)`` summed over positions and
            averaged over batch and channels.

    Student and teacher maps must have the same channels (the distiller
    inserts 1x1 adapters); a student map of another spatial size is
    resized (bilinear) to the teacher's. A list of levels gives the mean
    over levels.

    Args:
        mode (str): ``'mse'`` or ``'cwd'``.
        tau (float): CWD temperature.
        loss_weight (float): multiplier of the result.
    """

    def __init__(self, mode='mse', tau=1.0, loss_weight=1.0):
        super().__init__(loss_weight)
        if mode not in ('mse', 'cwd'):
            raise ValueError(f"FeatureDistillLoss mode must be 'mse' or "
                             f"'cwd', got {mode!r}")
        self.mode = mode
        self.tau = tau

    def _single(self, s, t):
        if s.shape[1] != t.shape[1]:
            raise ValueError(f'feature channels differ (student '
                             f'{s.shape[1]}, teacher {t.shape[1]}): use an '
                             f'adapter')
        if self.mode == 'mse':
            return F.mse_loss(s, t)
        n, c = t.shape[:2]
        log_p_s = F.log_softmax(s.reshape(n, c, -1) / self.tau, dim=-1)
        log_p_t = F.log_softmax(t.reshape(n, c, -1) / self.tau, dim=-1)
        kl = (log_p_t.exp() * (log_p_t - log_p_s)).sum(-1)
        return self.tau**2 * kl.mean()
