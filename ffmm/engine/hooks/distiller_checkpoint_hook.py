"""Read distiller checkpoints written before the plain layout."""
from mmdet.registry import HOOKS
from mmengine.hooks import Hook

# where the previous layout kept the adapters and the EMA teacher
LEGACY_DISTILL_KEY = 'distill_state_dict'


def merge_legacy_distill_state(checkpoint):
    """Put ``checkpoint['distill_state_dict']`` (adapters, EMA teacher of a
    checkpoint written before state-dict version 2) back into
    ``checkpoint['state_dict']``, in place; ``FaceDistiller`` renames the
    keys when it loads them."""
    extra = checkpoint.pop(LEGACY_DISTILL_KEY, None)
    if extra:
        checkpoint.setdefault('state_dict', {}).update(extra)
    return checkpoint


@HOOKS.register_module()
class DistillerCheckpointHook(Hook):
    """Resume from distiller checkpoints of the previous layout.

    ``FaceDistiller`` now saves the plain module layout (``student.*``,
    ``distiller.connectors.*``, ``ema_teacher.*``), so saving needs no
    hook. Checkpoints written before kept the adapters and the EMA teacher
    outside the state dict, in ``checkpoint['distill_state_dict']``; this
    hook merges them back when a checkpoint is loaded (``--resume``,
    ``load_from``), so those runs resume with their adapters and EMA
    teacher. Harmless on new checkpoints.
    """

    priority = 'VERY_LOW'

    def after_load_checkpoint(self, runner, checkpoint):
        merge_legacy_distill_state(checkpoint)
