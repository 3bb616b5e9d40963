"""Curriculum: easy faces first, then all of them."""
from mmdet.registry import HOOKS

from .transform_schedule_hook import TransformScheduleHook, matches

_KEYS = ('min_size', 'min_sharpness')


@HOOKS.register_module()
class FaceCurriculumHook(TransformScheduleHook):
    """Schedule the thresholds of ``FaceCurriculumFilter``.

    ``schedule`` is ``[(start, stage), ...]`` where ``stage`` is a
    ``min_size`` number or a dict with ``min_size`` and/or
    ``min_sharpness``; ``0`` / ``None`` switch a criterion off. Faces below
    the thresholds are ignored by the loss until the next stage. Example:
    small (< 24 px) or blurred faces ignored for 10 epochs, small ones for
    10 more, then every face::

        train_pipeline = [..., dict(type='FaceResize', ...),
                          dict(type='FaceCurriculumFilter'), ...]
        custom_hooks = [dict(type='FaceCurriculumHook', by_epoch=True,
                             schedule=[(0, dict(min_size=24,
                                                min_sharpness=20.)),
                                       (10, dict(min_size=16,
                                                 min_sharpness=None)),
                                       (20, 0)])]

    (with ``ignore_iof_thr`` set in the head's assigner, see
    ``FaceCurriculumFilter``).
    """

    def __init__(self,
                 schedule,
                 by_epoch=True,
                 filter_types=('FaceCurriculumFilter', )):
        stages = []
        for start, stage in schedule:
            if not isinstance(stage, dict):
                stage = dict(min_size=stage or 0)
            unknown = set(stage) - set(_KEYS)
            if unknown:
                raise ValueError(f'FaceCurriculumHook: unknown keys '
                                 f'{sorted(unknown)} (allowed: {_KEYS})')
            stages.append((start, dict(stage)))
        super().__init__(stages, by_epoch)
        self.filter_types = tuple(filter_types)

    def describe(self, value):
        items = ', '.join(f'{k}={v}' for k, v in value.items())
        return f'curriculum ({items})'

    def apply(self, transforms, value):
        changed = 0
        for t in transforms:
            if matches(t, self.filter_types):
                for key, v in value.items():
                    setattr(t, key, v)
                changed += 1
        return changed
