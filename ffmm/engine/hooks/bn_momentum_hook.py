"""Faster BatchNorm statistics for short runs."""
from mmdet.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from torch.nn.modules.batchnorm import _BatchNorm


@HOOKS.register_module()
class BNMomentumHook(Hook):
    """Set the momentum of every BatchNorm of the trained model.

    FeatherFace's attention and BiFPN layers use momentum 0.01 (as the
    reference): after a few hundred iterations their running statistics
    are still near their initial values and evaluation collapses. Short
    runs (the mini-set configs) raise it; long runs keep the reference.
    Only training-time statistics change, not the architecture, and a
    distiller's frozen teachers (not submodules) are left alone.
    """

    def __init__(self, momentum=0.1):
        self.momentum = momentum

    def before_train(self, runner):
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        for m in model.modules():
            if isinstance(m, _BatchNorm):
                m.momentum = self.momentum
