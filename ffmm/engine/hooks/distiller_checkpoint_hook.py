"""Keep distillation-only weights out of the saved student state dict."""
from mmdet.registry import HOOKS
from mmengine.hooks import Hook

# the layout of FaceDistiller.state_dict() (see its module docstring)
DISTILL_PREFIXES = ('distill_adapters.', 'distill_ema.')
DISTILL_KEY = 'distill_state_dict'


def split_distill_state(checkpoint):
    """Move adapter/EMA-teacher weights from ``checkpoint['state_dict']``
    to ``checkpoint['distill_state_dict']`` (in place)."""
    state = checkpoint.get('state_dict', {})
    extra = type(state)()
    for k in list(state):
        if k.startswith(DISTILL_PREFIXES):
            extra[k] = state.pop(k)
    meta = getattr(state, '_metadata', None)
    if meta is not None:
        for k in list(meta):
            if k.startswith(DISTILL_PREFIXES) or k in ('distill_adapters',
                                                       'distill_ema'):
                del meta[k]
    if extra:
        checkpoint[DISTILL_KEY] = extra
    return checkpoint


def merge_distill_state(checkpoint):
    """Inverse of :func:`split_distill_state` (in place)."""
    extra = checkpoint.pop(DISTILL_KEY, None)
    if extra:
        checkpoint.setdefault('state_dict', {}).update(extra)
    return checkpoint


@HOOKS.register_module()
class DistillerCheckpointHook(Hook):
    """Save distillation checkpoints that load into the plain student.

    ``FaceDistiller.state_dict()`` gives the student's keys at top level
    plus the training-only ``distill_adapters.*`` and ``distill_ema.*``
    weights (teachers are never included). Before saving, this hook moves
    the latter to ``checkpoint['distill_state_dict']``, so
    ``checkpoint['state_dict']`` is exactly a student state dict (strict
    load into the student config for testing and export). After loading a
    checkpoint (``--resume`` or ``load_from``) it puts them back, so the
    adapters and the EMA teacher are restored.
    """

    priority = 'VERY_LOW'

    def before_save_checkpoint(self, runner, checkpoint):
        split_distill_state(checkpoint)

    def after_load_checkpoint(self, runner, checkpoint):
        merge_distill_state(checkpoint)
