"""Progressive resizing: train small first, then at larger sizes."""
from mmdet.registry import HOOKS

from .transform_schedule_hook import TransformScheduleHook, matches


def _as_wh(size):
    if isinstance(size, (int, float)):
        return int(size), int(size)
    w, h = size
    return int(w), int(h)


@HOOKS.register_module()
class ProgressiveResizeHook(TransformScheduleHook):
    """Change the training input size at scheduled epochs or iterations.

    At each boundary of ``schedule`` (``[(start, size), ...]``, ``size`` an
    int for squares or ``(w, h)``) the train pipeline's crops get
    ``out_size = max(w, h)`` (``RandomSquareCrop``: the size its
    ``min_face_size`` refers to) and its resizes ``scale = (w, h)``
    (``FaceResize`` and subclasses, so ``FaceRandomChoiceResize`` draws its
    random sizes around the new base). The new size is logged and the
    dataloader workers are refreshed (see ``TransformScheduleHook``).

    Example::

        custom_hooks = [dict(type='ProgressiveResizeHook',
                             schedule=[(0, 320), (100, 480), (200, 640)],
                             by_epoch=True)]

    Args:
        schedule (list[tuple]): ``(start epoch or iteration, size)``.
        by_epoch (bool): whether ``start`` counts epochs or iterations.
        crop_types (tuple[str]): class names whose ``out_size`` is set.
        resize_types (tuple[str]): class names whose ``scale`` is set.
    """

    def __init__(self,
                 schedule,
                 by_epoch=True,
                 crop_types=('RandomSquareCrop', ),
                 resize_types=('FaceResize', )):
        super().__init__([(s, _as_wh(v)) for s, v in schedule], by_epoch)
        self.crop_types = tuple(crop_types)
        self.resize_types = tuple(resize_types)

    def describe(self, value):
        return f'training size {value[0]}x{value[1]} (w x h)'

    def apply(self, transforms, value):
        w, h = value
        changed = 0
        for t in transforms:
            if matches(t, self.crop_types):
                t.out_size = max(w, h)
                changed += 1
            elif matches(t, self.resize_types):
                t.scale = (w, h)
                changed += 1
        return changed
