"""Multi-scale training: a random output size per sample."""
import numpy as np
from mmdet.registry import TRANSFORMS

from .geometric import FaceResize


@TRANSFORMS.register_module()
class FaceRandomChoiceResize(FaceResize):
    """``FaceResize`` to a size drawn per sample around a base ``scale``.

    The output (w, h) is ``scale * r`` for ``r`` drawn from ``ratios``,
    rounded to a multiple of ``size_divisor`` (so every level of a stride-32
    detector stays whole). Boxes and landmarks are rescaled like
    ``FaceResize`` does. Because it is a ``FaceResize``,
    ``ProgressiveResizeHook`` changes its base ``scale`` and the random
    sizes follow.

    In a batch the data preprocessor pads every image to the largest one
    (with the mean colour, i.e. zeros after normalisation), so the cost of a
    batch is that of its largest draw.

    Args:
        scale (int | tuple[int]): base (w, h) output size.
        ratios (sequence[float]): multipliers of ``scale`` to choose from.
        size_divisor (int): round sizes to a multiple of this.
        **kwargs: other ``FaceResize`` arguments (``keep_ratio`` ...).
    """

    def __init__(self,
                 scale,
                 ratios=(0.75, 1.0, 1.25),
                 size_divisor=32,
                 **kwargs):
        kwargs.setdefault('keep_ratio', False)
        super().__init__(scale=scale, **kwargs)
        assert len(ratios) > 0
        self.ratios = tuple(ratios)
        self.size_divisor = size_divisor

    def choose_scale(self, ratio):
        d = self.size_divisor
        return tuple(max(d, int(round(s * ratio / d)) * d) for s in self.scale)

    def transform(self, results):
        base = self.scale
        self.scale = self.choose_scale(self.ratios[np.random.randint(
            len(self.ratios))])
        try:
            return super().transform(results)
        finally:
            self.scale = base

    def __repr__(self):
        return (f'{self.__class__.__name__}(scale={self.scale}, '
                f'ratios={self.ratios}, size_divisor={self.size_divisor}, '
                f'keep_ratio={self.keep_ratio})')
