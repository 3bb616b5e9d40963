"""Connectors: trainable adapters from student features to the teacher's
width, used only during training (like MMRazor's connectors)."""
import torch.nn as nn
from mmdet.registry import MODELS


def _per_level(channels, num_levels=None):
    if isinstance(channels, int):
        return [channels] * (num_levels or 1)
    return list(channels)


@MODELS.register_module()
class ConvConnector(nn.Module):
    """One 1x1 conv per feature level, student -> teacher channels.

    Args:
        in_channels (int | Sequence[int]): student channels per level.
        out_channels (int | Sequence[int]): teacher channels per level.
        skip_same_channels (bool): an identity instead of a conv on levels
            whose widths already agree.
        recorder (str, optional): the recorder whose features this
            connector adapts. The distiller reads the channels from that
            recorder (one forward pass of a small dummy image through
            student and teacher) when ``in_channels``/``out_channels`` are
            not given; defaults to the connector's name in the config.
    """

    def __init__(self, in_channels, out_channels, skip_same_channels=False,
                 recorder=None):
        super().__init__()
        in_channels = _per_level(in_channels)
        out_channels = _per_level(out_channels, len(in_channels))
        in_channels = _per_level(in_channels[0], len(out_channels)) \
            if len(in_channels) == 1 else in_channels
        if len(in_channels) != len(out_channels):
            raise ValueError(f'ConvConnector: {len(in_channels)} student '
                             f'levels, {len(out_channels)} teacher levels')
        self.recorder = recorder
        self.convs = nn.ModuleList(
            nn.Identity() if skip_same_channels and cs == ct
            else nn.Conv2d(cs, ct, 1)
            for cs, ct in zip(in_channels, out_channels))

    def forward(self, feats):
        if not isinstance(feats, (list, tuple)):
            return self.convs[0](feats)
        return [conv(f) for conv, f in zip(self.convs, feats)]
