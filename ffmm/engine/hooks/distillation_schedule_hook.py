"""Piecewise-constant schedule of the distillation temperature and alpha."""
import math

from mmdet.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

# Epochs 1-100: T=6, alpha=0.9; 101-200: T=4, 0.7; 201-300: T=2, 0.5;
# 301-400: T=1, 0.3 (beyond 400 the last stage continues).
DEFAULT_SCHEDULE = (
    dict(begin=1, end=100, temperature=6.0, alpha=0.9),
    dict(begin=101, end=200, temperature=4.0, alpha=0.7),
    dict(begin=201, end=300, temperature=2.0, alpha=0.5),
    dict(begin=301, end=400, temperature=1.0, alpha=0.3),
)


def schedule_position(step, scale=1.0):
    """Schedule unit (1-based) of a 1-based training step.

    ``scale`` is schedule units per step: with 400 schedule epochs and a
    300-iteration run, ``scale = 400 / 300`` and iteration 300 maps to unit
    400, iteration 75 to unit 100 and iteration 76 to unit 102.
    """
    if scale == 1.0:
        return int(step)
    return max(1, math.ceil(step * scale - 1e-9))


def schedule_value(schedule, step, scale=1.0):
    """``(temperature, alpha)`` of the stage holding ``step``.

    Stages are ``dict(begin, [end], temperature, alpha)`` with 1-based,
    inclusive bounds. A step before the first stage takes the first stage,
    a step after the last stage (or in a gap) the last stage begun.
    """
    stages = sorted(schedule, key=lambda s: s['begin'])
    if not stages:
        raise ValueError('empty distillation schedule')
    pos = schedule_position(step, scale)
    current = stages[0]
    for stage in stages:
        if stage['begin'] <= pos:
            current = stage
    return float(current['temperature']), float(current['alpha'])


def _distiller(runner):
    model = runner.model
    return model.module if is_model_wrapper(model) else model


@HOOKS.register_module()
class DistillationScheduleHook(Hook):
    """Apply a temperature/alpha schedule to a ``FaceDistiller``.

    The values are set on the model before every training iteration and
    logged as the message-hub scalars ``train/distill/temperature`` and
    ``train/distill/alpha`` (they appear in the logs as
    ``distill/temperature`` and ``distill/alpha``); every stage change is
    also reported in the log.

    Args:
        schedule (Sequence[dict]): stages ``dict(begin, end, temperature,
            alpha)`` in epochs (``by_epoch=True``) or iterations, 1-based
            and inclusive. Defaults to the 400-epoch FeatherFace schedule.
        by_epoch (bool): stages count epochs (1-based, ``runner.epoch +
            1``) or iterations (``runner.iter + 1``).
        scale (float | str, optional): schedule units per epoch/iteration.
            ``'auto'`` fits the whole schedule (its last ``end``) to the
            run (``max_epochs`` or ``max_iters``), e.g. the 400-epoch
            default on a 300-iteration CPU run with ``by_epoch=False``.
    """

    priority = 'NORMAL'

    def __init__(self,
                 schedule=DEFAULT_SCHEDULE,
                 by_epoch=True,
                 scale=None):
        self.schedule = [dict(s) for s in schedule]
        for stage in self.schedule:
            missing = {'begin', 'temperature', 'alpha'} - set(stage)
            if missing:
                raise ValueError(f'schedule stage {stage} lacks {missing}')
        self.by_epoch = by_epoch
        self.scale = scale
        self._last = None

    def _scale(self, runner):
        if self.scale is None:
            return 1.0
        if self.scale != 'auto':
            return float(self.scale)
        span = max(s.get('end', s['begin']) for s in self.schedule)
        length = runner.max_epochs if self.by_epoch else runner.max_iters
        return span / max(int(length), 1)

    def current_step(self, runner):
        return runner.epoch + 1 if self.by_epoch else runner.iter + 1

    def _apply(self, runner):
        step = self.current_step(runner)
        temperature, alpha = schedule_value(self.schedule, step,
                                            self._scale(runner))
        model = _distiller(runner)
        if hasattr(model, 'set_distill_params'):
            model.set_distill_params(temperature=temperature, alpha=alpha)
        hub = runner.message_hub
        hub.update_scalar('train/distill/temperature', temperature)
        hub.update_scalar('train/distill/alpha', alpha)
        if (temperature, alpha) != self._last:
            unit = 'epoch' if self.by_epoch else 'iter'
            runner.logger.info(
                f'distillation schedule: {unit} {step}: temperature '
                f'{temperature:g}, alpha {alpha:g}')
            self._last = (temperature, alpha)

    def before_train_epoch(self, runner):
        if self.by_epoch:
            self._apply(runner)

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self._apply(runner)
