"""Dynamic gating of a context block by a per-image complexity score.

For each image the gate looks at the block's input ``x`` (B x C x H x W)
and computes a descriptor made of

* the channel means ``GAP(x)`` (C numbers: what is there), and
* two scale-free complexity statistics (how busy it is):
  ``edge = (mean|dx| + mean|dy|) / (mean|x| + eps)``, the density of spatial
  detail, and ``contrast = std(x) / (mean|x| + eps)``, both fed as
  ``log(1 + s)``.

A tiny MLP maps the descriptor to one logit, and the gate is
``g = sigmoid(logit)`` in (0, 1). The gated block then contributes::

    y = g * block(x) + (1 - g) * x

so ``g -> 1`` is the plain block and ``g -> 0`` skips it. The gate is soft
and differentiable everywhere: images the network finds simple can lean on
the cheap path while crowded images use the full context module, and the
decision is learned end to end. ``(C + 2) * hidden + 2 * hidden + 1``
parameters (145 for C = 32, hidden = 4). The last bias starts at
``init_bias`` (2.0: g ~ 0.88, mostly the block) so training starts close
to the ungated network.
"""
import torch
import torch.nn as nn
from mmdet.registry import MODELS


def complexity_stats(x, eps=1e-6):
    """B x 2 scale-free complexity statistics (edge density, contrast)."""
    scale = x.abs().mean(dim=(1, 2, 3)) + eps
    edge = x.new_zeros(x.size(0))
    if x.size(2) > 1:
        edge = edge + (x[:, :, 1:] - x[:, :, :-1]).abs().mean(dim=(1, 2, 3))
    if x.size(3) > 1:
        edge = edge + (x[..., 1:] - x[..., :-1]).abs().mean(dim=(1, 2, 3))
    flat = x.flatten(1)
    contrast = (flat - flat.mean(dim=1, keepdim=True)).pow(2).mean(
        dim=1).add(eps).sqrt()
    return torch.stack([edge / scale, contrast / scale], dim=1)


@MODELS.register_module()
class DynamicGate(nn.Module):
    """Soft per-image gate ``g`` in (0, 1) from a complexity descriptor.

    Args:
        channels (int): channels of the gated block's input.
        hidden (int): hidden width of the gate MLP.
        init_bias (float): initial logit bias.
    """

    param_group = 'extras'

    def __init__(self, channels, hidden=4, init_bias=2.0):
        super().__init__()
        self.fc1 = nn.Linear(channels + 2, hidden)
        self.act = nn.ReLU(inplace=False)
        self.fc2 = nn.Linear(hidden, 1)
        nn.init.constant_(self.fc2.bias, init_bias)

    def descriptor(self, x):
        return torch.cat(
            [x.mean(dim=(2, 3)), torch.log1p(complexity_stats(x))], dim=1)

    def forward(self, x):
        """The gate, B x 1 x 1 x 1."""
        logit = self.fc2(self.act(self.fc1(self.descriptor(x))))
        return torch.sigmoid(logit)[:, :, None, None]

    @staticmethod
    def blend(x, block_out, gate):
        """``gate * block_out + (1 - gate) * x``."""
        return x + gate * (block_out - x)
