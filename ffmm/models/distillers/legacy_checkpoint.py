"""Reading distiller checkpoints of the previous state-dict layout.

Until state-dict version 2 a ``FaceDistiller`` saved the student's keys at
top level (``backbone.*``, ``neck.*``, ``bbox_head.*``), its adapters under
``distill_adapters.<teacher>.<level>.<i>.*`` and the EMA teacher under
``distill_ema.*``; ``DistillerCheckpointHook`` moved the last two into
``checkpoint['distill_state_dict']`` (it still merges them back on load).
Version 2 is the plain module layout: ``student.*``,
``distiller.connectors.<teacher>.<level>.convs.<i>.*`` and
``ema_teacher.{steps,module.*}``. A plain student checkpoint (no version
of the distiller) is read the same way, so it initialises a distiller.
"""
import torch

LAYOUT_VERSION = 2
OWN_CHILDREN = ('student', 'distiller', 'ema_teacher', 'data_preprocessor')
LEGACY_ADAPTERS = 'distill_adapters.'
LEGACY_EMA = 'distill_ema.'


def _new_key(rest):
    if rest.startswith(LEGACY_ADAPTERS):
        teacher, level, index, param = rest[len(LEGACY_ADAPTERS):].split(
            '.', 3)
        return f'distiller.connectors.{teacher}.{level}.convs.{index}.{param}'
    if rest.startswith(LEGACY_EMA):
        return 'ema_teacher.module.' + rest[len(LEGACY_EMA):]
    return 'student.' + rest


def upgrade_legacy_state(state_dict, prefix, has_ema):
    """Rename the keys (and their metadata) of a version-1 state dict to
    version 2, in place. A checkpoint without EMA weights gives the EMA
    teacher (when the model has one) a copy of the student's weights."""
    renamed = {}
    for k in list(state_dict):
        if not k.startswith(prefix):
            continue
        rest = k[len(prefix):]
        if rest.split('.', 1)[0] in OWN_CHILDREN:
            continue
        new = _new_key(rest)
        state_dict[prefix + new] = state_dict.pop(k)
        renamed[rest] = new
    meta = getattr(state_dict, '_metadata', None)
    if meta is not None:  # module versions (BN ...) follow their keys
        for k in list(meta):
            if not k.startswith(prefix) or not k[len(prefix):]:
                continue
            rest = k[len(prefix):]
            if rest.split('.', 1)[0] in OWN_CHILDREN:
                continue
            new = _new_key(rest + '.x')[:-2]
            meta.setdefault(prefix + new, meta[k])
    if not has_ema or not renamed:
        return
    ema = prefix + 'ema_teacher.'
    if not any(k.startswith(ema) for k in state_dict):
        student = prefix + 'student.'
        for k in [k for k in state_dict if k.startswith(student)]:
            state_dict[ema + 'module.' + k[len(student):]] = state_dict[k]
    state_dict.setdefault(ema + 'steps', torch.tensor(1))
