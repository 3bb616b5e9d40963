"""Train on a frozen backbone first, then fine-tune it."""
from mmdet.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log

from .trained_student import trained_student


@HOOKS.register_module()
class BackboneFreezeHook(Hook):
    """Keep the (student's) backbone frozen for the first ``unfreeze_iter``
    iterations, weights and BatchNorm statistics alike, then train it.

    Meant for a backbone initialised from a trained detector: the new neck
    and heads first learn on its features instead of sending random
    gradients through it. The backbone needs ``frozen_stages``
    (``MobileNetV1``); ``unfreeze_iter=None`` keeps it frozen throughout.

    Under ``DistributedDataParallel`` the frozen parameters get no gradient,
    which DDP only accepts when built with ``find_unused_parameters=True``
    (``model_wrapper_cfg`` in the config); without it the hook stops before
    the first iteration instead of DDP failing inside it.
    """

    def __init__(self, unfreeze_iter=None, frozen_stages=3):
        self.unfreeze_iter = unfreeze_iter
        self.frozen_stages = frozen_stages

    @staticmethod
    def _backbone(runner):
        return trained_student(runner).backbone

    def _set(self, runner, stages):
        backbone = self._backbone(runner)
        backbone.frozen_stages = stages
        for p in backbone.parameters():
            p.requires_grad_(True)
        backbone.train(backbone.training)  # re-applies the frozen stages

    @staticmethod
    def _check_ddp(runner):
        # DDP's own error names parameter indices, not the fix
        if getattr(runner.model, 'find_unused_parameters', True) is False:
            raise RuntimeError(
                'BackboneFreezeHook: the frozen backbone gets no gradient, '
                'which DistributedDataParallel only accepts with '
                "model_wrapper_cfg = dict(type='MMDistributedDataParallel', "
                'find_unused_parameters=True) in the config')

    def before_train(self, runner):
        frozen = (self.unfreeze_iter is None
                  or runner.iter < self.unfreeze_iter)
        if frozen:
            self._check_ddp(runner)
        self._set(runner, self.frozen_stages if frozen else 0)

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.iter == self.unfreeze_iter:
            self._set(runner, 0)
            print_log(f'BackboneFreezeHook: backbone trained from iteration '
                      f'{runner.iter}', logger='current')
