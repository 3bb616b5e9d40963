"""Zero-parameter progressive enhancement: ``x + alpha * tanh(x)``, shuffle.

Each round boosts mid-range activations a little (the increment
``alpha * tanh(x)`` saturates at ``alpha`` for large ``|x|`` and is ~``alpha
* x`` near zero, a soft contrast stretch that cannot blow up) and then
shuffles the channels, so that grouped layers downstream (the grouped SSH
of the next level, grouped heads) see channels from every group. The map
``x -> x + alpha * tanh(x)`` is strictly increasing for ``alpha > -1``,
hence invertible: no information is lost. No parameters.
"""
import torch
import torch.nn as nn
from mmdet.registry import MODELS

from .channel_shuffle import channel_shuffle


@MODELS.register_module()
class ProgressiveEnhancement(nn.Module):
    """``rounds`` times: ``x = shuffle(x + alpha * tanh(x))``.

    Args:
        rounds (int): number of rounds (0 is the identity).
        alpha (float): step size of each round.
        shuffle_groups (int): channel-shuffle groups (1 disables shuffling).
    """

    param_group = 'extras'

    def __init__(self, rounds=2, alpha=0.1, shuffle_groups=2):
        super().__init__()
        if rounds < 0:
            raise ValueError('rounds must be >= 0')
        self.rounds = rounds
        self.alpha = float(alpha)
        self.shuffle_groups = shuffle_groups

    def forward(self, x):
        for _ in range(self.rounds):
            x = x + self.alpha * torch.tanh(x)
            if self.shuffle_groups > 1:
                x = channel_shuffle(x, self.shuffle_groups)
        return x

    def extra_repr(self):
        return (f'rounds={self.rounds}, alpha={self.alpha}, '
                f'shuffle_groups={self.shuffle_groups}')
