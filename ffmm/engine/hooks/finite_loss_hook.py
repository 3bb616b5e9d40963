"""Stop training on a non-finite loss before a bad checkpoint is written."""
import math

import torch
from mmdet.engine.hooks import CheckInvalidLossHook
from mmdet.registry import HOOKS


class NonFiniteLossError(RuntimeError):
    """The training loss (or a saved weight) became NaN or infinite."""


@HOOKS.register_module()
class FiniteLossHook(CheckInvalidLossHook):
    """mmdet's ``CheckInvalidLossHook`` checking every iteration (the check
    is one scalar) with a message naming the iteration and the non-finite
    loss terms, plus a guard that refuses to save a checkpoint whose
    weights are not finite.

    Its priority runs it before ``CheckpointHook`` in ``after_train_iter``,
    so the iteration whose loss is NaN is never saved.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self, interval=1):
        super().__init__(interval=interval)

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if not outputs or 'loss' not in outputs or \
                not self.every_n_train_iters(runner, self.interval):
            return
        if torch.isfinite(torch.as_tensor(outputs['loss'])).all():
            return
        bad = [f'{k}={float(torch.as_tensor(v).float().mean()):g}'
               for k, v in outputs.items()
               if not math.isfinite(float(torch.as_tensor(v).float().mean()))]
        raise NonFiniteLossError(
            f'iteration {runner.iter + 1}: the loss is not finite '
            f'({", ".join(bad)}); training stopped before saving a '
            'checkpoint. Check the annotations for extreme values, lower '
            'the learning rate or add gradient clipping '
            '(optim_wrapper.clip_grad).')

    def before_save_checkpoint(self, runner, checkpoint):
        for key, value in checkpoint.get('state_dict', {}).items():
            if torch.is_tensor(value) and value.is_floating_point() and \
                    not torch.isfinite(value).all():
                raise NonFiniteLossError(
                    f'refusing to save a checkpoint at iteration '
                    f'{runner.iter}: weight {key} holds NaN/inf')
