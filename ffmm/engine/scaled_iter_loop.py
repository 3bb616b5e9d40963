"""An iteration-based train loop whose schedule follows the run length.

The mini configs write warm-up, cosine decay, validation and checkpoint
intervals for their own length (the top-level config variable
``max_iters``). Overriding only ``train_cfg.max_iters`` used to leave them
as written: a 10-iteration run never left its 20-iteration warm-up.
"""
import logging

from mmengine.logging import print_log
from mmdet.registry import LOOPS

from .fast_resume_loop import FastResumeIterBasedTrainLoop

_OPEN_END = 10**8  # mmengine's "until the end" bounds stay as they are


def _scale(value, ratio, limit):
    """Equal bounds stay equal (warm-up end = cosine begin); a non-zero
    bound keeps 2 iterations, the least a LinearLR warm-up ramps in."""
    if value <= 0:
        return 0
    return min(limit, max(2, int(round(value * ratio))))


def scale_param_schedulers(schedulers, ratio, limit):
    """Scale ``begin``/``end``/``T_max`` of iteration-based scheduler
    configs in place (at most ``limit``); returns what changed."""
    groups = schedulers.values() if isinstance(schedulers, dict) \
        else [schedulers]
    changes = []
    for group in groups:
        for sched in group if isinstance(group, (list, tuple)) else [group]:
            if not isinstance(sched, dict) or sched.get('by_epoch', True):
                continue
            old = {k: sched[k] for k in ('begin', 'end', 'T_max')
                   if isinstance(sched.get(k), int) and sched[k] < _OPEN_END}
            for key, value in old.items():
                sched[key] = _scale(value, ratio, limit)
            if 'begin' in old and 'end' in old:
                sched['end'] = max(sched['end'], sched['begin'] + 1)
            if old:
                changes.append(f'{sched["type"]} ' + ', '.join(
                    f'{k} {v}->{sched[k]}' for k, v in old.items()))
    return changes


@LOOPS.register_module()
class ScaledIterBasedTrainLoop(FastResumeIterBasedTrainLoop):
    """``IterBasedTrainLoop`` that rescales the config's schedule when the
    run is shorter or longer than the config was written for.

    The reference length is the config's top-level ``max_iters`` variable.
    When ``train_cfg.max_iters`` differs (e.g. ``--cfg-options
    train_cfg.max_iters=30``), every iteration bound of ``param_scheduler``
    (warm-up ``end``, cosine ``begin``/``end``) is multiplied by
    ``train_cfg.max_iters / max_iters``, and ``val_interval`` and the
    ``CheckpointHook`` interval, when they equal the reference length ("at
    the end"), become the new length. Everything changed is logged. Set the
    top-level ``max_iters`` too (or use ``FastResumeIterBasedTrainLoop``,
    its parent, which resumes the same way without loading the skipped
    data) to keep the schedule exactly as written.
    """

    def __init__(self, runner, dataloader, max_iters, val_begin=1,
                 val_interval=1000, dynamic_intervals=None):
        reference = runner.cfg.get('max_iters')
        if isinstance(reference, int) and reference > 0 \
                and reference != max_iters:
            val_interval = self._rescale(runner, reference, max_iters,
                                         val_interval)
        super().__init__(runner, dataloader, max_iters, val_begin,
                         val_interval, dynamic_intervals)

    @staticmethod
    def _rescale(runner, reference, max_iters, val_interval):
        ratio = max_iters / reference
        changes = []
        if runner.param_schedulers is not None:  # still configs here
            changes += scale_param_schedulers(runner.param_schedulers, ratio,
                                              max_iters)
        if val_interval == reference:
            val_interval = max_iters
            changes.append(f'val_interval {reference}->{max_iters}')
        for hook in runner.hooks:
            if type(hook).__name__ == 'CheckpointHook' and \
                    not hook.by_epoch and hook.interval == reference:
                hook.interval = max_iters
                changes.append(f'checkpoint interval {reference}->'
                               f'{max_iters}')
        if changes:
            print_log(
                f'train_cfg.max_iters={max_iters} but the schedule was '
                f'written for max_iters={reference}: rescaled ' +
                '; '.join(changes), logger='current', level=logging.WARNING)
        return val_interval
