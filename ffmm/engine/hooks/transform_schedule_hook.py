"""Changing train-pipeline transforms at scheduled epochs or iterations."""
import bisect

from mmcv.transforms import BaseTransform
from mmengine.hooks import Hook
from mmengine.runner import IterBasedTrainLoop

# Attributes through which datasets, dataset wrappers and transform wrappers
# (Compose, RandomChoice, RandomApply, KeyMapper, ...) reach their
# transforms.
_CHILD_ATTRS = ('pipeline', 'dataset', 'datasets', 'transforms', 'transform')


def iter_transforms(root):
    """Yield every transform object reachable from a dataset or pipeline.

    Walks dataset wrappers (``MultiImageMixDataset``, ``ConcatDataset``,
    ...), ``Compose`` objects, plain lists of transforms and wrapping
    transforms, each object once.
    """
    seen = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if obj is None or id(obj) in seen or isinstance(obj, (str, dict)):
            continue
        seen.add(id(obj))
        if isinstance(obj, (list, tuple)):
            stack.extend(reversed(obj))
            continue
        if isinstance(obj, BaseTransform):
            yield obj
        for attr in _CHILD_ATTRS:
            child = getattr(obj, attr, None)
            if isinstance(child, (BaseTransform, list, tuple)) or any(
                    hasattr(child, a) for a in _CHILD_ATTRS):
                stack.append(child)


def matches(obj, type_names):
    """Whether ``obj``'s class or one of its bases is named in
    ``type_names``."""
    return any(c.__name__ in type_names for c in type(obj).__mro__)


class TransformScheduleHook(Hook):
    """Base of hooks that set train-pipeline attributes on a schedule.

    ``schedule`` is a list of ``(start, value)``: from epoch (``by_epoch``)
    or iteration ``start`` on, ``apply(transforms, value)`` is in force.
    Before the first ``start`` the pipeline is left as configured. The
    stage is applied again on resume (``before_train``).

    The change must reach the dataloader workers, which hold their own copy
    of the dataset: when ``num_workers > 0`` the loader's workers are
    dropped (``DataLoader._iterator = None``, as mmdet's pipeline-switch
    hooks do for persistent workers) and an iteration-based loop gets a fresh
    iterator, so the new value holds from the next batch on. Batches are
    fetched before ``before_train_iter``, so iteration stages are applied
    at ``after_train_iter`` of the previous iteration. With an epoch-based
    loop and ``by_epoch=False`` workers only pick a mid-epoch change up at
    the next epoch (in-process loading, ``num_workers=0``, sees it at once).
    A restarted iterator of a non-infinite sampler begins a new pass over
    the data.
    """

    priority = 'NORMAL'
    unit_names = ('iter', 'epoch')

    def __init__(self, schedule, by_epoch=True):
        stages = sorted(((int(s), v) for s, v in schedule),
                        key=lambda sv: sv[0])
        if not stages:
            raise ValueError(f'{type(self).__name__}: empty schedule')
        starts = [s for s, _ in stages]
        if len(set(starts)) != len(starts):
            raise ValueError(f'{type(self).__name__}: repeated start in '
                             f'{schedule}')
        self.starts = starts
        self.values = [v for _, v in stages]
        self.by_epoch = by_epoch
        self._stage = None

    # -------------------------------------------------------- to override
    def apply(self, transforms, value):
        """Set ``value`` on the matching ``transforms``; return how many
        were changed."""
        raise NotImplementedError

    def describe(self, value):
        return repr(value)

    # --------------------------------------------------------------- core
    def stage_at(self, progress):
        """Index of the stage in force at ``progress`` (None before the
        first)."""
        i = bisect.bisect_right(self.starts, progress) - 1
        return i if i >= 0 else None

    def value_at(self, progress):
        i = self.stage_at(progress)
        return None if i is None else self.values[i]

    def update(self, runner, progress):
        """Apply the stage of ``progress`` if it is not applied yet."""
        stage = self.stage_at(progress)
        if stage is None or stage == self._stage:
            return False
        self._stage = stage
        loader = runner.train_dataloader
        value = self.values[stage]
        changed = self.apply(list(iter_transforms(loader.dataset)), value)
        unit = self.unit_names[bool(self.by_epoch)]
        if not changed:
            runner.logger.warning(
                f'{type(self).__name__}: no transform of the train pipeline '
                f'takes {self.describe(value)}')
            return False
        runner.logger.info(f'{type(self).__name__}: {self.describe(value)} '
                           f'from {unit} {progress} ({changed} transforms)')
        self._restart_workers(runner)
        return True

    @staticmethod
    def _restart_workers(runner):
        loader = runner.train_dataloader
        if not getattr(loader, 'num_workers', 0):
            return  # the pipeline runs in this process: nothing to refresh
        loader._iterator = None  # persistent workers hold an old copy
        it = getattr(runner.train_loop, 'dataloader_iterator', None)
        if it is not None and hasattr(it, '_iterator'):
            it._iterator = iter(loader)

    # -------------------------------------------------------------- hooks
    def before_train(self, runner):
        if self.by_epoch and isinstance(runner.train_loop, IterBasedTrainLoop):
            raise ValueError(f'{type(self).__name__}(by_epoch=True) with an '
                             'iteration-based train loop: use by_epoch=False')
        self.update(runner, runner.epoch if self.by_epoch else runner.iter)

    def before_train_epoch(self, runner):
        if self.by_epoch:
            self.update(runner, runner.epoch)

    def after_train_iter(self,
                         runner,
                         batch_idx,
                         data_batch=None,
                         outputs=None):
        if not self.by_epoch:
            # runner.iter is the iteration just finished
            self.update(runner, runner.iter + 1)
