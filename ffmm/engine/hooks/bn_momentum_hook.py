"""Deprecated: set BatchNorm momentum from a hook.

The BN momentum of FeatherFace's attention and BiFPN (the reference's 0.01)
is now a ``norm_cfg`` of those modules, set in the model config: short runs
write ``norm_cfg=dict(momentum=0.1)`` there (see
``configs/featherface/featherface_v1_mini.py``). Nothing in ffmm uses this
hook any more; it stays importable for configs written before that.
"""
import warnings

from mmdet.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from torch.nn.modules.batchnorm import _BatchNorm


@HOOKS.register_module()
class BNMomentumHook(Hook):
    """Set the momentum of every BatchNorm of the trained model.

    Deprecated: set ``norm_cfg`` momentum in the model config instead.
    Only training-time statistics change, not the architecture, and a
    distiller's frozen teachers (not submodules) are left alone.
    """

    def __init__(self, momentum=0.1):
        warnings.warn(
            'BNMomentumHook is deprecated: set the momentum in the norm_cfg '
            'of the model config', DeprecationWarning)
        self.momentum = momentum

    def before_train(self, runner):
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        for m in model.modules():
            if isinstance(m, _BatchNorm):
                m.momentum = self.momentum
