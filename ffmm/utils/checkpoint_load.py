"""Load checkpoints with clear errors, strictly.

mmengine's ``load_checkpoint`` defaults to ``strict=False``: a checkpoint of
another architecture loads with a warning nobody reads and the model runs on
its random initial weights. The tools load through here instead: a missing
or unreadable file and every mismatching key are named.
"""
import os.path as osp
from collections import OrderedDict

from mmengine.logging import print_log
from mmengine.runner.checkpoint import _load_checkpoint

from .checkpoint_compat import allow_mmengine_checkpoint_globals

# a FaceDistiller's student (ffmm/models/distillers/face_distiller.py)
STUDENT_PREFIX = 'student.'
# training-only groups of the distiller layout before state-dict version 2
DISTILL_PREFIXES = ('distill_adapters.', 'distill_ema.')


class CheckpointError(RuntimeError):
    """A checkpoint that is missing, unreadable or does not fit a model."""


def read_checkpoint(path):
    """The checkpoint object of ``path``; a missing, truncated or foreign
    file raises :class:`CheckpointError` naming it. Checkpoints the runner
    saves load weights-only, their mmengine objects allowlisted here (a
    tool need not have called ``register_all_modules`` first)."""
    if not osp.isfile(path):
        what = 'is a folder' if osp.isdir(path) else 'does not exist'
        raise CheckpointError(f'checkpoint {path} {what}')
    allow_mmengine_checkpoint_globals()
    try:
        return _load_checkpoint(path, map_location='cpu')
    except Exception as e:  # zip, pickle and EOF errors of torch.load
        raise CheckpointError(
            f'checkpoint {path} cannot be read: the file is truncated, '
            f'corrupt or not a torch checkpoint ({type(e).__name__}: '
            f'{str(e)[:200]})') from e


def checkpoint_state_dict(ckpt):
    """Model weights of a checkpoint, without DDP's ``module.`` prefix and
    without the training-only distillation groups."""
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else ckpt
    if not isinstance(state, dict):
        raise CheckpointError('the checkpoint holds no state dict')
    return OrderedDict(
        (k[len('module.'):] if k.startswith('module.') else k, v)
        for k, v in state.items() if not k.startswith(DISTILL_PREFIXES))


def trained_state_dict(ckpt):
    """The trained (not averaged) weights of a run with mmengine's
    ``EMAHook``: it saves the average under ``state_dict`` and the trained
    weights, ``module.``-prefixed, under ``ema_state_dict``."""
    ema = ckpt.get('ema_state_dict') if isinstance(ckpt, dict) else None
    if not ema:
        raise CheckpointError(
            'the checkpoint has no ema_state_dict (the run kept no weight '
            'average): its state_dict already holds the trained weights')
    return OrderedDict((k[len('module.'):], v) for k, v in ema.items()
                       if k.startswith('module.'))


def is_distiller_state(state):
    """Whether ``state`` is a ``FaceDistiller``'s (``student.*`` keys)."""
    return any(k.startswith(STUDENT_PREFIX) for k in state)


def student_state_dict(state):
    """The student's weights of a distiller state dict (``student.*``
    keys, prefix removed; connectors and EMA teacher dropped). A state
    without ``student.*`` keys (a plain detector, or a distiller checkpoint
    of the previous layout, whose student keys are at top level) is
    returned without the training-only groups."""
    if not is_distiller_state(state):
        return OrderedDict((k, v) for k, v in state.items()
                           if not k.startswith(DISTILL_PREFIXES))
    n = len(STUDENT_PREFIX)
    out = OrderedDict((k[n:], v) for k, v in state.items()
                      if k.startswith(STUDENT_PREFIX))
    meta = getattr(state, '_metadata', None)
    if meta is not None:  # module versions (BN ...) of the student
        out._metadata = type(meta)(
            (k[n:], v) for k, v in meta.items()
            if k.startswith(STUDENT_PREFIX))
    return out


def load_checkpoint_strict(model, path, limit=5):
    """Load ``path`` into ``model`` strictly; returns the checkpoint.

    A distillation checkpoint loaded into a plain detector gives it the
    distiller's student (one logged line).

    Raises :class:`CheckpointError` naming the first ``limit`` missing,
    unexpected and wrongly shaped keys when the checkpoint was saved by a
    different architecture.
    """
    from .convert.common import CheckpointMismatchError, check_fits
    ckpt = read_checkpoint(path)
    state = checkpoint_state_dict(ckpt)
    if is_distiller_state(state) and not is_distiller_state(
            model.state_dict()):
        state = student_state_dict(state)
        print_log(f'{path} is a distillation checkpoint: loading its '
                  'student (the student.* weights)', logger='current')
    try:
        check_fits(state, model.state_dict(), source=f'checkpoint {path}',
                   limit=limit)
    except CheckpointMismatchError as e:
        raise CheckpointError(
            f'{e}. Was it trained with another config?') from None
    model.load_state_dict(state, strict=True)
    print_log(f'loaded checkpoint {path} (strict)', logger='current')
    return ckpt
